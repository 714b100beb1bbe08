"""``npx`` array operators: MXNet's reshape codes, indexing (pick, topk, gather_nd, one_hot), and math extras.

Signatures follow MXNet 1.9's ``mx.npx``; attributes left at None take the operator's
default. np arrays run eagerly; np symbols (inside a hybridized block) record nodes.
"""
from __future__ import annotations

import numbers

from ..base import GluonicTypeError
from ._call import run

__all__ = ["reshape", "reshape_like", "batch_flatten", "batch_dot", "one_hot", "pick", "topk", "gather_nd",
           "arange_like", "shape_array", "slice", "nonzero", "cast", "smooth_l1", "erf", "erfinv", "gamma",
           "gammaln", "constraint_check"]


def reshape(a, newshape, reverse=False, order="C"):
    """``a`` in a new shape (always a copy), with MXNet's NumPy-mode codes in ``newshape``.

    ``d >= 0`` a size; ``-1`` inferred (at most one); ``-2`` copy the next input dimension;
    ``-3`` drop the next input dimension (must be 1); ``-4`` copy all remaining input
    dimensions; ``-5`` multiply the next two input dimensions; ``-6, d1, d2`` split the next
    input dimension into two (one of them may be -1). ``reverse=True`` reads both shapes
    right to left. Only ``order='C'``. (These are not the legacy ``Reshape`` codes.)

    >>> from gluonic import np, npx
    >>> npx.reshape(np.ones((2, 3, 8)), (-2, -2, 2, -1)).shape
    (2, 3, 2, 4)
    >>> npx.reshape(np.ones((8, 3, 3, 3, 4, 4)), (-6, 2, -1, -4)).shape
    (2, 4, 3, 3, 3, 4, 4)
    """
    if isinstance(newshape, numbers.Integral):
        newshape = (int(newshape),)
    elif not isinstance(newshape, (tuple, list)):
        raise GluonicTypeError(f"npx.reshape: newshape must be an int or a tuple of ints. Received: {newshape!r}")
    return run("_npx_reshape", [a], None, newshape=tuple(newshape), reverse=reverse, order=order)


def reshape_like(lhs, rhs, lhs_begin=None, lhs_end=None, rhs_begin=None, rhs_end=None, out=None, name=None):
    """``lhs`` with axes ``[lhs_begin, lhs_end)`` replaced by ``rhs``'s axes ``[rhs_begin, rhs_end)``
    (by default the whole shape of ``rhs``).

    >>> from gluonic import np, npx
    >>> npx.reshape_like(np.ones((2, 3)), np.ones((3, 2))).shape
    (3, 2)
    """
    return run("reshape_like", [lhs, rhs], out, lhs_begin=lhs_begin, lhs_end=lhs_end, rhs_begin=rhs_begin,
               rhs_end=rhs_end)


def batch_flatten(data, out=None, name=None):
    """Collapse all axes but the first: (N, d1, d2, …) → (N, d1 * d2 * …); (N,) → (N, 1).

    >>> from gluonic import np, npx
    >>> npx.batch_flatten(np.ones((2, 3, 4))).shape
    (2, 12)
    """
    return run("Flatten", [data], out)


def batch_dot(lhs, rhs, transpose_a=False, transpose_b=False, forward_stype=None, out=None, name=None):
    """Batched matrix product: (B, n, k) x (B, k, m) → (B, n, m) (``transpose_a/b`` transpose the matrices).

    >>> from gluonic import np, npx
    >>> npx.batch_dot(np.ones((2, 2, 3)), np.ones((2, 3, 4))).shape
    (2, 2, 4)
    """
    return run("batch_dot", [lhs, rhs], out, transpose_a=transpose_a, transpose_b=transpose_b,
               forward_stype=forward_stype)


def one_hot(data, depth=None, on_value=1.0, off_value=0.0, dtype="float32", out=None, name=None):
    """One-hot rows: indices (…) → (…, depth), ``on_value`` at each index (float32 by default, as in MXNet).

    Indices outside ``[0, depth)`` give all-``off_value`` rows.

    >>> from gluonic import np, npx
    >>> npx.one_hot(np.array([0, 2]), 3)
    array([[1., 0., 0.],
           [0., 0., 1.]])
    """
    return run("one_hot", [data], out, depth=depth, on_value=on_value, off_value=off_value, dtype=dtype)


def pick(data, index, axis=-1, keepdims=False, mode="clip", out=None, name=None):
    """``data[..., index[...], ...]`` along ``axis``: one element per position of the other axes.

    Shapes: ``data`` (d0, …, dk at ``axis``, …); ``index`` ``data``'s shape without ``axis`` →
    the same (``keepdims`` keeps ``axis`` with size 1). ``mode`` 'clip' or 'wrap' handles
    out-of-range indices.

    >>> from gluonic import np, npx
    >>> npx.pick(np.array([[1.0, 2.0], [3.0, 4.0]]), np.array([1, 0]))
    array([2., 3.])
    """
    return run("pick", [data, index], out, axis=axis, keepdims=keepdims, mode=mode)


def topk(data, axis=-1, k=1, ret_typ="indices", is_ascend=False, dtype="float32", out=None, name=None):
    """The ``k`` largest (``is_ascend``: smallest) entries along ``axis`` (None: the flattened array).

    ``ret_typ``: 'indices' (as ``dtype``, float32 by default as in MXNet), 'value', 'both'
    (a list ``[values, indices]``) or 'mask' (``data``'s shape, 1 at the chosen entries).
    Shapes: ``data`` (…, n at ``axis``, …) → (…, k, …).

    >>> from gluonic import np, npx
    >>> npx.topk(np.array([1.0, 3.0, 2.0]), k=2, ret_typ="value")
    array([3., 2.])
    """
    return run("topk", [data], out, axis=axis, k=k, ret_typ=ret_typ, is_ascend=is_ascend, dtype=dtype)


def gather_nd(data, indices, out=None, name=None):
    """``data[indices[0], indices[1], …]``: ``indices`` (M, …) index the first M axes of ``data``.

    Shapes: ``data`` (d0, …, dn); ``indices`` (M, y0, …) → (y0, …, dM, …, dn).

    >>> from gluonic import np, npx
    >>> npx.gather_nd(np.array([[1.0, 2.0], [3.0, 4.0]]), np.array([[1, 0], [0, 1]]))
    array([3., 2.])
    """
    return run("gather_nd", [data, indices], out)


def arange_like(data, start=0.0, step=1.0, repeat=1, ctx=None, axis=None, out=None, name=None):
    """``start, start + step, …`` (each ``repeat`` times) shaped like ``data``, in ``data``'s dtype;
    with ``axis``, a 1-d array as long as ``data.shape[axis]``.

    >>> from gluonic import np, npx
    >>> npx.arange_like(np.ones((2, 3)), axis=-1)
    array([0., 1., 2.])
    """
    return run("_contrib_arange_like", [data], out, start=start, step=step, repeat=repeat,
               ctx=None if ctx is None else str(ctx), axis=axis)


def shape_array(data, out=None, name=None):
    """The shape of ``data`` as a 1-d int64 array ((0,) for a 0-d array).

    >>> from gluonic import np, npx
    >>> npx.shape_array(np.ones((2, 3)))
    array([2, 3], dtype=int64)
    """
    return run("shape_array", [data], out)


def slice(data, begin, end, step=None, out=None, name=None):  # noqa: A001 - MXNet's name
    """``data[begin[0]:end[0]:step[0], …]`` over the leading axes (None entries: the default bound).

    >>> from gluonic import np, npx
    >>> npx.slice(np.array([[1.0, 2.0, 3.0], [4.0, 5.0, 6.0]]), (0, 1), (2, 3))
    array([[2., 3.],
           [5., 6.]])
    """
    return run("slice", [data], out, begin=begin, end=end, step=step)


def nonzero(a):
    """Indices of the nonzero elements: int64 of shape (N, a.ndim), one row per element (a 0-d ``a`` counts as (1,)).

    The output shape depends on the values: inside a hybridized block this op has no
    static shape.

    >>> from gluonic import np, npx
    >>> npx.nonzero(np.array([[1.0, 0.0], [0.0, 2.0]]))
    array([[0, 0],
           [1, 1]], dtype=int64)
    """
    return run("_npx_nonzero", [a])


def cast(data, dtype=None, out=None, name=None):
    """``data`` converted to ``dtype`` (floats to ints truncate toward zero). Shapes: unchanged.

    >>> from gluonic import np, npx
    >>> npx.cast(np.array([1.7, -1.7]), "int32")
    array([ 1, -1], dtype=int32)
    """
    return run("Cast", [data], out, dtype=dtype)


def smooth_l1(data, scalar=1.0, out=None, name=None):
    """Smooth L1 with ``sigma = scalar``: ``0.5 * (sigma * x) ** 2`` where ``|x| < 1 / sigma ** 2``,
    else ``|x| - 0.5 / sigma ** 2``. Shapes: unchanged.

    >>> from gluonic import np, npx
    >>> npx.smooth_l1(np.array([0.5, 2.0]))
    array([0.125, 1.5  ])
    """
    return run("smooth_l1", [data], out, scalar=scalar)


def erf(data, out=None, name=None):
    """The Gauss error function, elementwise.

    >>> from gluonic import np, npx
    >>> npx.erf(np.array([0.0]))
    array([0.])
    """
    return run("erf", [data], out)


def erfinv(data, out=None, name=None):
    """The inverse error function, elementwise (±inf at ±1).

    >>> from gluonic import np, npx
    >>> npx.erfinv(np.array([0.0]))
    array([0.])
    """
    return run("erfinv", [data], out)


def gamma(data, out=None, name=None):
    """The gamma function, elementwise.

    >>> from gluonic import np, npx
    >>> npx.gamma(np.array([3.0]))
    array([2.])
    """
    return run("gamma", [data], out)


def gammaln(data, out=None, name=None):
    """``log(|gamma(x)|)``, elementwise.

    >>> from gluonic import np, npx
    >>> npx.gammaln(np.array([1.0]))
    array([0.])
    """
    return run("gammaln", [data], out)


def constraint_check(x, msg="Constraint violated."):
    """``np.array(True)`` when every element of the boolean array ``x`` is true, else ``ValueError(msg)``.

    Multiply a value by the result to keep the check in a traced graph.

    >>> from gluonic import np, npx
    >>> npx.constraint_check(np.array([1.0, 2.0]) > 0, "must be positive")
    array(True)
    """
    return run("_npx_constraint_check", [x], None, msg=msg)
