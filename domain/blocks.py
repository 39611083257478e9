"""One open ``with`` block per unit of work: nesting or sharing one across threads loses work."""

from __future__ import annotations

import threading

from domain.errors import UnitOfWorkInUse

_LOCK = "_d1store_block_lock"


class SingleBlock:
    """Mixed into the unit-of-work ports; needs no constructor, so adapters need not call one."""

    def _open_block(self) -> None:
        # dict.setdefault is atomic, so two threads racing here still share one lock.
        lock: threading.Lock = self.__dict__.setdefault(_LOCK, threading.Lock())
        if not lock.acquire(blocking=False):
            raise UnitOfWorkInUse()

    def _close_block(self) -> None:
        lock: threading.Lock | None = self.__dict__.get(_LOCK)
        if lock is not None and lock.locked():
            lock.release()
