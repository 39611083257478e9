"""Values crossing between Python and a Workers (Pyodide) D1 binding, without importing Pyodide.

Outward: D1 refuses JavaScript ``undefined`` (D1_TYPE_ERROR), and Pyodide turns Python ``None``
into ``undefined``, so a NULL parameter must be passed as JavaScript ``null`` explicitly: with
``pyodide.ffi.jsnull`` (Pyodide 0.28+), or, before it, by building the argument array in
JavaScript. Inward: JavaScript objects arrive as proxies with ``to_py()``; since Pyodide 0.28
``null`` arrives as ``jsnull`` (also inside what ``to_py()`` returns) and is mapped to ``None``.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Mapping, Sequence
from typing import Any

from adapters.d1.client import Param

#: Binds parameters to a prepared statement proxy; returns the bound statement.
Binder = Callable[[Any, Sequence[Param]], Any]


def null_sentinel_binder(null: object) -> Binder:
    """Pass ``null`` wherever a parameter is None (``pyodide.ffi.jsnull`` inside Workers)."""

    def bind(statement: Any, params: Sequence[Param]) -> Any:
        return statement.bind(*(null if value is None else value for value in params))

    return bind


def json_array_binder(js: Any) -> Binder:
    """For Pyodide without ``jsnull``: the arguments are made a JavaScript array by ``JSON.parse``
    (so None is ``null``) and handed to ``bind`` with ``Reflect.apply``, never crossing back."""

    def bind(statement: Any, params: Sequence[Param]) -> Any:
        arguments = js.JSON.parse(json.dumps(list(params), allow_nan=False))
        return js.Reflect.apply(statement.bind, statement, arguments)

    return bind


def default_binder() -> Binder:
    try:
        from pyodide.ffi import jsnull  # type: ignore[import-not-found]
    except ImportError:
        pass
    else:
        return null_sentinel_binder(jsnull)
    try:
        import js  # type: ignore[import-not-found]
    except ImportError:
        return null_sentinel_binder(None)  # not in Pyodide: a Python stand-in takes None as null
    return json_array_binder(js)


def is_js_null(value: object) -> bool:
    return type(value).__name__ == "JsNull"


def to_python(value: object) -> Any:
    """Plain Python data: proxies converted (anything with ``to_py``), JS null as None, deeply."""
    if value is None or isinstance(value, str | int | float):
        return value
    if is_js_null(value):
        return None
    to_py = getattr(value, "to_py", None)
    if callable(to_py):
        return to_python(to_py())
    if isinstance(value, Mapping):
        return {key: to_python(item) for key, item in value.items()}
    if isinstance(value, list | tuple):
        return [to_python(item) for item in value]
    return value


def field(value: object, name: str) -> Any:
    """``value[name]`` of a converted object, or the attribute of a proxy (or other object)."""
    if isinstance(value, Mapping):
        return value.get(name)
    return getattr(value, name, None)
