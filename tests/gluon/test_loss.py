"""gluon.loss: every loss against NumPy formulas, real MXNet 1.9.1 (golden file), numeric gradients."""
import inspect
import os
import sys

import numpy as np
import pytest
from scipy.special import expit, log_expit, log_softmax, softmax

import gluonic as mx
import gluonic.gluon.loss as gloss
from gluonic.base import GluonicTypeError, GluonicValueError
from gluonic.test_utils import check_numeric_gradient

GOLDEN = os.path.join(os.path.dirname(os.path.dirname(__file__)), "golden", "loss")
sys.path.insert(0, GOLDEN)
from loss_cases import CASES  # noqa: E402

nd = mx.nd
RNG = np.random.RandomState(7)


def randn(*shape):
    return RNG.standard_normal(shape)


def sign(*shape):
    return RNG.randint(0, 2, shape) * 2.0 - 1


def _others(x, batch_axis):
    return tuple(a for a in range(x.ndim) if a != batch_axis % x.ndim)


def bmean(x, batch_axis=0):
    return x.mean(axis=_others(x, batch_axis))


def bsum(x, batch_axis=0):
    return x.sum(axis=_others(x, batch_axis))


def run(block, *arrays):
    return block(*[None if a is None else nd.array(a, dtype=a.dtype) for a in arrays]).asnumpy()


def close(got, expected, rtol=1e-5, atol=1e-6):
    assert got.shape == np.shape(expected), (got.shape, np.shape(expected))
    np.testing.assert_allclose(got, expected, rtol=rtol, atol=atol)


# ---------------------------------------------------------------- real MXNet 1.9.1
@pytest.fixture(scope="module")
def golden():
    return nd.load(os.path.join(GOLDEN, "loss.params"))


@pytest.mark.parametrize("case,cls,kwargs,specs,grad", CASES, ids=[c[0] for c in CASES])
def test_matches_mxnet(golden, case, cls, kwargs, specs, grad):
    inputs = [golden[f"{case}:in{j}"].copy() if specs[j] is not None else None for j in range(len(specs))]
    for j in grad:
        inputs[j].attach_grad()
    block = getattr(gloss, cls)(**kwargs)
    with mx.autograd.record():
        out = block(*inputs)
    expected = golden[f"{case}:out"]
    assert out.shape == expected.shape and out.dtype == expected.dtype
    np.testing.assert_allclose(out.asnumpy(), expected.asnumpy(), rtol=1e-4, atol=1e-5)
    if grad:
        out.backward(golden[f"{case}:head"])
        for j in grad:
            np.testing.assert_allclose(inputs[j].grad.asnumpy(), golden[f"{case}:grad{j}"].asnumpy(),
                                       rtol=1e-4, atol=1e-5, err_msg=f"gradient of input {j}")


@pytest.mark.parametrize("case,cls,kwargs,specs,grad", CASES, ids=[c[0] for c in CASES])
def test_symbolic_graph_infers_shape(golden, case, cls, kwargs, specs, grad):
    """hybrid_forward is symbol-safe: the graph builds and infers MXNet's output shape."""
    names = [None if s is None else f"in{j}" for j, s in enumerate(specs)]
    out = getattr(gloss, cls)(**kwargs)(*[None if n is None else mx.sym.var(n) for n in names])
    _, shapes, _ = out.infer_shape(**{n: s[0] for n, s in zip(names, specs) if n})
    assert shapes == [golden[f"{case}:out"].shape]


# ---------------------------------------------------------------- NumPy formulas
@pytest.mark.parametrize("batch_axis", [0, 1])
def test_l1_l2(batch_axis):
    pred, label, sw = randn(3, 4, 2), randn(3, 4, 2), RNG.uniform(0.5, 2, (3, 4, 1))
    close(run(gloss.L2Loss(batch_axis=batch_axis), pred, label), bmean((label - pred) ** 2 / 2, batch_axis))
    close(run(gloss.L2Loss(weight=3.0, batch_axis=batch_axis), pred, label, sw),
          bmean(1.5 * (label - pred) ** 2 * sw, batch_axis))
    close(run(gloss.L1Loss(batch_axis=batch_axis), pred, label.reshape(-1)), bmean(abs(label - pred), batch_axis))
    close(run(gloss.L1Loss(0.5, batch_axis), pred, label, sw), bmean(0.5 * abs(label - pred) * sw, batch_axis))


def test_l2_weight_none_means_one():
    pred, label = randn(3, 2), randn(3, 2)
    close(run(gloss.L2Loss(weight=None), pred, label), run(gloss.L2Loss(), pred, label))


def test_sigmoid_bce():
    x, z, sw, pw = randn(4, 3) * 3, RNG.uniform(0, 1, (4, 3)), RNG.uniform(0.5, 2, (4, 1)), RNG.uniform(0.5, 3, (1, 3))
    ref = -(z * log_expit(x) + (1 - z) * log_expit(-x))
    close(run(gloss.SigmoidBCELoss(), x, z), bmean(ref))
    close(run(gloss.SigmoidBCELoss(weight=2.0), x, z, sw), bmean(2 * ref * sw))
    close(run(gloss.SigmoidBCELoss(), x, z, None, pw), bmean(-(pw * z * log_expit(x) + (1 - z) * log_expit(-x))))
    close(run(gloss.SigmoidBCELoss(batch_axis=1), x, z), ref.mean(axis=0))
    p = expit(x)
    close(run(gloss.SigmoidBCELoss(from_sigmoid=True), p, z), bmean(ref), rtol=1e-4)
    close(run(gloss.SigmoidBCELoss(from_sigmoid=True), p, z, sw, pw),
          bmean(-(pw * z * np.log(p + 1e-12) + (1 - z) * np.log(1 - p + 1e-12)) * sw))
    assert gloss.SigmoidBCELoss is gloss.SigmoidBinaryCrossEntropyLoss


def test_softmax_ce_sparse_dense_and_axes():
    x = randn(4, 5)
    y = RNG.randint(0, 5, 4)
    lp = log_softmax(x, axis=-1)
    close(run(gloss.SoftmaxCELoss(), x, y.astype(np.float32)), -lp[np.arange(4), y])
    close(run(gloss.SoftmaxCELoss(), x, y.astype(np.int64)), -lp[np.arange(4), y])
    close(run(gloss.SoftmaxCELoss(from_logits=True, weight=0.5), lp, y.astype(np.float32)), -0.5 * lp[np.arange(4), y])
    dist = softmax(randn(4, 5), axis=-1)
    close(run(gloss.SoftmaxCELoss(sparse_label=False), x, dist), -(dist * lp).sum(-1))
    sw = RNG.uniform(0.5, 2, (4, 1))
    close(run(gloss.SoftmaxCrossEntropyLoss(sparse_label=False), x, dist, sw), -(dist * lp).sum(-1) * sw[:, 0])
    # class axis 1 of (N, C, L), batch axis 1 of (L, N, C)
    x3, y3 = randn(2, 4, 3), RNG.randint(0, 4, (2, 3))
    lp3 = log_softmax(x3, axis=1)
    picked = np.take_along_axis(lp3, y3[:, None, :], axis=1)[:, 0]
    close(run(gloss.SoftmaxCELoss(axis=1), x3, y3.astype(np.float32)), -picked.mean(1))
    xb, yb = randn(3, 2, 4), RNG.randint(0, 4, (3, 2))
    pickedb = np.take_along_axis(log_softmax(xb, -1), yb[..., None], -1)[..., 0]
    close(run(gloss.SoftmaxCELoss(batch_axis=1), xb, yb.astype(np.float32)), -pickedb.mean(0))


def test_kl_div():
    x, p = randn(3, 4), softmax(randn(3, 4), axis=-1)
    close(run(gloss.KLDivLoss(), x, p), (p * (np.log(p + 1e-12) - x)).sum(1))
    close(run(gloss.KLDivLoss(from_logits=False), x, p), (p * (np.log(p + 1e-12) - log_softmax(x, -1))).sum(1))
    x3, p3, sw = randn(3, 4, 2), RNG.uniform(0, 1, (3, 4, 2)), RNG.uniform(0.5, 2, (3, 1, 1))
    ref = p3 * (np.log(p3 + 1e-12) - log_softmax(x3, axis=1)) * sw * 2
    close(run(gloss.KLDivLoss(from_logits=False, axis=1, weight=2.0, batch_axis=1), x3, p3, sw), bsum(ref, 1))


def test_huber_hinge_logistic():
    pred, label, s = randn(4, 5) * 2, randn(4, 5), sign(4, 5)
    err = abs(label - pred)
    huber = np.where(err > 0.7, err - 0.35, err ** 2 / 1.4)
    close(run(gloss.HuberLoss(rho=0.7), pred, label), bmean(huber))
    close(run(gloss.HingeLoss(margin=1.5), pred, s), bmean(np.maximum(0, 1.5 - pred * s)))
    sw = RNG.uniform(0.5, 2, (4, 1))
    close(run(gloss.SquaredHingeLoss(), pred, s, sw), bmean(np.maximum(0, 1 - pred * s) ** 2 * sw))
    close(run(gloss.LogisticLoss(), pred, s), bmean(np.log1p(np.exp(-pred * s))))
    b = (s + 1) / 2
    close(run(gloss.LogisticLoss(label_format="binary", batch_axis=1), pred, b), np.log1p(np.exp(-pred * s)).mean(0))


def test_triplet():
    a, p, n = randn(4, 3, 2), randn(4, 3, 2), randn(4, 3, 2)
    d = ((p - a) ** 2).sum((1, 2)) - ((n - a) ** 2).sum((1, 2))
    close(run(gloss.TripletLoss(margin=0.5), a, p, n), np.maximum(d + 0.5, 0))
    d1 = ((p - a) ** 2).sum((0, 2)) - ((n - a) ** 2).sum((0, 2))
    close(run(gloss.TripletLoss(batch_axis=1, weight=3.0), a, p, n), 3 * np.maximum(d1 + 1, 0))


def test_poisson_nll():
    x, t = randn(4, 3), RNG.randint(0, 6, (4, 3)).astype(np.float64)
    out = run(gloss.PoissonNLLLoss(), x, t)
    close(out, np.array([np.mean(np.exp(x) - t * x)]))
    rate, sw = RNG.uniform(0.5, 2, (4, 3)), RNG.uniform(0.5, 2, (4, 1))
    stirling = np.where(t > 1, t * np.log(np.maximum(t, 1)) - t + 0.5 * np.log(2 * np.pi * np.maximum(t, 1)), 0)
    close(run(gloss.PoissonNLLLoss(from_logits=False, compute_full=True, weight=0.5), rate, t, sw),
          np.array([np.mean(0.5 * sw * (rate - t * np.log(rate + 1e-8) + stirling))]))


def test_poisson_full_with_zero_targets_is_finite():
    """MXNet 1.9.1 returns NaN here (0 * log 0); gluonic leaves out the term below 2."""
    out = run(gloss.PoissonNLLLoss(compute_full=True), np.zeros((2, 2)), np.array([[0.0, 1.0], [2.0, 3.0]]))
    assert np.isfinite(out).all()


def test_cosine_embedding():
    a, b, y = randn(4, 5), randn(4, 5), sign(4)
    cos = (a * b).sum(1) / np.maximum(np.linalg.norm(a, axis=1) * np.linalg.norm(b, axis=1), 1e-12)
    ref = np.where(y == 1, 1 - cos, np.maximum(0, cos - 0.2))[:, None]
    close(run(gloss.CosineEmbeddingLoss(margin=0.2), a, b, y), ref)
    sw = RNG.uniform(0.5, 2, (4, 1))
    close(run(gloss.CosineEmbeddingLoss(weight=2.0, margin=0.2), a, b, y, sw), 2 * ref * sw)


@pytest.mark.parametrize("smoothing", [0.3, 0.1])
def test_sdml(smoothing):
    x1, x2 = randn(4, 3), randn(4, 3)
    dist = ((x1[:, None, :] - x2[None, :, :]) ** 2).sum(-1)
    labels = np.where(np.eye(4) > 0, 1 - smoothing, smoothing / 3)
    ref = (labels * (np.log(labels + 1e-12) - log_softmax(-dist, axis=1))).sum(1)
    close(run(gloss.SDMLLoss(smoothing_parameter=smoothing), x1, x2), ref)


def _ctc_reference(logits, labels, blank):
    """-log p(label) by summing every alignment (tiny sizes only)."""
    import itertools
    steps, classes = logits.shape
    lp = log_softmax(logits, -1)
    total = -np.inf
    for path in itertools.product(range(classes), repeat=steps):
        collapsed = [c for i, c in enumerate(path) if c != blank and (i == 0 or c != path[i - 1])]
        if collapsed == list(labels):
            total = np.logaddexp(total, sum(lp[t, c] for t, c in enumerate(path)))
    return -total


def test_ctc_layouts_and_lengths():
    pred = randn(2, 4, 3)  # (N, T, C), blank = 2
    label = np.array([[0, 1, -1], [1, -1, -1]], np.float64)
    ref = np.array([_ctc_reference(pred[0], [0, 1], 2), _ctc_reference(pred[1], [1], 2)])
    close(run(gloss.CTCLoss(), pred, label), ref)
    close(run(gloss.CTCLoss(layout="TNC", label_layout="TN"), pred.transpose(1, 0, 2), label.T), ref)
    sw = np.array([0.5, 2.0])
    close(run(gloss.CTCLoss(weight=3.0), pred, label, None, None, sw), 3 * ref * sw)
    lengths = np.array([3.0, 4.0])
    ref_len = np.array([_ctc_reference(pred[0, :3], [0, 1], 2), _ctc_reference(pred[1], [1, 0], 2)])
    close(run(gloss.CTCLoss(), pred, np.array([[0, 1, -1], [1, 0, 1]]), lengths, np.array([2, 2])), ref_len)


# ---------------------------------------------------------------- gradients
GRAD_CASES = [
    (gloss.L2Loss(batch_axis=1), [randn(3, 4), randn(3, 4), RNG.uniform(0.5, 2, (1, 4))]),
    (gloss.L1Loss(weight=2.0), [randn(3, 4), randn(3, 4)]),
    (gloss.SigmoidBCELoss(), [randn(3, 4), RNG.uniform(0, 1, (3, 4)), None, RNG.uniform(0.5, 2, (1, 4))]),
    (gloss.SigmoidBCELoss(from_sigmoid=True), [RNG.uniform(0.1, 0.9, (3, 4)), RNG.uniform(0, 1, (3, 4))]),
    (gloss.SoftmaxCELoss(), [randn(3, 4), np.array([0.0, 3.0, 1.0])]),
    (gloss.SoftmaxCELoss(axis=1, sparse_label=False), [randn(2, 3, 2), softmax(randn(2, 3, 2), axis=1)]),
    (gloss.KLDivLoss(from_logits=False), [randn(3, 4), softmax(randn(3, 4), axis=-1)]),
    (gloss.HuberLoss(rho=0.5), [randn(3, 4), randn(3, 4)]),
    (gloss.HingeLoss(), [randn(3, 4), sign(3, 4)]),
    (gloss.SquaredHingeLoss(margin=2), [randn(3, 4), sign(3, 4)]),
    (gloss.LogisticLoss(label_format="binary"), [randn(3, 4), (sign(3, 4) + 1) / 2]),
    (gloss.TripletLoss(margin=3), [randn(3, 4), randn(3, 4), randn(3, 4)]),
    (gloss.PoissonNLLLoss(from_logits=False, compute_full=True), [RNG.uniform(0.5, 2, (3, 4)),
                                                                  RNG.randint(0, 5, (3, 4)).astype(float)]),
    (gloss.CosineEmbeddingLoss(margin=-0.5), [randn(3, 4), randn(3, 4), sign(3)]),
    (gloss.SDMLLoss(), [randn(3, 4), randn(3, 4)]),
    (gloss.CTCLoss(), [randn(2, 4, 3), np.array([[0, 1, -1], [1, -1, -1]], float)]),
]


@pytest.mark.parametrize("block,arrays", GRAD_CASES, ids=[type(c[0]).__name__ for c in GRAD_CASES])
def test_numeric_gradient_wrt_pred(block, arrays):
    present = [i for i, a in enumerate(arrays) if a is not None]

    def fn(*given):
        full = [None] * len(arrays)
        for i, a in zip(present, given):
            full[i] = a
        return block(*full)

    grad_nodes = [0, 1] if isinstance(block, (gloss.TripletLoss, gloss.SDMLLoss, gloss.CosineEmbeddingLoss)) else [0]
    check_numeric_gradient(fn, [arrays[i] for i in present], grad_nodes=grad_nodes, dtype=np.float64,
                           rtol=1e-4, atol=1e-6)


# ---------------------------------------------------------------- API surface
# inspect.signature(mx.gluon.loss.<Loss>.__init__) in MXNet 1.9.1
MXNET_SIGNATURES = {
    "L2Loss": "(self, weight=1.0, batch_axis=0, **kwargs)",
    "L1Loss": "(self, weight=None, batch_axis=0, **kwargs)",
    "SigmoidBinaryCrossEntropyLoss": "(self, from_sigmoid=False, weight=None, batch_axis=0, **kwargs)",
    "SoftmaxCrossEntropyLoss": "(self, axis=-1, sparse_label=True, from_logits=False, weight=None, batch_axis=0, "
                               "**kwargs)",
    "KLDivLoss": "(self, from_logits=True, axis=-1, weight=None, batch_axis=0, **kwargs)",
    "CTCLoss": "(self, layout='NTC', label_layout='NT', weight=None, **kwargs)",
    "HuberLoss": "(self, rho=1, weight=None, batch_axis=0, **kwargs)",
    "HingeLoss": "(self, margin=1, weight=None, batch_axis=0, **kwargs)",
    "SquaredHingeLoss": "(self, margin=1, weight=None, batch_axis=0, **kwargs)",
    "LogisticLoss": "(self, weight=None, batch_axis=0, label_format='signed', **kwargs)",
    "TripletLoss": "(self, margin=1, weight=None, batch_axis=0, **kwargs)",
    "PoissonNLLLoss": "(self, weight=None, from_logits=True, batch_axis=0, compute_full=False, **kwargs)",
    "CosineEmbeddingLoss": "(self, weight=None, batch_axis=0, margin=0, **kwargs)",
    "SDMLLoss": "(self, smoothing_parameter=0.3, weight=1.0, batch_axis=0, **kwargs)",
}
MXNET_FORWARD = {
    "SigmoidBinaryCrossEntropyLoss": "(self, F, pred, label, sample_weight=None, pos_weight=None)",
    "CTCLoss": "(self, F, pred, label, pred_lengths=None, label_lengths=None, sample_weight=None)",
    "TripletLoss": "(self, F, pred, positive, negative)",
    "PoissonNLLLoss": "(self, F, pred, target, sample_weight=None, epsilon=1e-08)",
    "CosineEmbeddingLoss": "(self, F, input1, input2, label, sample_weight=None)",
    "SDMLLoss": "(self, F, x1, x2)",
}


@pytest.mark.parametrize("name", sorted(MXNET_SIGNATURES))
def test_signatures_match_mxnet(name):
    cls = getattr(gloss, name)
    assert str(inspect.signature(cls.__init__)) == MXNET_SIGNATURES[name]
    expected = MXNET_FORWARD.get(name, "(self, F, pred, label, sample_weight=None)")
    assert str(inspect.signature(cls.hybrid_forward)) == expected


def test_all_names_repr_and_prefix():
    assert set(gloss.__all__) == set(MXNET_SIGNATURES) | {"Loss", "SigmoidBCELoss", "SoftmaxCELoss"}
    assert gloss.SoftmaxCELoss is gloss.SoftmaxCrossEntropyLoss
    assert repr(gloss.L2Loss()) == "L2Loss(batch_axis=0, w=1.0)"
    assert repr(gloss.CTCLoss(label_layout="TN")) == "CTCLoss(batch_axis=1, w=None)"
    assert repr(gloss.SDMLLoss()) == "SDMLLoss(batch_axis=0, w=1.0)"
    assert gloss.SoftmaxCELoss().prefix.startswith("softmaxcrossentropyloss")
    assert len(gloss.L1Loss().collect_params()) == 0
    assert callable(gloss._apply_weighting) and callable(gloss._reshape_like)


def test_errors():
    with pytest.raises(GluonicValueError, match="label_format"):
        gloss.LogisticLoss(label_format="plusminus")
    with pytest.raises(GluonicValueError, match="'NTC' and 'TNC'"):
        gloss.CTCLoss(layout="NCT")
    with pytest.raises(ValueError, match="label"):
        gloss.CTCLoss(label_layout="NN")
    with pytest.raises(GluonicTypeError, match="must be a number"):
        gloss.L1Loss(weight="2")(nd.ones((2, 2)), nd.ones((2, 2)))
    with pytest.raises(mx.MXNetError):
        gloss.L2Loss()(nd.ones((2, 3)), nd.ones((2, 2)))  # label size differs
