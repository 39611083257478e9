"""Adapters: the in-memory model, the D1 backends (embedded SQLite, REST, Workers binding), the CLI."""
