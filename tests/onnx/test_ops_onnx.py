"""Operator conversions, one symbol per case, compared with ``Symbol.eval`` in onnxruntime."""
import numpy as np
import pytest

pytest.importorskip("onnxruntime")
pytest.importorskip("onnx")

import gluonic as mx  # noqa: E402

from .onnx_harness import check_symbol  # noqa: E402

S = mx.sym
RNG = np.random.default_rng(2)


def _r(*shape, lo=-2.0, hi=2.0, dtype=np.float32):
    return RNG.uniform(lo, hi, shape).astype(dtype)


X = S.var("x")
Y = S.var("y")
A = _r(2, 3, 4)
B = _r(2, 3, 4)
POS = _r(2, 3, 4, lo=0.2, hi=3.0)

UNARY = ["abs", "sign", "round", "rint", "floor", "ceil", "trunc", "fix", "exp", "sqrt", "rsqrt", "cbrt", "rcbrt",
         "square", "reciprocal", "negative", "sin", "cos", "tan", "arctan", "sinh", "cosh", "tanh", "arcsinh",
         "degrees", "radians", "sigmoid", "relu", "softsign", "erf", "log", "log10", "log2", "log1p", "expm1",
         "hard_sigmoid", "logical_not", "zeros_like", "ones_like", "BlockGrad", "identity"]


@pytest.mark.parametrize("name", UNARY)
def test_unary(name):
    data = POS if name.startswith(("log", "sqrt", "rsqrt", "rcbrt", "reciprocal")) else A
    if name in ("round", "rint", "fix", "trunc"):
        data = np.array([[-2.5, -1.5, -0.5, 0.5, 1.5, 2.5, -3.7, 3.2]], np.float32)
    check_symbol(getattr(S, name)(X), {}, {"x": data})


@pytest.mark.parametrize("name", ["arcsin", "arccos", "arctanh"])
def test_unary_unit_interval(name):
    check_symbol(getattr(S, name)(X), {}, {"x": _r(3, 4, lo=-0.9, hi=0.9)})


BINARY = ["broadcast_add", "broadcast_sub", "broadcast_mul", "broadcast_div", "broadcast_mod", "broadcast_power",
          "broadcast_maximum", "broadcast_minimum", "broadcast_hypot", "broadcast_equal", "broadcast_not_equal",
          "broadcast_greater", "broadcast_greater_equal", "broadcast_lesser", "broadcast_lesser_equal",
          "broadcast_logical_and", "broadcast_logical_or", "broadcast_logical_xor", "elemwise_add", "elemwise_sub",
          "elemwise_mul", "elemwise_div"]


@pytest.mark.parametrize("name", BINARY)
def test_binary(name):
    a, b = (POS, _r(1, 3, 1, lo=0.5, hi=2)) if name.startswith("broadcast") else (A, B)
    if name.endswith(("mod", "div")):
        b = np.where(np.abs(b) < 0.3, 0.7, b).astype(np.float32)
    if "logical" in name or "equal" in name:
        a, b = np.round(a), np.round(b)
    check_symbol(getattr(S, name)(X, Y), {}, {"x": a, "y": b})


SCALAR = {"+": lambda s: s + 1.5, "-": lambda s: s - 2, "r-": lambda s: 2 - s, "*": lambda s: s * 3,
          "/": lambda s: s / 4, "r/": lambda s: 4 / s, "**": lambda s: s ** 2, "r**": lambda s: 2 ** s,
          "%": lambda s: s % 0.7, "r%": lambda s: 5 % s, ">": lambda s: s > 0.5, "<=": lambda s: s <= 0.5,
          "==": lambda s: s == 1, "!=": lambda s: s != 1, "max": lambda s: S.maximum(s, 0.3),
          "min": lambda s: S.minimum(s, 0.3), "neg": lambda s: -s}


@pytest.mark.parametrize("key", sorted(SCALAR))
def test_scalar(key):
    check_symbol(SCALAR[key](X), {}, {"x": POS if key.startswith("r") else np.round(A * 2) / 2})


def test_int_inputs_mod_and_arith():
    a = RNG.integers(-9, 9, (3, 4)).astype(np.int32)
    b = RNG.integers(1, 5, (3, 4)).astype(np.int32)
    check_symbol(S.broadcast_mod(X, Y) + X * Y, {}, {"x": a, "y": b})


MISC = {
    "clip": (lambda: S.clip(X, -0.5, 0.7), [A]),
    "where": (lambda: S.where(X > 0, X, Y), [A, B]),
    "where_rows": (lambda: S.where(S.sum(X, axis=(1, 2)) > 0, Y, Y * 2), [A, B]),
    "cast": (lambda: S.Cast(X * 3, dtype="int32"), [A]),
    "cast_f16": (lambda: S.Cast(X, dtype="float16") * 2, [A]),
    "add_n": (lambda: S.add_n(X, Y, X), [A, B]),
    "sum": (lambda: S.sum(X, axis=1), [A]),
    "sum_all": (lambda: S.sum(X), [A]),
    "sum_exclude": (lambda: S.sum(X, axis=1, exclude=True, keepdims=True), [A]),
    "mean_keep": (lambda: S.mean(X, axis=(0, 2), keepdims=True), [A]),
    "max": (lambda: S.max(X, axis=-1), [A]),
    "min": (lambda: S.min(X, axis=0), [A]),
    "prod": (lambda: S.prod(X, axis=2), [A]),
    "norm": (lambda: S.norm(X, axis=1), [A]),
    "norm1_all": (lambda: S.norm(X, ord=1), [A]),
    "argmax": (lambda: S.argmax(X, axis=1), [A]),
    "argmin_keep": (lambda: S.argmin(X, axis=2, keepdims=True), [A]),
    "argmax_all": (lambda: S.argmax(X), [A]),
    "argmax_channel": (lambda: S.argmax_channel(X), [A[0]]),
    "dot": (lambda: S.dot(X, Y), [_r(3, 4), _r(4, 5)]),
    "dot_t": (lambda: S.dot(X, Y, transpose_a=True, transpose_b=True), [_r(4, 3), _r(5, 4)]),
    "dot_nd": (lambda: S.dot(X, Y), [_r(2, 3, 4), _r(4, 2, 5)]),
    "dot_vec": (lambda: S.dot(X, Y), [_r(4), _r(4)]),
    "batch_dot": (lambda: S.batch_dot(X, Y), [_r(2, 3, 4), _r(2, 4, 5)]),
    "batch_dot_t": (lambda: S.batch_dot(X, Y, transpose_a=True, transpose_b=True), [_r(2, 4, 3), _r(2, 5, 4)]),
    "gemm2": (lambda: S.linalg.gemm2(X, Y, alpha=0.5, transpose_b=True), [_r(2, 3, 4), _r(2, 5, 4)]),
    "softmax_temp": (lambda: S.softmax(X, axis=1, temperature=2.0), [A]),
    "log_softmax": (lambda: S.log_softmax(X, axis=0), [A]),
    "softmin": (lambda: S.softmin(X), [A]),
    "softmax_activation": (lambda: S.SoftmaxActivation(X), [A]),
    "softmax_activation_channel": (lambda: S.SoftmaxActivation(X, mode="channel"), [A]),
    "l2norm": (lambda: S.L2Normalization(X), [A]),
    "l2norm_channel": (lambda: S.L2Normalization(X, mode="channel"), [A]),
    "lrn": (lambda: S.LRN(X, nsize=3), [_r(1, 5, 3, 3)]),
    "leaky_rrelu": (lambda: S.LeakyReLU(X, act_type="rrelu"), [A]),
    "upsampling": (lambda: S.UpSampling(X, scale=2, sample_type="nearest"), [_r(1, 2, 3, 3)]),
    "pool_full": (lambda: S.Pooling(X, kernel=(3, 3), stride=(2, 2), pad=(1, 1), pooling_convention="full"),
                  [_r(1, 2, 6, 6)]),
    "pool_sum": (lambda: S.Pooling(X, kernel=(2, 2), stride=(2, 2), pool_type="sum"), [_r(1, 2, 6, 6)]),
    "pool_lp": (lambda: S.Pooling(X, kernel=(2, 2), stride=(2, 2), pool_type="lp", p_value=2), [_r(1, 2, 6, 6)]),
    "pool_global_sum": (lambda: S.Pooling(X, kernel=(1, 1), global_pool=True, pool_type="sum"), [_r(1, 2, 3, 3)]),
    "scatter_nd": (lambda: S.scatter_nd(X, Y, shape=(3, 4, 2)), [_r(2, 2), np.array([[0, 2], [1, 3]], np.float32)]),
    "diag_2d": (lambda: S.diag(X, k=1), [_r(3, 4)]),
    "diag_2d_neg": (lambda: S.diag(X, k=-1), [_r(3, 4)]),
    "diag_1d": (lambda: S.diag(X, k=-2), [_r(3)]),
    "softmax_ce": (lambda: S.softmax_cross_entropy(X, Y), [_r(3, 5), np.array([0, 4, 2], np.float32)]),
    "copyto_identity": (lambda: S._internal._copyto(X), [_r(3)]),
    "pool_v1": (lambda: S.Pooling_v1(X, kernel=(3, 3), stride=(2, 2), pool_type="avg", pooling_convention="full"),
                [_r(1, 2, 7, 7)]),
    "pool_same": (lambda: S.Pooling(X, kernel=(3, 3), stride=(2, 2), pooling_convention="same"), [_r(1, 2, 7, 7)]),
    "softmax_output": (lambda: S.SoftmaxOutput(X, name="softmax"), [_r(2, 5)]),
    "gemm": (lambda: S.linalg.gemm(X, Y, S.var("c"), alpha=2.0, beta=0.5, transpose_a=True),
             [_r(2, 4, 3), _r(2, 4, 5), _r(2, 3, 5)]),
    "smooth_l1": (lambda: S.smooth_l1(X, scalar=2.0), [A]),
    "nansum": (lambda: S.nansum(X, axis=1) + S.nanprod(X, axis=1), [np.where(A > 1, np.nan, A).astype(np.float32)]),
    "arange_like": (lambda: S.broadcast_add(X, S.contrib.arange_like(X, start=1, step=0.5)), [A]),
    "arange_like_axis": (lambda: S.broadcast_add(X, S.contrib.arange_like(X, axis=2, repeat=2)), [A]),
    "upsampling_multi": (lambda: S.UpSampling(X, Y, scale=2, sample_type="nearest", num_args=2),
                         [_r(1, 2, 3, 3), _r(1, 1, 6, 6)]),
    "upsampling_sum": (lambda: S.UpSampling(X, Y, scale=2, sample_type="nearest", num_args=2,
                                            multi_input_mode="sum"), [_r(1, 2, 3, 3), _r(1, 2, 6, 6)]),
    "deconv_target_shape": (lambda: S.Deconvolution(X, S.var("w"), kernel=(3, 3), stride=(2, 2), num_filter=2,
                                                    target_shape=(8, 8)), [_r(1, 3, 4, 4), _r(3, 2, 3, 3)]),
    "batchnorm_mean_var": (lambda: S.BatchNorm(X, S.var("g"), S.var("b"), S.var("m"), S.var("v"), fix_gamma=False,
                                               output_mean_var=True, axis=2),
                           [_r(2, 3, 4), _r(4), _r(4), _r(4), _r(4, lo=0.5, hi=1.5)]),
    "logistic_output": (lambda: S.LogisticRegressionOutput(X, name="lro"), [_r(2, 5)]),
}


@pytest.mark.parametrize("name", sorted(MISC))
def test_misc(name):
    make, arrays = MISC[name]
    sym = make()
    names = [n for n in sym.list_inputs() if not n.endswith("_label")]
    labels = {n: np.zeros(arrays[0].shape[:1], np.float32) for n in sym.list_arguments() if n.endswith("_label")}
    if name == "logistic_output":
        labels = {n: np.zeros(arrays[0].shape, np.float32) for n in labels}
    check_symbol(sym, {}, dict(zip(names, arrays)), eval_only=labels)
