"""Automatic naming (MXNet's ``mx.name``): ``NameManager`` hands out ``dense0``, ``dense1``, ...

Names are what make parameter files portable: MXNet builds ``dense0_weight`` from a
global counter per hint, and Gluon's ``name_scope`` prefixes them
(``hybridsequential0_dense0_weight``). A fresh ``NameManager`` (``with NameManager():``)
starts every counter at 0 again.
"""
from __future__ import annotations

import contextvars

__all__ = ["NameManager", "Prefix", "current"]


class NameManager:
    """Hands out unique names per hint; use ``with NameManager():`` for a fresh set of counters."""

    def __init__(self):
        self._counter: dict[str, int] = {}
        self._tokens: list = []

    def get(self, name: str | None, hint: str) -> str:
        """``name`` if given, else ``hint`` followed by the next counter value for it."""
        if name:
            return name
        count = self._counter.get(hint, 0)
        self._counter[hint] = count + 1
        return f"{hint}{count}"

    def __enter__(self) -> NameManager:
        self._tokens.append(_current.set(self))
        return self

    def __exit__(self, *exc) -> None:
        _current.reset(self._tokens.pop())


class Prefix(NameManager):
    """A NameManager that adds ``prefix`` to every name it hands out."""

    def __init__(self, prefix: str):
        super().__init__()
        self._prefix = prefix

    def get(self, name: str | None, hint: str) -> str:
        return self._prefix + super().get(name, hint)


_current: contextvars.ContextVar[NameManager] = contextvars.ContextVar("gluonic_name_manager",
                                                                        default=NameManager())  # noqa: B039


def current() -> NameManager:
    """The active NameManager."""
    return _current.get()
