"""Shape and indexing conversions, checked at a fixed batch and with a dynamic batch axis."""
import numpy as np
import pytest

pytest.importorskip("onnxruntime")
pytest.importorskip("onnx")

import gluonic as mx  # noqa: E402

from .onnx_harness import check_symbol  # noqa: E402

S = mx.sym
RNG = np.random.default_rng(3)
X, Y = S.var("x"), S.var("y")


def _r(*shape):
    return RNG.standard_normal(shape).astype(np.float32)


def _i(hi, *shape):
    return RNG.integers(0, hi, shape).astype(np.float32)


# name: (symbol, [x (batch 2), y], batch-3 versions or None when the batch axis is not free)
CASES = {
    "reshape_0_-1": (lambda: S.Reshape(X, shape=(0, -1)), [_r(2, 3, 4)]),
    "reshape_-2": (lambda: S.Reshape(X, shape=(-2,)), [_r(2, 3, 4)]),
    "reshape_-3": (lambda: S.Reshape(X, shape=(-3, 4)), [_r(2, 3, 4)]),
    "reshape_0_-3": (lambda: S.Reshape(X, shape=(0, -3)), [_r(2, 3, 4)]),
    "reshape_-4": (lambda: S.Reshape(X, shape=(0, -4, 1, -1, 4)), [_r(2, 3, 4)]),
    "reshape_-4_first": (lambda: S.Reshape(X, shape=(-4, -1, 1, -2)), [_r(2, 3, 4)]),
    "reshape_-1_0": (lambda: S.Reshape(X, shape=(-1, 0), reverse=True), [_r(2, 3, 4)]),
    "reshape_const": (lambda: S.Reshape(X, shape=(-1, 12)), [_r(2, 3, 4)]),
    "reshape_like": (lambda: S.reshape_like(X, Y), [_r(2, 6), _r(2, 3, 2)]),
    "flatten": (lambda: S.Flatten(X), [_r(2, 3, 4)]),
    "transpose": (lambda: S.transpose(X, axes=(0, 2, 1)), [_r(2, 3, 4)]),
    "transpose_rev": (lambda: S.transpose(X), [_r(2, 3, 4)]),
    "swapaxis": (lambda: S.SwapAxis(X, dim1=1, dim2=2), [_r(2, 3, 4)]),
    "expand_dims": (lambda: S.expand_dims(X, axis=-1), [_r(2, 3)]),
    "squeeze": (lambda: S.squeeze(X, axis=1), [_r(2, 1, 3)]),
    "squeeze_all": (lambda: S.squeeze(X), [_r(2, 1, 3, 1)]),
    "broadcast_to": (lambda: S.broadcast_to(X, shape=(0, 3, 4)), [_r(2, 1, 4)]),
    "broadcast_axis": (lambda: S.broadcast_axis(X, axis=2, size=5), [_r(2, 3, 1)]),
    "broadcast_like": (lambda: S.broadcast_like(X, Y), [_r(2, 1, 4), _r(2, 3, 4)]),
    "shape_array": (lambda: S.shape_array(X), [_r(2, 3)]),
    "size_array": (lambda: S.size_array(X), [_r(2, 3)]),
    "slice": (lambda: S.slice(X, begin=(None, 1, -1), end=(None, 3, 0), step=(None, 1, -1)), [_r(2, 4, 5)]),
    "slice_neg_none": (lambda: S.slice(X, begin=(None, None), end=(None, None), step=(1, -2)), [_r(2, 5)]),
    "slice_axis": (lambda: S.slice_axis(X, axis=1, begin=1, end=None), [_r(2, 4)]),
    "slice_axis_neg": (lambda: S.slice_axis(X, axis=-1, begin=-3, end=-1), [_r(2, 4)]),
    "slice_like": (lambda: S.slice_like(X, Y, axes=(1,)), [_r(2, 5), _r(2, 3)]),
    "reverse": (lambda: S.reverse(X, axis=1), [_r(2, 4)]),
    "take": (lambda: S.take(Y, X), [_i(6, 2, 3) + np.array([0, 0, 3], np.float32), _r(5, 4)]),
    "take_wrap_axis1": (lambda: S.take(Y, X, axis=1, mode="wrap"), [_i(9, 2, 3), _r(3, 4)]),
    "embedding": (lambda: S.Embedding(X, Y, input_dim=5, output_dim=4), [_i(5, 2, 3), _r(5, 4)]),
    "pick": (lambda: S.pick(X, Y, axis=1), [_r(2, 4), _i(4, 2)]),
    "pick_keep": (lambda: S.pick(X, Y, axis=-1, keepdims=True, mode="wrap"), [_r(2, 3, 4), _i(9, 2, 3)]),
    "one_hot": (lambda: S.one_hot(X, depth=5, on_value=2.0, off_value=-1.0), [_i(5, 2, 3)]),
    "gather_nd": (lambda: S.gather_nd(Y, X), [_i(3, 2, 4), _r(3, 3, 5)]),
    "tile": (lambda: S.tile(X, reps=(2, 1, 3)), [_r(2, 3)]),
    "tile_short": (lambda: S.tile(X, reps=(2,)), [_r(2, 3)]),
    "repeat": (lambda: S.repeat(X, repeats=2, axis=1), [_r(2, 3)]),
    "repeat_flat": (lambda: S.repeat(X, repeats=3), [_r(2, 3)]),
    "pad_constant": (lambda: S.Pad(X, mode="constant", pad_width=(0, 0, 0, 0, 1, 2, 2, 1), constant_value=0.5),
                     [_r(2, 2, 3, 3)]),
    "pad_edge": (lambda: S.Pad(X, mode="edge", pad_width=(0, 0, 0, 0, 1, 1, 2, 2)), [_r(2, 2, 3, 3)]),
    "pad_reflect": (lambda: S.Pad(X, mode="reflect", pad_width=(0, 0, 0, 0, 1, 1, 2, 2)), [_r(2, 2, 3, 4)]),
    "split": (lambda: S.split(X, num_outputs=3, axis=1), [_r(2, 6)]),
    "split_squeeze": (lambda: S.split(X, num_outputs=3, axis=2, squeeze_axis=True), [_r(2, 4, 3)]),
    "concat": (lambda: S.concat(X, Y, X, dim=1), [_r(2, 3), _r(2, 2)]),
    "stack": (lambda: S.stack(X, Y, axis=1), [_r(2, 3), _r(2, 3)]),
    "stack_last": (lambda: S.stack(X, Y, axis=-1), [_r(2, 3), _r(2, 3)]),
    "depth_to_space": (lambda: S.depth_to_space(X, block_size=2), [_r(2, 8, 2, 3)]),
    "space_to_depth": (lambda: S.space_to_depth(X, block_size=2), [_r(2, 2, 4, 6)]),
    "topk": (lambda: S.topk(X, k=2), [_r(2, 5)]),
    "topk_both": (lambda: S.topk(X, k=2, axis=1, ret_typ="both", is_ascend=True), [_r(2, 5, 3)]),
    "topk_value": (lambda: S.topk(X, k=3, ret_typ="value"), [_r(2, 5)]),
    "topk_all": (lambda: S.topk(X, k=2, axis=None, ret_typ="value"), [_r(2, 5)]),
    "sort": (lambda: S.sort(X, axis=1, is_ascend=False), [_r(2, 5)]),
    "argsort": (lambda: S.argsort(X, dtype="int32"), [_r(2, 5)]),
    "sequence_mask": (lambda: S.SequenceMask(X, Y, use_sequence_length=True, value=-1.0),
                      [_r(4, 2, 3), np.array([2, 4], np.float32)]),
    "sequence_mask_axis1": (lambda: S.SequenceMask(X, Y, use_sequence_length=True, axis=1),
                            [_r(2, 4, 3), np.array([1, 3], np.float32)]),
    "sequence_last": (lambda: S.SequenceLast(X, Y, use_sequence_length=True),
                      [_r(4, 2, 3), np.array([2, 4], np.float32)]),
    "sequence_last_plain": (lambda: S.SequenceLast(X), [_r(4, 2, 3)]),
    "sequence_reverse": (lambda: S.SequenceReverse(X, Y, use_sequence_length=True),
                         [_r(4, 2, 3), np.array([2, 4], np.float32)]),
    "arange_folded": (lambda: S.broadcast_add(X, S.arange(0, 3).reshape((1, 3))), [_r(2, 3)]),
    "zeros_folded": (lambda: S.broadcast_add(S.broadcast_add(X, S.zeros((1, 3))), S.ones((3,))), [_r(2, 3)]),
    "scalar_0d": (lambda: S.sum(X) * 2 + 1, [_r(2, 3)]),
}
# Cases whose first axis cannot change freely (a sequence axis paired with a lengths vector, ...).
NOT_BATCHED = {"take", "take_wrap_axis1", "gather_nd", "sequence_mask", "sequence_last", "sequence_reverse",
               "reshape_-4_first", "embedding"}


@pytest.mark.parametrize("name", sorted(CASES))
def test_shape_op(name):
    make, arrays = CASES[name]
    sym = make()
    names = sym.list_arguments()
    given = dict(zip(["x", "y"], arrays))
    inputs = {n: given[n] for n in names}
    other = None
    if name not in NOT_BATCHED:
        other = {k: np.concatenate([v, v[:1]]) for k, v in inputs.items()}
    check_symbol(sym, {}, inputs, other_batch=other)
