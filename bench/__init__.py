"""Benchmarks: requests, rows read/written and throughput per operation, beside the alternatives.

Run ``python -m bench [--quick]``; the table goes to stdout and ``bench/RESULTS.md``, the raw
numbers to ``bench/results.json``. Nothing here asserts on time: these are measurements.
"""
