"""CTCLoss against a NumPy forward-algorithm reference, MXNet 1.9.1 values, and its error cases."""
import numpy as np
import pytest

import gluonic as mx
from gluonic.base import GluonicValueError

from .harness import check_op, check_op_error, run


def _log_softmax(x):
    m = x.max(axis=-1, keepdims=True)
    return x - m - np.log(np.exp(x - m).sum(axis=-1, keepdims=True))


def _ctc_one(log_probs, target, blank):
    """-log p(target | log_probs (T, C)) by the CTC forward recursion; 0 when impossible."""
    ext = [blank]
    for t in target:
        ext += [int(t), blank]
    steps, size = log_probs.shape[0], len(ext)
    alpha = np.full(size, -np.inf)
    if steps == 0:
        return 0.0  # the empty label has p = 1; any other is impossible, which costs 0
    alpha[0] = log_probs[0, blank]
    if size > 1:
        alpha[1] = log_probs[0, ext[1]]
    for t in range(1, steps):
        new = np.full(size, -np.inf)
        for s in range(size):
            terms = [alpha[s]]
            if s >= 1:
                terms.append(alpha[s - 1])
            if s >= 2 and ext[s] != blank and ext[s] != ext[s - 2]:
                terms.append(alpha[s - 2])
            new[s] = np.logaddexp.reduce(terms) + log_probs[t, ext[s]]
        alpha = new
    total = np.logaddexp.reduce(alpha[-2:]) if size > 1 else alpha[-1]
    return 0.0 if np.isinf(total) else -total


def ctc_reference(blank_label="first", use_data_lengths=False, use_label_lengths=False):
    def ref(data, label, data_lengths=None, label_lengths=None):
        steps, batch, classes = data.shape
        blank, pad = (0, 0) if blank_label == "first" else (classes - 1, -1)
        lp = _log_softmax(data.astype(np.float64))
        out = []
        for n in range(batch):
            row = [int(v) for v in label[n]]
            if use_label_lengths:
                row = row[:int(label_lengths[n])]
            elif pad in row:
                row = row[:row.index(pad)]
            length = int(data_lengths[n]) if use_data_lengths else steps
            out.append(_ctc_one(lp[:length, n], row, blank))
        return np.array(out, dtype=data.dtype)
    return ref


RNG = np.random.RandomState(0)
DATA = RNG.randn(6, 4, 5).astype(np.float32)  # (T, N, C), as in the MXNet runs below
LABEL_LAST = np.array([[1, 0, -1, -1], [2, 1, 1, -1], [0, 1, 0, 2], [-1, -1, -1, -1]], np.float32)
LABEL_FIRST = np.array([[1, 2, 0, 0], [2, 1, 1, 0], [1, 2, 1, 3], [0, 0, 0, 0]], np.float32)


def test_ctc_blank_last():
    check_op("CTCLoss", [DATA[:, :3], LABEL_LAST[:3]], ctc_reference("last"), {"blank_label": "last"},
             rtol=1e-5, grad=[0])


def test_ctc_blank_first_with_empty_label():
    check_op("ctc_loss", [DATA[:4, :, :4], LABEL_FIRST[:, :3]], ctc_reference("first"), grad=[0])


def test_ctc_lengths():
    data = DATA[:, :3, :4]
    label = np.array([[1, 0, -1], [2, 1, 1], [0, 2, -1]], np.float32)
    dl = np.array([6, 4, 3], np.float32)
    ll = np.array([2, 3, 1], np.float32)
    attrs = {"blank_label": "last", "use_data_lengths": True, "use_label_lengths": True}
    check_op("CTCLoss", [data, label, dl, ll], ctc_reference("last", True, True), attrs, grad=[0])


def test_ctc_int_labels_and_float64():
    data = DATA[:, :2].astype(np.float64)
    label = LABEL_LAST[:2].astype(np.int32)
    check_op("_contrib_CTCLoss", [data, label], ctc_reference("last"), {"blank_label": "last"}, grad=False)


def test_ctc_matches_mxnet():
    # mx.nd.CTCLoss on the same inputs with MXNet 1.9.1
    got = mx.nd.CTCLoss(mx.nd.array(DATA), mx.nd.array(LABEL_LAST), blank_label="last").asnumpy()
    np.testing.assert_allclose(got, [5.3603945, 8.4552355, 7.9453893, 12.098494], rtol=1e-5)
    got = mx.nd.CTCLoss(mx.nd.array(DATA), mx.nd.array(LABEL_FIRST)).asnumpy()
    np.testing.assert_allclose(got, [8.662222, 9.066903, 3.9947596, 10.21714], rtol=1e-5)
    interior = np.array([[1, -1, 2, -1], [2, 1, 1, -1], [0, 1, 0, 2], [3, -1, -1, -1]], np.float32)
    got = mx.nd.contrib.ctc_loss(mx.nd.array(DATA), mx.nd.array(interior), blank_label="last").asnumpy()
    np.testing.assert_allclose(got, [8.022851, 8.4552355, 7.9453893, 9.08268], rtol=1e-5)
    got = mx.nd.CTCLoss(mx.nd.array(DATA), mx.nd.array(LABEL_LAST), mx.nd.array([0, 6, 6, 6]),
                        use_data_lengths=True, blank_label="last").asnumpy()
    np.testing.assert_allclose(got, [0.0, 8.4552355, 7.9453893, 12.098494], rtol=1e-5)


def test_ctc_label_lengths_alone_come_third():
    """MXNet takes inputs positionally: with only use_label_lengths the third input is label_lengths."""
    ll = mx.nd.array([1, 2, 3, 0])
    a = mx.nd.CTCLoss(mx.nd.array(DATA), mx.nd.array(LABEL_LAST), ll, use_label_lengths=True, blank_label="last")
    b = mx.nd.CTCLoss(mx.nd.array(DATA), mx.nd.array(LABEL_LAST), None, ll, use_label_lengths=True,
                      blank_label="last")
    np.testing.assert_array_equal(a.asnumpy(), b.asnumpy())
    ref = ctc_reference("last", use_label_lengths=True)(DATA, LABEL_LAST, None, ll.asnumpy())
    np.testing.assert_allclose(a.asnumpy(), ref, rtol=1e-5)


def test_ctc_infeasible_is_zero_with_zero_gradient():
    data = mx.nd.array(DATA[:4, :2])
    data.attach_grad()
    label = mx.nd.array([[1, 1, 1, -1], [1, 2, -1, -1]])  # '1 1 1' needs 5 frames
    with mx.autograd.record():
        out = mx.nd.CTCLoss(data, label, blank_label="last")
    out.backward()
    assert out.asnumpy()[0] == 0 and out.asnumpy()[1] > 0  # MXNet 1.9.1: [0, 2.1595368]
    np.testing.assert_allclose(out.asnumpy()[1], 2.1595368, rtol=1e-5)
    assert np.all(data.grad.asnumpy()[:, 0] == 0) and np.any(data.grad.asnumpy()[:, 1] != 0)


@pytest.mark.parametrize("dtype", ["float16", "bfloat16"])
def test_ctc_half_precision_keeps_dtype(dtype):
    out = mx.nd.CTCLoss(mx.nd.array(DATA).astype(dtype), mx.nd.array(LABEL_LAST), blank_label="last")
    assert out.dtype == mx.nd.zeros((1,), dtype=dtype).dtype
    np.testing.assert_allclose(out.astype("float32").asnumpy(), [5.3603945, 8.4552355, 7.9453893, 12.098494],
                               rtol=2e-2)


def test_ctc_shape_inference_on_symbols():
    out = mx.sym.CTCLoss(mx.sym.var("data"), mx.sym.var("label"), blank_label="last")
    _, shapes, _ = out.infer_shape(data=(6, 4, 5), label=(4, 3))
    assert shapes == [(4,)]


@pytest.mark.parametrize("label,match", [
    ([[1, 5, -1]], r"label\[0, 1\] = 5"),   # beyond the alphabet
    ([[1, 4, -1]], r"blank"),                # the blank itself
    ([[-2, 1, -1]], r"label\[0, 0\] = -2"),
])
def test_ctc_bad_labels(label, match):
    check_op_error("CTCLoss", [DATA[:, :1], np.array(label, np.float32)], {"blank_label": "last"}, match=match)


def test_ctc_padding_inside_given_length():
    check_op_error("CTCLoss", [DATA[:, :1], np.array([[1, -1, 2]], np.float32), np.array([3], np.float32)],
                   {"blank_label": "last", "use_label_lengths": True}, match=r"label\[0, 1\] = -1")


def test_ctc_length_errors():
    data, label = DATA[:, :2], LABEL_LAST[:2]
    check_op_error("CTCLoss", [data, label, np.array([7, 6], np.float32)],
                   {"use_data_lengths": True, "blank_label": "last"}, match=r"data_lengths must lie in \[0, 6\]")
    check_op_error("CTCLoss", [data, label, None, np.array([5, 1], np.float32)],
                   {"use_label_lengths": True, "blank_label": "last"}, match=r"label_lengths must lie in \[0, 4\]")
    check_op_error("CTCLoss", [data, label], {"use_data_lengths": True}, match="needs the data_lengths input")
    check_op_error("CTCLoss", [data, label, np.array([6, 6], np.float32)], {}, match="use_data_lengths is False")
    check_op_error("CTCLoss", [data, label, np.array([6, 6, 6], np.float32)], {"use_data_lengths": True},
                   match=r"shape \(2,\)")


def test_ctc_shape_errors():
    check_op_error("CTCLoss", [DATA[0], LABEL_LAST], match="sequence_length, batch_size, alphabet_size")
    check_op_error("CTCLoss", [DATA, LABEL_LAST[:3]], match="label")
    check_op_error("CTCLoss", [DATA.astype(np.int32), LABEL_LAST], match="floating point")
    check_op_error("CTCLoss", [DATA, LABEL_LAST], {"blank_label": "middle"}, match="blank_label")


def test_ctc_inputs_not_modified_and_runs_eagerly():
    outs = run("CTCLoss", [DATA, LABEL_LAST], {"blank_label": "last"})
    assert outs[0].shape == (4,)
    with pytest.raises(GluonicValueError):
        run("CTCLoss", [DATA, LABEL_LAST + 10], {"blank_label": "last"})
