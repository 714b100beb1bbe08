"""mx.np reductions vs NumPy: values, dtypes, shapes, axes, keepdims, empty/0-d inputs, errors, gradients."""
import numpy as onp
import pytest

import gluonic as mx
from gluonic import autograd
from gluonic import numpy as np
from tests.numpy.np_harness import check_np, check_np_error

rng = onp.random.RandomState(0)
X = rng.uniform(-2, 2, (2, 3, 4)).astype(onp.float32)
SMALL = rng.uniform(0.5, 2, (2, 3)).astype(onp.float64)  # gradient inputs: no ties, no zeros

AXES = [None, 0, -1, (0, 2), (-1, -3), ()]


# ------------------------------------------------------------------------------ sum / prod
@pytest.mark.parametrize("axis", AXES)
@pytest.mark.parametrize("keepdims", [False, True])
@pytest.mark.parametrize("name", ["sum", "prod", "max", "min", "amax", "amin", "nansum", "nanmax", "nanmin", "ptp"])
def test_axes_keepdims(name, axis, keepdims):
    check_np(name, getattr(onp, name), [X], axis=axis, keepdims=keepdims, rtol=1e-5, atol=1e-5)


@pytest.mark.parametrize("name", ["sum", "prod", "cumsum", "cumprod"])
@pytest.mark.parametrize("dtype", ["bool", "int8", "int32", "int64", "float16", "float64"])
def test_accumulator_dtypes(name, dtype):
    a = (rng.uniform(0, 3, (3, 4)) > 1).astype(dtype) if dtype == "bool" else rng.randint(0, 4, (3, 4)).astype(dtype)
    check_np(name, getattr(onp, name), [a], axis=0, rtol=1e-3)
    check_np(name, getattr(onp, name), [a])


def test_unsigned_sum_gives_int64():
    # NumPy gives uint64, which gluonic does not have
    check_np("sum", onp.sum, [onp.arange(5, dtype=onp.uint8)], expect_dtype="int64")


@pytest.mark.parametrize("name", ["sum", "prod"])
def test_dtype_and_initial(name):
    a = onp.arange(1, 7, dtype=onp.int32).reshape(2, 3)
    check_np(name, getattr(onp, name), [a], axis=1, dtype="float64")
    check_np(name, getattr(onp, name), [a.astype(onp.float32)], axis=1, initial=5)
    check_np(name, getattr(onp, name), [a.astype(onp.float32)], dtype="float16", rtol=1e-3)


@pytest.mark.parametrize("name", ["sum", "prod", "mean", "std", "var", "max", "min", "any", "all", "count_nonzero"])
def test_zero_dim_input(name):
    a = onp.array(1.5, dtype=onp.float32)
    ref = getattr(onp, name)
    want = {"mean": "float32", "std": "float32", "var": "float32"}.get(name)
    got = check_np(name, ref, [a], expect_dtype=want, check_dtype=want is None)
    assert got.shape == ()


@pytest.mark.parametrize("name,value", [("sum", 0.0), ("prod", 1.0), ("any", False), ("all", True),
                                        ("count_nonzero", 0), ("nansum", 0.0)])
def test_empty_reductions_with_identity(name, value):
    a = onp.zeros((0, 3), dtype=onp.float32)
    check_np(name, getattr(onp, name), [a], axis=0)
    got = check_np(name, getattr(onp, name), [a])
    assert got.item() == value


@pytest.mark.parametrize("name", ["max", "min", "amax", "ptp", "nanmax", "argmax", "argmin"])
def test_empty_reduction_without_identity_is_an_error(name):
    a = onp.zeros((0, 3), dtype=onp.float32)
    check_np_error(name, [a], match=f"np.{name.replace('amax', 'max')}.*(zero-size|empty)", axis=0)
    check_np(name, getattr(onp, name), [a], axis=1)  # the other axis is fine


def test_max_initial_on_empty():
    a = onp.zeros((0, 3), dtype=onp.float32)
    check_np("max", onp.max, [a], axis=0, initial=-1.0)
    check_np("min", onp.min, [X], axis=1, initial=-0.5)


# ---------------------------------------------------------------------------- mean / std / var
@pytest.mark.parametrize("axis", AXES)
@pytest.mark.parametrize("keepdims", [False, True])
@pytest.mark.parametrize("name", ["mean", "std", "var", "nanmean"])
def test_moments(name, axis, keepdims):
    check_np(name, getattr(onp, name), [X], axis=axis, keepdims=keepdims, rtol=1e-5, atol=1e-6)


@pytest.mark.parametrize("ddof", [0, 1, 2])
def test_ddof(ddof):
    check_np("var", onp.var, [X], axis=(0, 2), ddof=ddof, rtol=1e-5)
    check_np("std", onp.std, [X], axis=1, ddof=ddof, rtol=1e-5)


def test_ddof_too_large_matches_numpy():
    with onp.errstate(divide="ignore", invalid="ignore"):
        import warnings

        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            check_np("var", onp.var, [X], axis=0, ddof=2)


@pytest.mark.parametrize("name", ["mean", "std", "var", "nanmean"])
@pytest.mark.parametrize("dtype", ["bool", "int32", "int64", "uint8"])
def test_integer_moments_are_float32(name, dtype):
    # MXNet's rule (NumPy: float64); MXNet's std/var truncate to the integer dtype instead
    a = onp.array([[1, 2, 4], [0, 7, 5]], dtype=dtype)
    check_np(name, getattr(onp, name), [a], axis=1, expect_dtype="float32")


def test_mean_dtypes():
    check_np("mean", onp.mean, [X.astype(onp.float16)], rtol=1e-3, atol=1e-3)
    check_np("mean", onp.mean, [onp.arange(5, dtype=onp.int32)], dtype="float64")
    check_np("mean", onp.mean, [onp.arange(6, dtype=onp.int32)], dtype="int32")
    check_np("std", onp.std, [X], dtype="float64", rtol=1e-6)


def test_mean_over_empty_axis_is_nan():
    got = np.mean(np.zeros((0, 3)), axis=0)
    assert got.shape == (3,) and onp.isnan(got.asnumpy()).all()  # NumPy: NaN; MXNet 1.9: 0


# ------------------------------------------------------------------------------ nan variants
def test_nan_functions():
    a = X.copy()
    a[0, 1, 2] = a[1, 0, :] = onp.nan
    import warnings

    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        for name in ["nansum", "nanprod", "nanmean", "nanmax", "nanmin"]:
            for axis in [None, 0, 2, (1, 2)]:
                check_np(name, getattr(onp, name), [a], axis=axis, rtol=1e-5, atol=1e-6)
        check_np("nanmax", onp.nanmax, [onp.full((2, 2), onp.nan, onp.float32)], axis=0)  # all-NaN → NaN
    check_np("max", onp.max, [a], axis=2)  # NaN propagates


# ---------------------------------------------------------------------------- any / all / count
@pytest.mark.parametrize("name", ["any", "all", "sometrue", "alltrue", "count_nonzero"])
@pytest.mark.parametrize("axis", [None, 0, (0, 1), -1])
def test_logical(name, axis):
    a = (rng.uniform(size=(3, 4)) > 0.3).astype(onp.float32)
    a[:, 1] = 1
    ref = {"sometrue": onp.any, "alltrue": onp.all}.get(name) or getattr(onp, name)
    check_np(name, ref, [a], axis=axis)
    check_np(name, ref, [a.astype(onp.int32)], axis=axis, keepdims=True)


# ---------------------------------------------------------------------------- argmax / argmin
@pytest.mark.parametrize("name", ["argmax", "argmin"])
@pytest.mark.parametrize("axis", [None, 0, 1, -1])
def test_arg(name, axis):
    a = onp.array([[1, 9, 3, 9], [7, 2, 7, 0], [5, 5, 5, 5]], dtype=onp.float32)  # ties: first index
    check_np(name, getattr(onp, name), [a], axis=axis)
    check_np(name, getattr(onp, name), [a.astype(onp.int32)], axis=axis, keepdims=True)
    check_np(name, getattr(onp, name), [a > 4], axis=axis)


def test_arg_nan_is_first():
    a = onp.array([1, onp.nan, 3, onp.nan], dtype=onp.float32)
    check_np("argmax", onp.argmax, [a])
    check_np("argmin", onp.argmin, [a])


# ------------------------------------------------------------------------------- cumsum / cumprod
@pytest.mark.parametrize("name", ["cumsum", "cumprod"])
@pytest.mark.parametrize("axis", [None, 0, 1, -1])
def test_cumulative(name, axis):
    check_np(name, getattr(onp, name), [X[0]], axis=axis, rtol=1e-5, atol=1e-6)
    check_np(name, getattr(onp, name), [X[0]], axis=axis, dtype="float64", rtol=1e-5, atol=1e-6)


def test_cumulative_zero_dim_and_empty():
    check_np("cumsum", onp.cumsum, [onp.array(3.0, dtype=onp.float32)])
    check_np("cumprod", onp.cumprod, [onp.zeros((0, 2), dtype=onp.float32)], axis=0)


# ------------------------------------------------------------------------------- average
def test_average():
    a = X[0]
    check_np("average", onp.average, [a], rtol=1e-5)
    check_np("average", onp.average, [a], axis=1, rtol=1e-5)
    w = rng.uniform(0.1, 1, a.shape).astype(onp.float32)
    check_np(lambda a, w, **k: np.average(a, weights=w, **k), lambda a, w, **k: onp.average(a, weights=w, **k),
             [a, w], axis=(0, 1), rtol=1e-5)
    w1 = onp.array([1, 2, 3, 4], dtype=onp.float32)
    check_np(lambda a, w, **k: np.average(a, weights=w, **k), lambda a, w, **k: onp.average(a, weights=w, **k),
             [a, w1], axis=-1, returned=True, rtol=1e-5)
    check_np("average", onp.average, [a], axis=0, returned=True, rtol=1e-5)
    check_np("average", onp.average, [onp.arange(6, dtype=onp.int32).reshape(2, 3)], axis=1, expect_dtype="float32")


def test_average_errors():
    a, w = np.ones((2, 4)), np.ones((3,))
    with pytest.raises(mx.MXNetError, match="np.average.*axis"):
        np.average(a, weights=w)
    with pytest.raises(mx.MXNetError, match="np.average.*length"):
        np.average(a, axis=1, weights=w)


# ------------------------------------------------------------------------------- percentile / quantile / median
@pytest.mark.parametrize("method", ["linear", "lower", "higher", "midpoint", "nearest"])
@pytest.mark.parametrize("axis", [None, 1, (0, 2)])
def test_percentile(method, axis):
    check_np("percentile", onp.percentile, [X, 30.0], axis=axis, method=method, rtol=1e-5)
    check_np("quantile", onp.quantile, [X, 0.75], axis=axis, method=method, keepdims=True, rtol=1e-5)


def test_percentile_array_q_and_forms():
    q = onp.array([10.0, 50, 95], dtype=onp.float32)
    check_np("percentile", onp.percentile, [X, q], axis=1, rtol=1e-5)
    check_np("quantile", onp.quantile, [X, q / 100], axis=-1, keepdims=True, rtol=1e-5)
    got = np.percentile(np.array(X), [25, 75], axis=0)  # a list q
    onp.testing.assert_allclose(got.asnumpy(), onp.percentile(X, [25, 75], axis=0), rtol=1e-5)
    got = np.percentile(np.array(X), 40, interpolation="lower")  # the older keyword
    onp.testing.assert_allclose(got.asnumpy(), onp.percentile(X, 40, method="lower"), rtol=1e-6)
    check_np("percentile", onp.percentile, [onp.arange(7, dtype=onp.int32), 30.0], expect_dtype="float32")


@pytest.mark.parametrize("axis", [None, 0, -1, (0, 1)])
def test_median(axis):
    check_np("median", onp.median, [X], axis=axis, rtol=1e-6)
    check_np("median", onp.median, [X[:, :, :3]], axis=axis, keepdims=True, rtol=1e-6)


def test_percentile_errors():
    check_np_error("percentile", [X, 101.0], match="np.percentile.*range")
    check_np_error("quantile", [X, 2.0], match="np.quantile.*range")
    check_np_error("percentile", [X, 50.0], match="method", method="cubic")
    check_np_error("percentile", [onp.zeros((0, 2), onp.float32), 50.0], match="zero-size", axis=0)


# ------------------------------------------------------------------------------- gradients
@pytest.mark.parametrize("name,kwargs", [
    ("sum", {"axis": 1}), ("sum", {}), ("mean", {"axis": (0, 1)}), ("mean", {"axis": 0, "keepdims": True}),
    ("std", {"axis": 1}), ("var", {"axis": 0, "ddof": 1}), ("var", {}), ("max", {"axis": 1}), ("min", {}),
    ("prod", {"axis": 0}), ("prod", {}), ("cumsum", {"axis": 1}), ("cumsum", {}), ("cumprod", {"axis": 0}),
    ("average", {"axis": 1}), ("nansum", {"axis": 0}), ("nanmean", {}), ("nanmax", {"axis": 1}), ("ptp", {"axis": 1}),
    ("percentile", {"q": 30.0, "axis": 1}), ("median", {}), ("quantile", {"q": 0.5, "axis": 0}),
])
def test_gradients(name, kwargs):
    kwargs = dict(kwargs)
    if "q" in kwargs:
        q = kwargs.pop("q")
        check_np(lambda a, **k: getattr(np, name)(a, q, **k), lambda a, **k: getattr(onp, name)(a, q, **k),
                 [SMALL], grad=True, **kwargs)
        return
    check_np(name, getattr(onp, name), [SMALL], grad=True, **kwargs)


def test_weighted_average_gradient():
    w = onp.array([0.5, 1.0, 2.0])
    check_np(lambda a, w, **k: np.average(a, weights=w, **k), lambda a, w, **k: onp.average(a, weights=w, **k),
             [SMALL, w], axis=1, grad=True)


def test_prod_gradient_at_zero_is_exact():
    x = np.array([2.0, 0.0, 3.0], dtype="float64")
    x.attach_grad()
    with autograd.record():
        y = np.prod(x)
    y.backward()
    onp.testing.assert_allclose(x.grad.asnumpy(), [0.0, 6.0, 0.0])  # MXNet 1.9: NaN


@pytest.mark.parametrize("name", ["max", "min"])
def test_extremum_ties_get_the_full_gradient(name):
    # MXNet's rule: every element equal to the extremum receives the whole output gradient
    x = np.array([[1.0, 3.0, 3.0], [2.0, 2.0, 0.0]])
    x.attach_grad()
    with autograd.record():
        y = getattr(np, name)(x, axis=1)
    y.backward()
    want = [[0, 1, 1], [1, 1, 0]] if name == "max" else [[1, 0, 0], [0, 0, 1]]
    onp.testing.assert_array_equal(x.grad.asnumpy(), want)


# ------------------------------------------------------------------------------- method forms, out=
def test_methods():
    a = np.array(X)
    for name in ["sum", "mean", "std", "var", "max", "min", "prod"]:
        onp.testing.assert_allclose(getattr(a, name)(axis=1).asnumpy(), getattr(X, name)(axis=1), rtol=1e-5,
                                    atol=1e-6)
        onp.testing.assert_allclose(getattr(a, name)().asnumpy(), getattr(X, name)(), rtol=1e-5)
    assert a.sum(axis=(0, 2), keepdims=True).shape == (1, 3, 1)
    assert a.argmax().item() == X.argmax() and a.argmin(axis=1).dtype == onp.int64
    onp.testing.assert_array_equal(a.argmax(axis=-1).asnumpy(), X.argmax(axis=-1))
    onp.testing.assert_allclose(a.cumsum(axis=0).asnumpy(), X.cumsum(axis=0), rtol=1e-6)
    onp.testing.assert_array_equal(a.any(axis=0).asnumpy(), X.any(axis=0))
    onp.testing.assert_array_equal((a > 0).all(axis=2).asnumpy(), (X > 0).all(axis=2))
    assert isinstance(a.sum(), np.ndarray) and a.sum().shape == ()


def test_out():
    a = np.array(X)
    out = np.zeros((2, 4))
    r = np.sum(a, axis=1, out=out)
    onp.testing.assert_allclose(out.asnumpy(), X.sum(axis=1), rtol=1e-6)
    assert r is out


def test_list_input():
    assert np.sum([1, 2, 3]).item() == 6
    assert np.mean([[1, 2], [3, 4]], axis=0).tolist() == [2.0, 3.0]


# ------------------------------------------------------------------------------- errors
@pytest.mark.parametrize("name", ["sum", "mean", "std", "var", "max", "min", "prod", "any", "all", "argmax",
                                  "cumsum", "count_nonzero", "ptp", "nanmean"])
def test_bad_axis(name):
    check_np_error(name, [X], match=rf"np\.{name}.*axis 3 is out of bounds.*\(2, 3, 4\)", axis=3)
    check_np_error(name, [X], match=rf"np\.{name}.*axis -4", axis=-4)


def test_repeated_and_bad_axis_types():
    check_np_error("sum", [X], match=r"np\.sum.*repeated axis", axis=(0, -3))
    check_np_error("sum", [X], match="axis must be", error=TypeError, axis=1.5)
    check_np_error("argmax", [X], match="axis must be None or an integer", error=TypeError, axis=(0, 1))
    check_np_error("mean", [onp.array(1.0)], match="0-d array has no axes", axis=0)


# ------------------------------------------------------------------------------- MXNet symbol files
# Nodes (op, attrs) exactly as MXNet 1.9.1 wrote them when exporting a hybridized np block (the
# slices of the input that MXNet recorded for weights/to_end are replaced by a second input "w").
_MXNET_NODES = [
    ("_np_sum", {"axis": "1"}, lambda x, w: x.sum(axis=1)),
    ("_npi_mean", {"axis": "(0, 1)", "keepdims": "True"}, lambda x, w: x.mean(axis=(0, 1), keepdims=True)),
    ("_np_max", {"axis": "-1"}, lambda x, w: x.max(axis=-1)),
    ("_np_min", {"axis": "None", "keepdims": "False"}, lambda x, w: x.min()),
    ("_np_prod", {"axis": "0"}, lambda x, w: x.prod(axis=0)),
    ("_npi_std", {"axis": "None", "ddof": "1", "keepdims": "False"}, lambda x, w: x.std(ddof=1)),
    ("_npi_var", {"axis": "0", "ddof": "0", "keepdims": "False"}, lambda x, w: x.var(axis=0)),
    ("_npi_argmax", {"axis": "1", "keepdims": "False"}, lambda x, w: x.argmax(axis=1)),
    ("_npi_argmin", {"axis": "None", "keepdims": "False"}, lambda x, w: onp.argmin(x)),
    ("_np_cumsum", {"axis": "0"}, lambda x, w: x.cumsum(axis=0)),
    ("_np_any", {}, lambda x, w: x.any()),
    ("_np_all", {"axis": "0"}, lambda x, w: x.all(axis=0)),
    ("sort", {"axis": "-1", "is_ascend": "True"}, lambda x, w: onp.sort(x)),
    ("argsort", {"axis": "0", "dtype": "int64", "is_ascend": "True"}, lambda x, w: onp.argsort(x, 0, kind="stable")),
    ("_npi_average", {"axis": "0", "returned": "False", "weighted": "False"}, lambda x, w: onp.average(x, 0)),
    ("_npi_average", {"axis": "1", "returned": "False"}, lambda x, w: onp.average(x, 1, w)),
    ("_npi_percentile", {"axis": "None", "interpolation": "linear", "keepdims": "False", "q_scalar": "30"},
     lambda x, w: onp.percentile(x, 30)),
    ("_npi_percentile", {"axis": "1", "interpolation": "linear", "keepdims": "False", "q_scalar": "50.0"},
     lambda x, w: onp.median(x, axis=1)),
    ("_npi_diff", {"axis": "-1", "n": "2"}, lambda x, w: onp.diff(x, 2)),
    ("_npi_ediff1d", {"to_begin_arr_given": "False", "to_begin_scalar": "3", "to_end_arr_given": "True",
                      "to_end_scalar": "None"}, lambda x, w: onp.ediff1d(x, w, 3)),
    ("_np_amax", {"axis": "0"}, lambda x, w: x.max(axis=0)),
    ("_np_sum", {"dtype": "float64"}, lambda x, w: x.sum(dtype=onp.float64)),
    ("_npi_sort", {"axis": "0", "is_ascend": "True"}, lambda x, w: onp.sort(x, axis=0)),
]
_TWO_INPUTS = {"_npi_ediff1d"}


def test_mxnet_symbol_file_runs():
    import json

    nodes = [{"op": "null", "name": "data", "inputs": []}, {"op": "null", "name": "w", "inputs": []}]
    for i, (op, attrs, _) in enumerate(_MXNET_NODES):
        two = op in _TWO_INPUTS or (op == "_npi_average" and "weighted" not in attrs)
        nodes.append({"op": op, "name": f"n{i}", "attrs": attrs, "inputs": [[0, 0, 0]] + ([[1, 0, 0]] if two else [])})
    doc = {"nodes": nodes, "arg_nodes": [0, 1], "heads": [[i + 2, 0, 0] for i in range(len(_MXNET_NODES))],
           "attrs": {"mxnet_version": ["int", 10901], "is_np_shape": ["int", 1]}}
    sym = mx.sym.load_json(json.dumps(doc))
    x = onp.array([[3.0, 1.0, 2.0], [0.0, 5.0, 4.0], [1.5, 2.5, -1.0]], dtype=onp.float32)
    w = onp.array([1.0, 2.0, 0.5], dtype=onp.float32)
    outs = sym.eval(data=mx.nd.array(x), w=mx.nd.array(w))
    for (op, _, ref), got in zip(_MXNET_NODES, outs):
        want = onp.asarray(ref(x, w))
        assert got.shape == want.shape, (op, got.shape, want.shape)
        onp.testing.assert_allclose(got.asnumpy().astype(onp.float64), want.astype(onp.float64), rtol=1e-5,
                                    err_msg=op)


# ------------------------------------------------------------------------------- the registry ops by name
_B = onp.array([[0.5, onp.nan, 2.0], [3.0, 0.0, 0.0]], dtype=onp.float32)
_REGISTRY_CASES = [
    ("_npi_nansum", [_B], {"axis": (1,)}, lambda a: onp.nansum(a, axis=1)),
    ("_npi_nanprod", [_B], {}, lambda a: onp.nanprod(a)),
    ("_npi_nanmean", [_B], {"axis": (0,)}, lambda a: onp.nanmean(a, axis=0)),
    ("_npi_nanmax", [_B], {"keepdims": True}, lambda a: onp.nanmax(a, keepdims=True)),
    ("_npi_nanmin", [_B], {"axis": (1,)}, lambda a: onp.nanmin(a, axis=1)),
    ("_npi_ptp", [X], {"axis": (0, 2)}, lambda a: onp.ptp(a, axis=(0, 2))),
    ("_npi_count_nonzero", [_B], {"axis": (1,)}, lambda a: onp.count_nonzero(a, axis=1)),
    ("_npi_cumprod", [X], {"axis": 1}, lambda a: onp.cumprod(a, axis=1)),
    ("_npi_unique", [onp.array([3, 1, 3], onp.float32)], {"return_counts": True},
     lambda a: onp.unique(a, return_counts=True)),
    ("_npi_nonzero", [_B], {}, lambda a: onp.argwhere(a)),
    ("_npi_bincount", [onp.array([0, 2, 2], onp.int64)], {}, lambda a: onp.bincount(a)),
    ("_npi_searchsorted", [onp.array([1, 2, 3], onp.float32), onp.array([2.5, 0], onp.float32)], {"side": "right"},
     lambda a, v: onp.searchsorted(a, v, side="right")),
]


@pytest.mark.parametrize("op,inputs,attrs,ref", _REGISTRY_CASES, ids=[c[0] for c in _REGISTRY_CASES])
def test_registry_ops(op, inputs, attrs, ref):
    from gluonic.numpy import _core

    got = _core.call(op, [np.array(a, dtype=a.dtype) for a in inputs], **attrs)
    import warnings

    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        want = ref(*inputs)
    for g, w in zip(got if isinstance(got, list) else [got], want if isinstance(want, tuple) else [want]):
        onp.testing.assert_allclose(g.asnumpy(), w, rtol=1e-6, err_msg=op)
        assert g.shape == onp.shape(w), op
