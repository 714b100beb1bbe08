"""mx.np products (dot, vdot, inner, outer, matmul/@, tensordot, einsum, kron, cross) against NumPy."""
import numpy as onp
import pytest

import gluonic as mx
from gluonic import numpy as np
from tests.numpy.np_harness import check_np, check_np_error

RNG = onp.random.RandomState(0)


def rand(*shape, dtype="float32"):
    if onp.issubdtype(onp.dtype(dtype), onp.integer):
        return RNG.randint(-4, 5, size=shape).astype(dtype)
    if dtype == "bool":
        return RNG.rand(*shape) > 0.5
    return RNG.uniform(-1, 1, size=shape).astype(dtype)


DOT_SHAPES = [((), (3,)), ((2, 3), ()), ((3,), (3,)), ((2, 3), (3,)), ((3,), (3, 4)), ((2, 3), (3, 4)),
              ((2, 3, 4), (4,)), ((2, 3, 4), (5, 4, 2)), ((4,), (2, 4, 3)), ((0, 3), (3, 2)), ((2, 0), (0, 3))]


@pytest.mark.parametrize("sa,sb", DOT_SHAPES)
def test_dot_shapes(sa, sb):
    check_np("dot", onp.dot, [rand(*sa), rand(*sb)], grad=0 not in sa + sb)


@pytest.mark.parametrize("da,db", [("int32", "int32"), ("int64", "int64"), ("float64", "float64"), ("float16", "float16"),
                                   ("float32", "float64"), ("bool", "bool"), ("int8", "int8")])
def test_dot_dtypes(da, db):
    check_np("dot", onp.dot, [rand(2, 3, dtype=da), rand(3, 2, dtype=db)], rtol=1e-2 if da == "float16" else 1e-5)


def test_dot_int_with_float32_is_float32():
    # NumPy promotes int32 with float32 to float64; MXNet's np (and gluonic) keep float32.
    check_np("dot", onp.dot, [rand(2, 3, dtype="int32"), rand(3, 2)], expect_dtype="float32")


@pytest.mark.parametrize("scalar", [2, 2.5])
def test_dot_python_scalar(scalar):
    # Python scalars are weak (NEP 50): float32 stays float32 (NumPy's dot makes float64 here).
    x = rand(2, 3)
    check_np("dot", onp.dot, [x, scalar], expect_dtype="float32")
    check_np("dot", onp.dot, [scalar, x], expect_dtype="float32")
    xi = rand(2, 3, dtype="int32")
    got = np.dot(np.array(xi, dtype="int32"), scalar)
    assert got.dtype == (onp.int32 if isinstance(scalar, int) else onp.float32)
    onp.testing.assert_allclose(got.asnumpy(), xi * scalar)


def test_dot_method_and_out():
    a, b = rand(2, 3), rand(3, 4)
    onp.testing.assert_allclose(np.array(a).dot(np.array(b)).asnumpy(), a @ b, rtol=1e-5)
    out = np.array(onp.zeros((2, 4), "float32"))
    r = np.dot(np.array(a), np.array(b), out=out)
    assert r is out
    onp.testing.assert_allclose(out.asnumpy(), a @ b, rtol=1e-5)


def test_dot_errors():
    check_np_error("dot", [rand(2, 3), rand(4, 5)], match=r"np\.dot.*\(2, 3\).*\(4, 5\)")
    check_np_error("dot", [rand(3), rand(4)], match=r"np\.dot.*\(3,\).*\(4,\)")


MATMUL_SHAPES = [((3,), (3,)), ((2, 3), (3,)), ((3,), (3, 4)), ((2, 3), (3, 4)), ((5, 2, 3), (3, 4)),
                 ((2, 1, 3, 4), (5, 4, 2)), ((3,), (2, 3, 4)), ((2, 3, 4), (4,)), ((0, 2, 3), (3, 2)), ((2, 0), (0, 2))]


@pytest.mark.parametrize("sa,sb", MATMUL_SHAPES)
def test_matmul_shapes(sa, sb):
    check_np("matmul", onp.matmul, [rand(*sa), rand(*sb)], grad=0 not in sa + sb)


@pytest.mark.parametrize("dtype", ["int32", "int64", "float64", "bool"])
def test_matmul_dtypes(dtype):
    check_np("matmul", onp.matmul, [rand(2, 2, 3, dtype=dtype), rand(3, 2, dtype=dtype)])


def test_matmul_operator():
    a, b = rand(4, 2, 3), rand(3, 5)
    got = np.array(a) @ np.array(b)
    assert isinstance(got, np.ndarray) and got.shape == (4, 2, 5)
    onp.testing.assert_allclose(got.asnumpy(), a @ b, rtol=1e-5)
    check_np(lambda x, y: x @ y, onp.matmul, [a, b])


def test_matmul_errors():
    check_np_error("matmul", [rand(2, 3), rand(4, 5)], match=r"np\.matmul.*\(2, 3\).*\(4, 5\)")
    check_np_error("matmul", [rand(2, 2, 3), rand(3, 3, 4)], match=r"np\.matmul.*batch.*\(2, 2, 3\).*\(3, 3, 4\)")
    check_np_error("matmul", [rand(), rand(3)], match=r"np\.matmul.*0-d")
    with pytest.raises(mx.MXNetError, match="matmul"):
        np.matmul(np.array(rand(3)), 2.0)


@pytest.mark.parametrize("sa,sb,axes", [((3, 4, 5), (4, 5, 2), 2), ((2, 3), (3, 4), 1), ((2,), (3,), 0), ((2, 3), (2, 3), 2),
                                        ((2, 3), (4, 2), ([0], [1])), ((2, 3, 4), (4, 3, 5), ((1, 2), (1, 0))),
                                        ((2, 3, 4), (3, 4, 2), ((-2, -1), (0, 1))), ((2, 3), (3, 2), (1, 0))])
def test_tensordot(sa, sb, axes):
    check_np("tensordot", onp.tensordot, [rand(*sa), rand(*sb)], grad=True, axes=axes)


def test_tensordot_int():
    check_np("tensordot", onp.tensordot, [rand(2, 3, dtype="int32"), rand(3, 2, dtype="int32")], axes=1)


def test_tensordot_errors():
    check_np_error("tensordot", [rand(2, 3), rand(4, 5)], match=r"np\.tensordot.*\(2, 3\).*\(4, 5\)", axes=1)
    check_np_error("tensordot", [rand(2, 3), rand(3, 5)], match=r"np\.tensordot", axes=([0], [0]))
    check_np_error("tensordot", [rand(2, 3), rand(3, 5)], match=r"out of range", axes=([2], [0]))
    check_np_error("tensordot", [rand(2, 3), rand(3, 5)], match=r"length", axes=([0, 1], [0]))


@pytest.mark.parametrize("sa,sb", [((3,), (3,)), ((2, 3), (4, 3)), ((2, 3, 4), (5, 4)), ((), (2, 3)), ((2, 3), ())])
def test_inner(sa, sb):
    check_np("inner", onp.inner, [rand(*sa), rand(*sb)], grad=True)


@pytest.mark.parametrize("sa,sb", [((3,), (4,)), ((2, 2), (3,)), ((2,), (2, 3))])
def test_outer_vdot(sa, sb):
    check_np("outer", onp.outer, [rand(*sa), rand(*sb)], grad=True)
    if onp.prod(sa) == onp.prod(sb):
        check_np("vdot", onp.vdot, [rand(*sa), rand(*sb)], grad=True)


def test_vdot():
    check_np("vdot", onp.vdot, [rand(2, 3), rand(3, 2)], grad=True)
    check_np("vdot", onp.vdot, [rand(4, dtype="int32"), rand(2, 2, dtype="int32")])


EINSUM = [("ij,jk->ik", [(2, 3), (3, 4)]), ("ij,jk", [(2, 3), (3, 4)]), ("ii", [(3, 3)]), ("ii->i", [(3, 3)]),
          ("ij->", [(2, 3)]), ("ji", [(2, 3)]), ("ij", [(2, 3)]), ("i,j->ij", [(2,), (3,)]), ("i,i", [(3,), (3,)]),
          ("...ij,...jk", [(2, 2, 3), (3, 4)]), ("bij,bjk->bik", [(2, 2, 3), (2, 3, 2)]), ("...i,...i->...", [(2, 3), (2, 3)]),
          ("ij,jk,kl->il", [(2, 3), (3, 2), (2, 2)]), ("i...->...", [(2, 3, 2)]), (" ij , jk -> ik ", [(2, 3), (3, 1)]),
          ("ba", [(2, 3)])]


@pytest.mark.parametrize("subscripts,shapes", EINSUM)
def test_einsum(subscripts, shapes):
    inputs = [rand(*s) for s in shapes]
    check_np(lambda *xs: np.einsum(subscripts, *xs), lambda *xs: onp.einsum(subscripts, *xs), inputs, grad=True)


def test_einsum_int_and_optimize():
    x = rand(2, 3, dtype="int32")
    check_np(lambda a: np.einsum("ij->j", a), lambda a: onp.einsum("ij->j", a), [x])
    check_np(lambda a, b: np.einsum("ij,jk", a, b, optimize=True), lambda a, b: onp.einsum("ij,jk", a, b), [rand(2, 3), rand(3, 2)])


def test_einsum_errors():
    check_np_error(lambda a: np.einsum("ij,jk", a), [rand(2, 3)], match=r"np\.einsum.*2 operands.*\(2, 3\)")
    check_np_error(lambda a, b: np.einsum("ij,jk", a, b), [rand(2, 3), rand(4, 2)], match=r"np\.einsum")
    with pytest.raises(mx.MXNetError, match="subscripts"):
        np.einsum(np.array(rand(2)), [0])


@pytest.mark.parametrize("sa,sb", [((2, 2), (3, 3)), ((2,), (3,)), ((2, 3), (3,)), ((2, 1, 2), (2, 3))])
def test_kron(sa, sb):
    check_np("kron", onp.kron, [rand(*sa), rand(*sb)], grad=True)


@pytest.mark.parametrize("sa,sb,kw", [((3,), (3,), {}), ((4, 3), (3,), {}), ((2, 1, 3), (4, 3), {}),
                                      ((3, 4), (4, 3), {"axisa": 0}), ((3, 2), (3, 2), {"axis": 0}), ((4, 3), (2,), {}),
                                      ((4, 2), (4, 2), {})])
def test_cross(sa, sb, kw):
    check_np("cross", _cross_reference, [rand(*sa), rand(*sb)], grad=True, **kw)


def _cross_reference(a, b, axisa=-1, axisb=-1, axisc=-1, axis=None):
    """NumPy's cross, with 2-vectors taken as 3-vectors of z = 0 (NumPy >= 2.5 refuses 2-vectors)."""
    if axis is not None:
        axisa = axisb = axisc = axis
    a, b = onp.moveaxis(a, axisa, -1), onp.moveaxis(b, axisb, -1)
    if a.shape[-1] == 2 and b.shape[-1] == 2:
        return a[..., 0] * b[..., 1] - a[..., 1] * b[..., 0]

    def pad(v):
        return onp.concatenate([v, onp.zeros_like(v[..., :1])], -1) if v.shape[-1] == 2 else v

    return onp.moveaxis(onp.cross(pad(a), pad(b)), -1, axisc)
