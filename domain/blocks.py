"""One open ``with`` block per unit of work: nesting or sharing one across threads loses work."""

from __future__ import annotations

import abc
import threading

from domain.errors import UnitOfWorkInUse

_LOCK = "_d1store_block_lock"


class SingleBlock(abc.ABC):
    """The block discipline of the sync and async unit-of-work ports (no constructor to call)."""

    @abc.abstractmethod
    def rollback(self) -> None: ...

    def _begin_block(self) -> None:
        # dict.setdefault is atomic, so two threads racing here still share one lock.
        lock: threading.Lock = self.__dict__.setdefault(_LOCK, threading.Lock())
        if not lock.acquire(blocking=False):
            raise UnitOfWorkInUse()
        self.rollback()

    def _end_block(self) -> None:
        try:
            self.rollback()
        finally:
            lock: threading.Lock | None = self.__dict__.get(_LOCK)
            if lock is not None and lock.locked():
                lock.release()
