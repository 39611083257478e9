"""The stateful model comparison of ``contract/test_model_comparison.py`` — the same machine and
assertions — on the async backends, through the sync facade. The local ones run the full count;
the REST one fewer (it drives the same flows as the sync REST backend, which runs the full count)."""

from __future__ import annotations

import os
import uuid

import pytest
from async_backends.stores import async_stores
from contract.test_model_comparison import MODEL_SETTINGS, make_machine
from hypothesis import settings
from hypothesis.stateful import run_state_machine_as_test

REST_EXAMPLES = int(os.environ.get("D1STORE_ASYNC_REST_MODEL_EXAMPLES", "12"))


@pytest.mark.parametrize(
    "name",
    ["async_memory", "async_sqlite", "binding", pytest.param("async_d1local", marks=pytest.mark.d1local)],
)
def test_async_backend_matches_the_model(name, request, tmp_path):
    engine = request.getfixturevalue("d1_engine") if name == "async_d1local" else None
    with async_stores(tmp_path, engine) as stores:

        def fresh_store():
            if name == "async_memory":
                return stores.memory()()
            new_uow, _client = stores.d1(name, f"m{uuid.uuid4().hex[:8]}_")
            return new_uow()

        chosen = settings(MODEL_SETTINGS, max_examples=REST_EXAMPLES) if engine else MODEL_SETTINGS
        run_state_machine_as_test(make_machine(fresh_store), settings=chosen)
