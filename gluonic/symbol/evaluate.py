"""Run a Symbol graph on NDArrays, node by node through the registry's implementations.

This is the reference interpreter: eager semantics (autograd records through it, BatchNorm
updates its auxiliary states in place), used by ``SymbolBlock`` and ``Symbol.eval``.
"""
from __future__ import annotations

from ..base import GluonicValueError
from ..ndarray.ndarray import NDArray, invoke
from .symbol import Symbol, _with_absent


def run(sym: Symbol, values: dict[str, NDArray]) -> list[NDArray]:
    """The outputs of ``sym`` with its input variables bound to ``values`` (by name)."""
    results: dict[tuple[int, int], NDArray] = {}
    for n in sym._nodes():
        if n.op is None:
            try:
                results[(id(n), 0)] = values[n.name]
            except KeyError:
                raise GluonicValueError(
                    f"Symbol input '{n.name}' has no value. Received values for: {sorted(values)}") from None
            continue
        args = _with_absent(n, [results[(id(c), i)] for c, i in n.inputs])
        out = invoke(n.op, args, n.attrs)
        if isinstance(out, NDArray):
            results[(id(n), 0)] = out
        else:
            for i, o in enumerate(out):
                results[(id(n), i)] = o
    return [results[(id(n), i)] for n, i in sym._outputs]
