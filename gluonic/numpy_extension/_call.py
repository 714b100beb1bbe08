"""The one helper every ``npx`` function uses: run a registry op through ``mx.np``'s ``call``."""
from __future__ import annotations

import numpy as onp

from ..numpy._core import call, is_symbol


def run(op_name: str, inputs, out=None, **attrs):
    """``op_name`` on ``inputs`` (np arrays run eagerly, np symbols record a node) with ``attrs``.

    Attributes given as None take the op's default (``axis=None`` is passed on: it means
    "all axes" where an op accepts it). A multi-output result is a list, for symbols too.
    """
    attrs = {k: v for k, v in attrs.items() if v is not None or k == "axis"}
    if attrs.get("dtype") is not None and not isinstance(attrs["dtype"], str):  # np.float64 -> 'float64'
        attrs["dtype"] = onp.dtype(attrs["dtype"]).name
    res = call(op_name, inputs, out=out, **attrs)
    if is_symbol(res):
        n = len(res.list_outputs())
        return [res[i] for i in range(n)] if n > 1 else res
    return res
