"""Folding: automatic dynamic batching of per-sample code (Tree-LSTMs, recursive nets, ragged loops).

Write the natural per-sample program; inside ``fold.batching()`` calls of HybridBlocks and
of registered operators on per-sample values are recorded instead of run. When a value is
needed (``backward()``, ``asnumpy()``, ``asscalar()``, ``float()``, leaving the scope), the
pending calls run in groups: calls with the same signature (the same block or op and
attributes, input shapes equal except along the batch axis, same autograd/train mode) whose
inputs are ready run as one call on concatenated inputs, and the results are split back.

>>> import gluonic as mx
>>> from gluonic import fold, gluon, nd
>>> cell = gluon.nn.Dense(4, in_units=3)
>>> cell.initialize()
>>> xs = [nd.ones((1, 3)) * i for i in range(8)]
>>> with fold.batching() as scope:
...     ys = [cell(x) for x in xs]            # recorded, not run
...     rows = [y * 2 for y in ys]            # still lazy
...     first = rows[0].asnumpy()             # forces: one Dense call on (8, 3), one multiply on (8, 4)
>>> scope.stats.calls, scope.stats.groups
(16, 2)

``fold.batching(enabled=False)`` (or ``GLUONIC_FOLD=0`` in the environment) runs the same
code unbatched: the eager twin, for debugging and for equality tests. See docs/fold.md.
"""
from __future__ import annotations

import gc
import os

from .. import _state
from ..base import GluonicValueError
from ._lazy import LazyArray
from ._scope import Scope, Stats

__all__ = ["batching", "current_scope", "LazyArray", "Scope", "Stats"]


class batching:  # noqa: N801 - used as ``with fold.batching():``
    """Context manager: record per-sample calls and run them batched.

    Parameters
    ----------
    enabled : bool, default True (``GLUONIC_FOLD=0`` turns every scope off)
        False runs the code eagerly, call by call (the eager twin).
    strategy : {'agenda', 'depth'}, default 'agenda'
        The scheduler: DyNet-style agenda (lowest average depth first) or depth levels.

    The scope object (``with fold.batching() as scope``) has ``stats`` and ``flush()``.
    Scopes do not nest: an inner ``batching()`` joins the outer one.
    """

    def __init__(self, enabled: bool = True, strategy: str = "agenda"):
        env = os.environ.get("GLUONIC_FOLD", "1").strip().lower()
        self.enabled = bool(enabled) and env not in ("0", "false", "off")
        self.scope = Scope(strategy)
        self._outer = None

    def __enter__(self) -> Scope:
        self._outer = _state.fold_scope[0]
        if not self.enabled:
            _state.fold_scope[0] = None
            return self.scope
        if self._outer is not None:
            if self._outer.strategy != self.scope.strategy:
                raise GluonicValueError("fold.batching: a nested scope must use the outer scope's strategy. "
                                        f"Received: {self.scope.strategy!r} inside {self._outer.strategy!r}")
            self.scope = self._outer
            return self._outer
        _state.fold_scope[0] = self.scope
        # Recording allocates many small objects; the cyclic collector's full passes over a big
        # heap would cost more than the batching saves. Reference counting still frees them.
        self._gc = gc.isenabled()
        gc.disable()
        return self.scope

    def __exit__(self, exc_type, exc, tb):
        try:
            if self.enabled and self._outer is None and exc_type is None:
                self.scope.flush()
        finally:
            _state.fold_scope[0] = self._outer
            if self.enabled and self._outer is None and self._gc:
                gc.enable()
            if exc_type is not None and self._outer is None:
                self.scope.discard()
        return False


def current_scope() -> Scope | None:
    """The active fold scope, or None."""
    return _state.fold_scope[0]
