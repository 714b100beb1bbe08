"""Tests of the sequence ops (gluonic/ops/sequence.py) against NumPy references and MXNet 1.9.1 values."""
from __future__ import annotations

import numpy as np
import pytest

from gluonic.ops.registry import get

from .harness import check_op, check_op_error, run

RNG = np.random.RandomState(0)
X = RNG.uniform(-2, 2, size=(4, 3, 2)).astype(np.float32)  # (T, B, feature)
LENGTHS = np.array([1, 4, 2], np.float32)


def time_major(x, axis):
    return x if axis == 0 else np.swapaxes(x, 0, 1)


def np_mask(x, lengths=None, *, value=0.0, axis=0):
    out = time_major(x, axis).copy()
    if lengths is not None:
        for b, n in enumerate(lengths.astype(np.int64)):
            out[max(n, 0):, b] = value
    return time_major(out, axis)


def np_last(x, lengths=None, *, axis=0):
    xt = time_major(x, axis)
    if lengths is None:
        return xt[-1].copy()
    idx = np.clip(lengths.astype(np.int64) - 1, 0, xt.shape[0] - 1)
    return np.stack([xt[i, b] for b, i in enumerate(idx)])


def np_reverse(x, lengths=None, *, axis=0):
    xt = time_major(x, axis)
    out = xt.copy()
    for b in range(xt.shape[1]):
        n = xt.shape[0] if lengths is None else int(np.clip(int(lengths[b]), 0, xt.shape[0]))
        out[:n, b] = xt[:n, b][::-1]
    return time_major(out, axis)


# ------------------------------------------------------------------ SequenceMask
@pytest.mark.parametrize("axis", [0, 1])
@pytest.mark.parametrize("value", [0.0, -1.5])
def test_sequence_mask(axis, value):
    x = time_major(X, axis).copy()
    attrs = dict(use_sequence_length=True, value=value, axis=axis)
    check_op("SequenceMask", [x, LENGTHS], lambda a, n: np_mask(a, n, value=value, axis=axis), attrs, grad=[0])


def test_sequence_mask_without_lengths_is_identity():
    check_op("SequenceMask", [X], np_mask, dict(value=-1.0))


def test_sequence_mask_values_from_mxnet():
    x = np.arange(24, dtype=np.float32).reshape(4, 3, 2)
    (y,) = run("SequenceMask", [x, LENGTHS], dict(use_sequence_length=True, value=-1))
    np.testing.assert_array_equal(y.asnumpy()[:, :, 0], [[0, 2, 4], [-1, 8, 10], [-1, 14, -1], [-1, 20, -1]])


def test_sequence_mask_lengths_truncate_and_dtypes():
    """Fractional lengths truncate (MXNet: 1.7 -> 1); integer lengths and data work; value is cast."""
    lengths = np.array([1.7, 4.0, 2.2], np.float32)
    check_op("SequenceMask", [X, lengths], lambda a, n: np_mask(a, n), dict(use_sequence_length=True), grad=False)
    xi = np.arange(24, dtype=np.int32).reshape(4, 3, 2)
    check_op("SequenceMask", [xi, LENGTHS.astype(np.int32)], lambda a, n: np_mask(a, n, value=-1),
             dict(use_sequence_length=True, value=-1.0), grad=False)
    check_op("SequenceMask", [X.astype(np.float16), LENGTHS], lambda a, n: np_mask(a, n, value=7),
             dict(use_sequence_length=True, value=7.0), grad=False)
    lengths = np.array([0, 9, -1], np.float32)
    check_op("SequenceMask", [X, lengths], lambda a, n: np_mask(a, n), dict(use_sequence_length=True), grad=False)


def test_sequence_mask_2d_data():
    x = RNG.uniform(-1, 1, size=(4, 3)).astype(np.float32)
    check_op("SequenceMask", [x, LENGTHS], lambda a, n: np_mask(a, n), dict(use_sequence_length=True), grad=[0])


# ------------------------------------------------------------------ SequenceLast
@pytest.mark.parametrize("axis", [0, 1])
def test_sequence_last(axis):
    x = time_major(X, axis).copy()
    attrs = dict(use_sequence_length=True, axis=axis)
    check_op("SequenceLast", [x, LENGTHS], lambda a, n: np_last(a, n, axis=axis), attrs, grad=[0])
    check_op("SequenceLast", [x], lambda a: np_last(a, axis=axis), dict(axis=axis))


def test_sequence_last_values_from_mxnet():
    x = np.arange(24, dtype=np.float32).reshape(4, 3, 2)
    (y,) = run("SequenceLast", [x, LENGTHS], dict(use_sequence_length=True))
    np.testing.assert_array_equal(y.asnumpy()[:, 0], [0, 20, 10])
    (y,) = run("SequenceLast", [x])
    np.testing.assert_array_equal(y.asnumpy()[:, 0], [18, 20, 22])


def test_sequence_last_out_of_range_lengths_are_clamped():
    """MXNet reads out of bounds for these; gluonic clamps the length into [1, T]."""
    lengths = np.array([0, 9, 2.9], np.float32)
    out = check_op("SequenceLast", [X, lengths], lambda a, n: np_last(a, n), dict(use_sequence_length=True),
                   grad=False)
    np.testing.assert_array_equal(out[0], np.stack([X[0, 0], X[3, 1], X[1, 2]]))


def test_sequence_last_int_data():
    xi = np.arange(24, dtype=np.int64).reshape(4, 3, 2)
    check_op("SequenceLast", [xi, LENGTHS.astype(np.int32)], lambda a, n: np_last(a, n),
             dict(use_sequence_length=True), grad=False)


# ------------------------------------------------------------------ SequenceReverse
@pytest.mark.parametrize("axis", [0, 1])
def test_sequence_reverse(axis):
    x = time_major(X, axis).copy()
    attrs = dict(use_sequence_length=True, axis=axis)
    check_op("SequenceReverse", [x, LENGTHS], lambda a, n: np_reverse(a, n, axis=axis), attrs, grad=[0])
    check_op("SequenceReverse", [x], lambda a: np_reverse(a, axis=axis), dict(axis=axis))


def test_sequence_reverse_values_from_mxnet():
    x = np.arange(24, dtype=np.float32).reshape(4, 3, 2)
    (y,) = run("SequenceReverse", [x, LENGTHS], dict(use_sequence_length=True))
    np.testing.assert_array_equal(y.asnumpy()[:, :, 0], [[0, 20, 10], [6, 14, 4], [12, 8, 16], [18, 2, 22]])


def test_sequence_reverse_edge_lengths():
    lengths = np.array([0, 9, 2.5], np.float32)  # 0: unchanged (as MXNet), 9: whole sequence, 2.5 -> 2
    check_op("SequenceReverse", [X, lengths], lambda a, n: np_reverse(a, n), dict(use_sequence_length=True),
             grad=False)
    x2 = RNG.uniform(-1, 1, size=(4, 3)).astype(np.float32)
    check_op("SequenceReverse", [x2, LENGTHS], lambda a, n: np_reverse(a, n), dict(use_sequence_length=True),
             grad=[0])


# ------------------------------------------------------------------ errors and registry
@pytest.mark.parametrize("op", ["SequenceMask", "SequenceLast", "SequenceReverse"])
def test_sequence_errors(op):
    check_op_error(op, [X, np.ones(4, np.float32)], dict(use_sequence_length=True),
                   match=rf"{op}.*sequence_length.*\(3,\).*\(4, 3, 2\).*\(4,\)")
    check_op_error(op, [X], dict(use_sequence_length=True), match=f"{op}.*needs the sequence_length input")
    check_op_error(op, [X, LENGTHS], match=f"{op}.*use_sequence_length=True")
    check_op_error(op, [X], dict(axis=2), match=f"{op}.*axis must be 0 or 1")
    check_op_error(op, [np.ones(3, np.float32)], match=f"{op}.*at least 2 dimensions")


def test_registry_entries():
    assert get("_npx_sequence_mask") is get("SequenceMask")
    for name in ("SequenceMask", "SequenceLast", "SequenceReverse"):
        op = get(name)
        assert op.inputs == ("data", "sequence_length") and "sequence_length" in op.optional_inputs
        assert list(op.attrs._fields)[-1] == "axis"
