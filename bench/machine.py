"""What the numbers were measured on: they mean little without it."""

from __future__ import annotations

import importlib.metadata
import json
import os
import platform
import shutil
import sqlite3
import subprocess
import sys
from pathlib import Path

from bench.local_engine import ENGINE_FOLDER


def _node_version() -> str:
    node = shutil.which("node")
    if node is None:
        return "not installed"
    done = subprocess.run([node, "--version"], capture_output=True, text=True, check=False)
    return done.stdout.strip() or "unknown"


def _npm_package_version(name: str) -> str:
    manifest = Path(ENGINE_FOLDER) / "node_modules" / name / "package.json"
    try:
        return str(json.loads(manifest.read_text())["version"])
    except (OSError, ValueError, KeyError):
        return "not installed"


def _python_package_version(name: str) -> str:
    try:
        return importlib.metadata.version(name)
    except importlib.metadata.PackageNotFoundError:
        return "not installed"


def describe() -> dict[str, str]:
    return {
        "nproc": str(os.cpu_count()),
        "cpu": platform.processor() or platform.machine(),
        "python": sys.version.split()[0],
        "sqlite (python's sqlite3)": sqlite3.sqlite_version,
        "node": _node_version(),
        "miniflare": _npm_package_version("miniflare"),
        "workerd": _npm_package_version("workerd"),
        "httpx": _python_package_version("httpx"),
        "openai-agents": _python_package_version("openai-agents"),
        # Other work on a shared 2-core machine moves every absolute number: say how busy it was.
        "load average at start (1/5/15 min)": " / ".join(f"{load:.1f}" for load in os.getloadavg()),
    }
