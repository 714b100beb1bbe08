"""Shape and dtype inference for registered ops.

The default rule runs the torch implementation on ``meta`` tensors (no data, no compute),
so an op's shape logic lives in one place. Ops whose implementation cannot run on meta
tensors (data-dependent output shapes) declare ``shape_rule`` at registration.
"""
from __future__ import annotations

from collections.abc import Sequence

import torch

from .. import _dtype
from ..base import GluonicValueError, MXNetError
from .registry import Op


def infer(op: Op, shapes: Sequence[tuple[int, ...] | None], dtypes: Sequence, attrs) -> list[tuple[tuple[int, ...], object]]:
    """Output ``(shape, numpy dtype)`` pairs of ``op`` for inputs of the given shapes and dtypes.

    ``None`` marks an absent optional input.
    """
    if op.shape_rule is not None:
        return op.shape_rule(shapes, dtypes, attrs)
    tensors = [
        None if s is None else torch.empty(tuple(s), dtype=_dtype.to_torch(d), device="meta")
        for s, d in zip(shapes, dtypes)
    ]
    try:
        with torch.no_grad():
            out = op.impl(*tensors, a=attrs) if attrs is not None else op.impl(*tensors)
    except MXNetError:
        raise
    except (RuntimeError, ValueError, IndexError, TypeError, NotImplementedError) as e:
        raise GluonicValueError(
            f"Operator {op.name}: cannot infer output shapes: {e}. Received: input shapes {list(shapes)}"
        ) from e
    outs = [out] if isinstance(out, torch.Tensor) else list(out)
    return [(tuple(o.shape), _dtype.from_torch(o.dtype)) for o in outs]
