"""Run a local Cloudflare D1 engine (workerd via Miniflare) for tests.

`launch.mjs` starts worker.js, which serves D1's REST API shape
(`.../query`, `.../raw`) on 127.0.0.1 on top of a real D1 binding.

Isolation: every LocalD1Engine gets its own temporary state folder, so its
database starts empty. Tests sharing one engine isolate themselves with
distinct table prefixes; no reset is needed (a fresh engine costs ~1 s).

Foreground use (what `make d1-local` runs):
    python tests/integration/d1_local/engine.py [--port 8787] [--state .d1-local]
"""

from __future__ import annotations

import contextlib
import json
import os
import shutil
import signal
import subprocess
import sys
import tempfile
import threading

HERE = os.path.dirname(os.path.abspath(__file__))
START_TIMEOUT = 30.0


class EngineError(RuntimeError):
    pass


def _require(tool: str) -> str:
    path = shutil.which(tool)
    if path is None:
        raise EngineError(f"`{tool}` not found on PATH: the local D1 engine needs Node.js 20+ and npm")
    return path


def ensure_installed(folder: str = HERE) -> None:
    """Install the engine's npm dependencies from the lock file if needed."""
    modules = os.path.join(folder, "node_modules")
    marker = os.path.join(modules, "miniflare", "package.json")
    lock = os.path.join(folder, "package-lock.json")
    # npm writes node_modules/.package-lock.json on every install; older than
    # the lock file means the lock changed since the last install.
    installed = os.path.join(modules, ".package-lock.json")
    if (
        os.path.exists(marker)
        and os.path.exists(installed)
        and os.path.getmtime(installed) >= os.path.getmtime(lock)
    ):
        return
    _require("node")
    npm = _require("npm")
    proc = subprocess.run(
        [npm, "ci", "--no-audit", "--no-fund"],
        cwd=folder,
        capture_output=True,
        text=True,
    )
    if proc.returncode != 0:
        raise EngineError(f"`npm ci` failed in {folder}:\n{proc.stdout}\n{proc.stderr}")


class LocalD1Engine:
    """A local D1 engine in a child process. Use as a context manager.

    port=0 picks a free port; state=None uses a fresh temporary folder that
    stop() deletes (a given state folder is kept).
    """

    def __init__(
        self,
        *,
        port: int = 0,
        state: str | None = None,
        account_id: str = "local-account",
        database_id: str = "local-db",
        api_token: str = "local-token",
        stderr=None,
    ) -> None:
        self.port = port
        self.state = state
        self.account_id = account_id
        self.database_id = database_id
        self.api_token = api_token
        self.url: str | None = None
        self._stderr_target = stderr  # None: capture (shown if start fails)
        self._proc: subprocess.Popen | None = None
        self._tmp_state: str | None = None

    # Base URL for the Python adapter, e.g. http://127.0.0.1:PORT/client/v4
    @property
    def api_base_url(self) -> str:
        return f"{self.url}/client/v4"

    def start(self) -> LocalD1Engine:
        ensure_installed(HERE)
        node = _require("node")
        if self.state is None:
            self._tmp_state = tempfile.mkdtemp(prefix="d1-local-")
        state = self.state or self._tmp_state
        cmd = [
            node,
            os.path.join(HERE, "launch.mjs"),
            "--state",
            state,
            "--port",
            str(self.port),
            "--account-id",
            self.account_id,
            "--database-id",
            self.database_id,
            "--token",
            self.api_token,
            "--stop-with-stdin",
        ]
        capture = self._stderr_target is None
        # Own session = own process group, so stop() can kill workerd too
        # even if the launcher itself is already gone.
        self._proc = subprocess.Popen(
            cmd,
            cwd=HERE,
            # Held open until stop(): if this process dies, the engine sees EOF and stops too.
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE if capture else self._stderr_target,
            text=True,
            start_new_session=True,
        )
        self._stderr_lines: list[str] = []
        drain = threading.Thread(target=self._drain_stderr, daemon=True)
        if capture:
            # Drain stderr continuously so workerd can never block on a full pipe.
            drain.start()

        line_box: list[str] = []
        reader = threading.Thread(target=lambda: line_box.append(self._proc.stdout.readline()), daemon=True)
        reader.start()
        reader.join(START_TIMEOUT)
        line = line_box[0] if line_box else ""
        try:
            info = json.loads(line)
        except ValueError:
            self.stop()
            if capture:
                drain.join(2)  # collect the child's last words
            why = "timed out" if not line_box else f"printed {line!r}"
            details = "".join(self._stderr_lines) if capture else "(see stderr above)"
            raise EngineError(f"local D1 engine failed to start ({why}); stderr:\n{details}") from None
        self.url = info["url"]
        return self

    def _drain_stderr(self) -> None:
        for line in self._proc.stderr:
            self._stderr_lines.append(line)
            del self._stderr_lines[:-200]  # keep the tail only

    def stop(self) -> None:
        proc, self._proc = self._proc, None
        if proc is not None:
            for sig, wait in ((signal.SIGTERM, 10), (signal.SIGKILL, 5)):
                with contextlib.suppress(ProcessLookupError):
                    os.killpg(proc.pid, sig)
                try:
                    proc.wait(wait)
                    break
                except subprocess.TimeoutExpired:
                    continue
            # The launcher may exit before workerd is reaped: sweep the group.
            with contextlib.suppress(ProcessLookupError):
                os.killpg(proc.pid, signal.SIGKILL)
            for pipe in (proc.stdin, proc.stdout):
                if pipe:
                    pipe.close()
        if self._tmp_state is not None:
            shutil.rmtree(self._tmp_state, ignore_errors=True)
            self._tmp_state = None

    def __enter__(self) -> LocalD1Engine:
        return self.start()

    def __exit__(self, *exc) -> None:
        self.stop()


def main(argv: list[str] | None = None) -> int:
    import argparse

    parser = argparse.ArgumentParser(description="Run a local D1 engine in the foreground.")
    parser.add_argument("--port", type=int, default=8787)
    parser.add_argument("--state", default=".d1-local", help="persistent state folder")
    parser.add_argument("--account-id", default="local-account")
    parser.add_argument("--database-id", default="local-db")
    parser.add_argument("--token", default="local-token")
    args = parser.parse_args(argv)

    os.makedirs(args.state, exist_ok=True)
    engine = LocalD1Engine(
        port=args.port,
        state=os.path.abspath(args.state),
        account_id=args.account_id,
        database_id=args.database_id,
        api_token=args.token,
        stderr=sys.stderr,  # show workerd's output live
    )
    engine.start()
    print(f"local D1 engine at {engine.url} (state: {engine.state})", flush=True)
    print(
        f"export D1STORE_API_BASE_URL={engine.api_base_url}"
        f" CLOUDFLARE_ACCOUNT_ID={engine.account_id}"
        f" CLOUDFLARE_D1_DATABASE_ID={engine.database_id}"
        f" CLOUDFLARE_API_TOKEN={engine.api_token}",
        flush=True,
    )
    print("Ctrl-C to stop.", flush=True)
    try:
        signal.signal(signal.SIGTERM, lambda *_: sys.exit(0))
        # Also when started in the background, where SIGINT starts ignored.
        signal.signal(signal.SIGINT, signal.default_int_handler)
        engine._proc.wait()  # returns only if the engine dies by itself
        return 1
    except KeyboardInterrupt:
        return 0
    finally:
        engine.stop()


if __name__ == "__main__":
    sys.exit(main())
