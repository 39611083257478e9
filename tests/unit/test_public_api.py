"""The public names of adapters.d1 resolve, and the embedded path does not load the REST stack."""

from __future__ import annotations

import subprocess
import sys

import adapters.d1


def test_every_exported_name_resolves_to_its_definition() -> None:
    for name in adapters.d1.__all__:
        value = getattr(adapters.d1, name)
        assert getattr(value, "__name__", name) == name


def test_the_embedded_client_does_not_import_httpx() -> None:
    probe = "import sys, adapters.d1.sqlite_client; print('httpx' in sys.modules)"
    out = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "False"
