"""mx.io data iterators (DataDesc, DataBatch, DataIter, NDArrayIter, ResizeIter, PrefetchingIter).

Batches are compared with real MXNet 1.9.1: the GOLDEN_* values below were printed by
tests/golden/make_golden_data_iter.py under MXNet, and the tests run the same functions
with gluonic.
"""
import os
import pickle
import subprocess
import sys
import types

import numpy as np
import pytest

import gluonic as mx
import gluonic.io as io
from gluonic.base import MXNetError

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "golden"))
import make_golden_data_iter as gen  # noqa: E402

GX = types.SimpleNamespace(io=io, nd=mx.nd)  # gluonic as the generator's ``mx``

# ---- printed by make_golden_data_iter.py under MXNet 1.9.1 (do not edit by hand) ----
GOLDEN_NDARRAY_ITER = {(3, 8, 'discard', False): [[], [], []],
 (3, 8, 'discard', True): [[], [], []],
 (3, 8, 'pad', False): [[([0, 1, 2, 0, 1, 2, 0, 1], 5)], [([0, 1, 2, 0, 1, 2, 0, 1], 5)],
                        [([0, 1, 2, 0, 1, 2, 0, 1], 5)]],
 (3, 8, 'pad', True): [[([2, 1, 0, 2, 1, 0, 2, 1], 5)], [([2, 0, 1, 2, 0, 1, 2, 0], 5)],
                       [([2, 0, 1, 2, 0, 1, 2, 0], 5)]],
 (4, 6, 'discard', False): [[], [], []],
 (4, 6, 'discard', True): [[], [], []],
 (4, 6, 'pad', False): [[([0, 1, 2, 3, 0, 1], 2)], [([0, 1, 2, 3, 0, 1], 2)], [([0, 1, 2, 3, 0, 1], 2)]],
 (4, 6, 'pad', True): [[([2, 3, 1, 0, 2, 3], 2)], [([1, 3, 0, 2, 1, 3], 2)], [([1, 0, 2, 3, 1, 0], 2)]],
 (4, 6, 'roll_over', False): [[], [([0, 1, 2, 3, 0, 1], 4)], [([2, 3, 0, 1, 2, 3], 2)]],
 (4, 6, 'roll_over', True): [[], [([2, 3, 1, 0, 1, 3], 4)], [([0, 2, 1, 0, 2, 3], 2)]],
 (5, 7, 'discard', False): [[], [], []],
 (5, 7, 'discard', True): [[], [], []],
 (5, 7, 'pad', False): [[([0, 1, 2, 3, 4, 0, 1], 2)], [([0, 1, 2, 3, 4, 0, 1], 2)],
                        [([0, 1, 2, 3, 4, 0, 1], 2)]],
 (5, 7, 'pad', True): [[([2, 0, 1, 3, 4, 2, 0], 2)], [([1, 0, 2, 4, 3, 1, 0], 2)],
                       [([0, 3, 4, 2, 1, 0, 3], 2)]],
 (5, 7, 'roll_over', False): [[], [([0, 1, 2, 3, 4, 0, 1], 5)], [([2, 3, 4, 0, 1, 2, 3], 3)]],
 (5, 7, 'roll_over', True): [[], [([2, 0, 1, 3, 4, 1, 0], 5)], [([2, 4, 3, 0, 3, 4, 2], 3)]],
 (10, 3, 'discard', False): [[([0, 1, 2], 0), ([3, 4, 5], 0), ([6, 7, 8], 0)],
                             [([0, 1, 2], 0), ([3, 4, 5], 0), ([6, 7, 8], 0)],
                             [([0, 1, 2], 0), ([3, 4, 5], 0), ([6, 7, 8], 0)]],
 (10, 3, 'discard', True): [[([2, 8, 4], 0), ([9, 1, 6], 0), ([7, 3, 0], 0)],
                            [([5, 7, 0], 0), ([1, 6, 2], 0), ([4, 3, 9], 0)],
                            [([9, 6, 1], 0), ([2, 5, 4], 0), ([8, 0, 7], 0)]],
 (10, 3, 'pad', False): [[([0, 1, 2], 0), ([3, 4, 5], 0), ([6, 7, 8], 0), ([9, 0, 1], 2)],
                         [([0, 1, 2], 0), ([3, 4, 5], 0), ([6, 7, 8], 0), ([9, 0, 1], 2)],
                         [([0, 1, 2], 0), ([3, 4, 5], 0), ([6, 7, 8], 0), ([9, 0, 1], 2)]],
 (10, 3, 'pad', True): [[([2, 8, 4], 0), ([9, 1, 6], 0), ([7, 3, 0], 0), ([5, 2, 8], 2)],
                        [([5, 7, 0], 0), ([1, 6, 2], 0), ([4, 3, 9], 0), ([8, 5, 7], 2)],
                        [([9, 6, 1], 0), ([2, 5, 4], 0), ([8, 0, 7], 0), ([3, 9, 6], 2)]],
 (10, 3, 'roll_over', False): [[([0, 1, 2], 0), ([3, 4, 5], 0), ([6, 7, 8], 0)],
                               [([9, 0, 1], 1), ([2, 3, 4], 0), ([5, 6, 7], 0)],
                               [([8, 9, 0], 2), ([1, 2, 3], 0), ([4, 5, 6], 0), ([7, 8, 9], 0)]],
 (10, 3, 'roll_over', True): [[([2, 8, 4], 0), ([9, 1, 6], 0), ([7, 3, 0], 0)],
                              [([5, 5, 7], 1), ([0, 1, 6], 0), ([2, 4, 3], 0)],
                              [([9, 8, 9], 2), ([6, 1, 2], 0), ([5, 4, 8], 0), ([0, 7, 3], 0)]],
 (10, 5, 'discard', False): [[([0, 1, 2, 3, 4], 0), ([5, 6, 7, 8, 9], 0)],
                             [([0, 1, 2, 3, 4], 0), ([5, 6, 7, 8, 9], 0)],
                             [([0, 1, 2, 3, 4], 0), ([5, 6, 7, 8, 9], 0)]],
 (10, 5, 'discard', True): [[([2, 8, 4, 9, 1], 0), ([6, 7, 3, 0, 5], 0)],
                            [([5, 7, 0, 1, 6], 0), ([2, 4, 3, 9, 8], 0)],
                            [([9, 6, 1, 2, 5], 0), ([4, 8, 0, 7, 3], 0)]],
 (10, 5, 'pad', False): [[([0, 1, 2, 3, 4], 0), ([5, 6, 7, 8, 9], 0)],
                         [([0, 1, 2, 3, 4], 0), ([5, 6, 7, 8, 9], 0)],
                         [([0, 1, 2, 3, 4], 0), ([5, 6, 7, 8, 9], 0)]],
 (10, 5, 'pad', True): [[([2, 8, 4, 9, 1], 0), ([6, 7, 3, 0, 5], 0)],
                        [([5, 7, 0, 1, 6], 0), ([2, 4, 3, 9, 8], 0)],
                        [([9, 6, 1, 2, 5], 0), ([4, 8, 0, 7, 3], 0)]],
 (10, 5, 'roll_over', False): [[([0, 1, 2, 3, 4], 0), ([5, 6, 7, 8, 9], 0)],
                               [([0, 1, 2, 3, 4], 0), ([5, 6, 7, 8, 9], 0)],
                               [([0, 1, 2, 3, 4], 0), ([5, 6, 7, 8, 9], 0)]],
 (10, 5, 'roll_over', True): [[([2, 8, 4, 9, 1], 0), ([6, 7, 3, 0, 5], 0)],
                              [([5, 7, 0, 1, 6], 0), ([2, 4, 3, 9, 8], 0)],
                              [([9, 6, 1, 2, 5], 0), ([4, 8, 0, 7, 3], 0)]]}

GOLDEN_MANUAL_PROTOCOL = {'discard': [([0, 1, 2], 0, None), ([3, 4, 5], 0, None), ([6, 7, 8], 0, None), ([9], 0, None)],
 'pad': [([0, 1, 2], 0, None), ([3, 4, 5], 0, None), ([6, 7, 8], 0, None), ([9, 0, 1], 2, None)],
 'roll_over': [([0, 1, 2], 0, None), ([3, 4, 5], 0, None), ([6, 7, 8], 0, None), ([9], 0, None)]}

GOLDEN_RESIZE_ITER = {('discard', False): [[([0, 1, 2], 0), ([3, 4, 5], 0), ([6, 7, 8], 0), ([0, 1, 2], 0), ([3, 4, 5], 0)],
                      [([6, 7, 8], 0), ([0, 1, 2], 0), ([3, 4, 5], 0), ([6, 7, 8], 0), ([0, 1, 2], 0)]],
 ('discard', True): [[([0, 1, 2], 0), ([3, 4, 5], 0), ([6, 7, 8], 0), ([0, 1, 2], 0), ([3, 4, 5], 0)],
                     [([0, 1, 2], 0), ([3, 4, 5], 0), ([6, 7, 8], 0), ([0, 1, 2], 0), ([3, 4, 5], 0)]],
 ('pad', False): [[([0, 1, 2], 0), ([3, 4, 5], 0), ([6, 7, 8], 0), ([9, 0, 1], 2), ([0, 1, 2], 0)],
                  [([3, 4, 5], 0), ([6, 7, 8], 0), ([9, 0, 1], 2), ([0, 1, 2], 0), ([3, 4, 5], 0)]],
 ('pad', True): [[([0, 1, 2], 0), ([3, 4, 5], 0), ([6, 7, 8], 0), ([9, 0, 1], 2), ([0, 1, 2], 0)],
                 [([0, 1, 2], 0), ([3, 4, 5], 0), ([6, 7, 8], 0), ([9, 0, 1], 2), ([0, 1, 2], 0)]],
 ('roll_over', False): [[([0, 1, 2], 0), ([3, 4, 5], 0), ([6, 7, 8], 0), ([9, 0, 1], 1), ([2, 3, 4], 0)],
                        [([5, 6, 7], 0), ([8, 9, 0], 2), ([1, 2, 3], 0), ([4, 5, 6], 0), ([7, 8, 9], 0)]],
 ('roll_over', True): [[([0, 1, 2], 0), ([3, 4, 5], 0), ([6, 7, 8], 0), ([9, 0, 1], 1), ([2, 3, 4], 0)],
                       [([0, 1, 2], 0), ([3, 4, 5], 0), ([6, 7, 8], 0), ([9, 0, 1], 1), ([2, 3, 4], 0)]]}

GOLDEN_PREFETCHING_ITER = {'epochs': [[([[0.0, 2.0, 4.0, 6.0], [0.0, 20.0, 40.0, 60.0]],
              [[100.0, 101.0, 102.0, 103.0], [200.0, 202.0, 204.0, 206.0]], 0),
             ([[8.0, 10.0, 12.0, 14.0], [80.0, 100.0, 120.0, 140.0]],
              [[104.0, 105.0, 106.0, 107.0], [208.0, 210.0, 212.0, 214.0]], 0),
             ([[16.0, 18.0, 0.0, 2.0], [160.0, 180.0, 0.0, 20.0]],
              [[108.0, 109.0, 100.0, 101.0], [216.0, 218.0, 200.0, 202.0]], 2)],
            [([[0.0, 2.0, 4.0, 6.0], [0.0, 20.0, 40.0, 60.0]],
              [[100.0, 101.0, 102.0, 103.0], [200.0, 202.0, 204.0, 206.0]], 0),
             ([[8.0, 10.0, 12.0, 14.0], [80.0, 100.0, 120.0, 140.0]],
              [[104.0, 105.0, 106.0, 107.0], [208.0, 210.0, 212.0, 214.0]], 0),
             ([[16.0, 18.0, 0.0, 2.0], [160.0, 180.0, 0.0, 20.0]],
              [[108.0, 109.0, 100.0, 101.0], [216.0, 218.0, 200.0, 202.0]], 2)]],
 'provide_data': "[DataDesc[d1,(4, 2),<class 'numpy.float32'>,NCHW], DataDesc[d2,(4, 2),<class "
                 "'numpy.float32'>,NCHW]]",
 'provide_label': "[DataDesc[lab,(4,),<class 'numpy.float32'>,NCHW], DataDesc[lab,(4,),<class "
                  "'numpy.float32'>,NCHW]]"}

GOLDEN_DESCRIPTIONS = {'int32_nolabel': ("[DataDesc[x,(3, 2),<class 'numpy.int32'>,NCHW]]", '[]'),
 'list_dict': ("[DataDesc[_0_data,(2, 2),<class 'numpy.float32'>,NCHW], DataDesc[_1_data,(2, 3, 5),<class "
               "'numpy.float32'>,NCHW]]",
               "[DataDesc[a,(2, 1),<class 'numpy.float32'>,NCHW], DataDesc[b,(2,),<class "
               "'numpy.float32'>,NCHW]]"),
 'numpy_dtypes': ("[DataDesc[data,(3, 2),<class 'numpy.float32'>,NCHW]]",
                  "[DataDesc[softmax_label,(3,),<class 'numpy.float32'>,NCHW]]")}

# ---- end of golden values ----


@pytest.fixture(scope="module")
def ndarray_iter_runs():
    return gen.ndarray_iter(GX)


@pytest.mark.parametrize("case", sorted(GOLDEN_NDARRAY_ITER, key=str), ids=str)
def test_ndarrayiter_matches_mxnet(case, ndarray_iter_runs):
    got = ndarray_iter_runs
    assert got[case] == GOLDEN_NDARRAY_ITER[case]
    n = case[0]
    for epoch in got[case]:  # every batch is full; shuffled batches hold valid, distinct rows
        for ids, pad in epoch:
            assert len(ids) == case[1] and set(ids) <= set(range(n))
            if pad == 0 and case[2] != "roll_over":
                assert len(set(ids)) == len(ids)


def test_ndarrayiter_all_cases_covered(ndarray_iter_runs):
    assert set(ndarray_iter_runs) == set(GOLDEN_NDARRAY_ITER)


def test_manual_protocol_matches_mxnet():
    assert gen.manual_protocol(GX) == GOLDEN_MANUAL_PROTOCOL


def test_resize_iter_matches_mxnet():
    assert gen.resize_iter(GX) == GOLDEN_RESIZE_ITER


def test_prefetching_iter_matches_mxnet():
    assert gen.prefetching_iter(GX) == GOLDEN_PREFETCHING_ITER


def test_descriptions_match_mxnet():
    assert gen.descriptions(GX) == GOLDEN_DESCRIPTIONS


# ------------------------------------------------------------------ DataDesc / DataBatch / DataIter

def test_datadesc():
    d = io.DataDesc("x", (1, 2), np.int32, "NC")
    assert repr(d) == "DataDesc[x,(1, 2),<class 'numpy.int32'>,NC]"
    assert d == ("x", (1, 2)) and tuple(d) == ("x", (1, 2)) and d.name == "x" and d[1] == (1, 2)
    name, shape = d
    assert (name, shape) == ("x", (1, 2))
    assert io.DataDesc("x", (3,)).dtype is np.float32 and io.DataDesc("x", (3,)).layout == "NCHW"
    assert repr(pickle.loads(pickle.dumps(d))) == repr(d)
    assert repr(d._replace(name="y")) == "DataDesc[y,(1, 2),<class 'numpy.int32'>,NC]"
    assert io.DataDesc.get_batch_axis("TNC") == 1
    assert io.DataDesc.get_batch_axis(None) == 0
    assert io.DataDesc.get_batch_axis("TC") == -1
    got = io.DataDesc.get_list([("a", (1,)), ("b", (2,))], [("a", np.int32), ("b", np.float16)])
    assert repr(got) == ("[DataDesc[a,(1,),<class 'numpy.int32'>,NCHW], "
                         "DataDesc[b,(2,),<class 'numpy.float16'>,NCHW]]")
    assert repr(io.DataDesc.get_list([("a", (1,))], None)) == "[DataDesc[a,(1,),<class 'numpy.float32'>,NCHW]]"


def test_databatch():
    b = io.DataBatch([mx.nd.ones((2, 3))])
    assert str(b) == "DataBatch: data shapes: [(2, 3)] label shapes: None"
    assert (b.label, b.pad, b.index, b.bucket_key, b.provide_data, b.provide_label) == (None,) * 6
    b = io.DataBatch([mx.nd.ones((2, 3))], [mx.nd.ones((2,))], pad=1, bucket_key=5)
    assert str(b) == "DataBatch: data shapes: [(2, 3)] label shapes: [(2,)]"
    assert (b.pad, b.bucket_key) == (1, 5)
    with pytest.raises(TypeError, match="list of NDArrays"):
        io.DataBatch(mx.nd.ones((2,)))
    with pytest.raises(TypeError, match="label must be a list"):
        io.DataBatch([mx.nd.ones((2,))], mx.nd.ones((2,)))


def test_dataiter_subclass_protocol():
    class Counter(io.DataIter):
        def __init__(self):
            super().__init__(2)
            self.i = 0

        def iter_next(self):
            self.i += 1
            return self.i <= 2

        def getdata(self):
            return [mx.nd.ones((2, 2)) * self.i]

        def getlabel(self):
            return None

        def getpad(self):
            return 0

    batches = list(Counter())
    assert len(batches) == 2 and batches[1].data[0].asnumpy().tolist() == [[2, 2], [2, 2]]
    assert (batches[0].label, batches[0].pad, batches[0].index) == (None, 0, None)
    base = io.DataIter()
    assert base.batch_size == 0 and iter(base) is base and base.getindex() is None
    assert not hasattr(base, "provide_data")  # as MXNet: subclasses provide it
    with pytest.raises(StopIteration):
        next(base)


# ------------------------------------------------------------------ NDArrayIter details

def test_ndarrayiter_defaults_and_attributes():
    it = io.NDArrayIter(np.arange(8).reshape(4, 2))
    assert it.batch_size == 1 and it.last_batch_handle == "pad" and not it.shuffle
    assert it.num_data == 4 and it.num_source == 1 and it.layout == "NCHW"
    assert [d.name for d in it.provide_data] == ["data"] and it.provide_label == []
    batch = it.next()
    assert batch.label == [] and batch.index is None and batch.pad == 0 and batch.provide_data is None
    assert len(list(it)) == 3


def test_ndarrayiter_dtypes_and_context():
    ints = np.arange(12).reshape(6, 2)
    it = io.NDArrayIter(ints, ints[:, 0], 4)
    b = it.next()
    assert b.data[0].dtype is np.float32 and b.label[0].dtype is np.float32  # MXNet: NumPy -> float32
    it = io.NDArrayIter(mx.nd.array(ints, dtype="int32"), mx.nd.array(ints[:, 0], dtype="float64"), 4)
    b = it.next()
    assert b.data[0].dtype is np.int32 and b.label[0].dtype is np.float64
    assert it.provide_label[0].dtype is np.float64 and b.data[0].context == mx.cpu()
    # shuffling keeps NDArray dtypes (MXNet 1.9.1 turns them into float32)
    np.random.seed(3)
    it = io.NDArrayIter(mx.nd.array(ints, dtype="int64"), batch_size=6, shuffle=True)
    b = it.next()
    assert b.data[0].dtype is np.int64
    assert sorted(b.data[0].asnumpy()[:, 0].tolist()) == list(range(0, 12, 2))


def test_ndarrayiter_batches_are_copies():
    src = mx.nd.array(np.arange(8).reshape(4, 2))
    it = io.NDArrayIter(src, batch_size=2)
    batch = it.next()
    batch.data[0][:] = -1
    assert src.asnumpy().min() == 0
    src[:] = 5  # like MXNet without shuffle, the iterator reads the caller's array
    assert it.next().data[0].asnumpy().tolist() == [[5, 5], [5, 5]]


def test_ndarrayiter_multiple_inputs_stay_aligned():
    np.random.seed(7)
    n = 11
    x = np.arange(n, dtype=np.float32)
    data = {"a": x, "b": np.stack([x * 10, x * 10 + 1], 1)}
    label = [x + 100, x + 200]
    it = io.NDArrayIter(data, label, 4, shuffle=True, last_batch_handle="roll_over")
    seen = []
    for _ in range(3):
        for b in it:
            a, bb = (d.asnumpy() for d in b.data)
            l0, l1 = (lab.asnumpy() for lab in b.label)
            np.testing.assert_array_equal(bb[:, 0], a * 10)
            np.testing.assert_array_equal(l0, a + 100)
            np.testing.assert_array_equal(l1, a + 200)
            seen.extend(a.tolist())
        it.reset()
    assert [d.name for d in it.provide_label] == ["_0_softmax_label", "_1_softmax_label"]
    assert len(seen) == 32 and set(seen) == set(range(n))  # roll_over: 33 examples seen, less the carried 1


def test_ndarrayiter_layout_batch_axis():
    x = np.arange(24).reshape(2, 4, 3)  # T=2, N=4, C=3
    y = np.arange(8).reshape(2, 4)  # labels follow the layout too, as in MXNet
    it = io.NDArrayIter(x, y, batch_size=3, layout="TNC")
    assert repr(it.provide_data) == "[DataDesc[data,(2, 3, 3),<class 'numpy.float32'>,TNC]]"
    batches = list(it)
    assert [b.data[0].shape for b in batches] == [(2, 3, 3), (2, 3, 3)]
    np.testing.assert_array_equal(batches[1].data[0].asnumpy(), x[:, [3, 0, 1]])
    assert batches[1].pad == 2
    np.testing.assert_array_equal(batches[1].label[0].asnumpy(), y[:, [3, 0, 1]])
    np.random.seed(0)
    it = io.NDArrayIter(x, y, batch_size=4, layout="TNC", shuffle=True)
    b = it.next()
    order = b.label[0].asnumpy()[0].astype(int)
    assert sorted(order) == [0, 1, 2, 3]
    np.testing.assert_array_equal(b.data[0].asnumpy(), x[:, order])
    with pytest.raises(ValueError, match="no batch axis 1"):
        io.NDArrayIter(x, np.arange(4), batch_size=3, layout="TNC")


def test_ndarrayiter_hard_reset_drops_roll_over():
    it = io.NDArrayIter(np.arange(10), batch_size=3, last_batch_handle="roll_over")
    assert len(list(it)) == 3
    it.hard_reset()
    first = it.next()
    assert first.data[0].asnumpy().tolist() == [0, 1, 2] and first.pad == 0


def test_ndarrayiter_reset_mid_epoch_starts_over():
    it = io.NDArrayIter(np.arange(10), batch_size=3, last_batch_handle="roll_over")
    it.next()
    it.reset()
    assert it.next().data[0].asnumpy().tolist() == [0, 1, 2]


def test_ndarrayiter_errors():
    x = np.zeros((4, 2))
    with pytest.raises(ValueError, match="last_batch_handle must be one of"):
        io.NDArrayIter(x, batch_size=2, last_batch_handle="rollover")
    with pytest.raises(ValueError, match="batch_size must be a positive integer"):
        io.NDArrayIter(x, batch_size=0)
    with pytest.raises(ValueError, match="layout must name the batch axis"):
        io.NDArrayIter(x, batch_size=2, layout="CHW")
    with pytest.raises(TypeError, match="must be an NDArray or numpy.ndarray, a list"):
        io.NDArrayIter("abc", batch_size=2)
    with pytest.raises(TypeError, match="data 'a' must be an NDArray"):
        io.NDArrayIter({"a": "abc"}, batch_size=2)
    with pytest.raises(ValueError, match="is a scalar; a list is read as several inputs"):
        io.NDArrayIter([1, 2, 3], batch_size=2)
    with pytest.raises(ValueError, match="every input needs 4 examples"):
        io.NDArrayIter(x, np.zeros(3), batch_size=2)
    with pytest.raises(ValueError, match="must not be empty"):
        io.NDArrayIter([], batch_size=2)
    it = io.NDArrayIter(np.zeros((3, 2)), batch_size=8, last_batch_handle="roll_over")
    assert list(it) == []
    it.reset()
    with pytest.raises(ValueError, match="'roll_over' cannot fill a batch of 8"):
        it.next()
    it = io.NDArrayIter(x, batch_size=2)
    with pytest.raises(ValueError, match="call next\\(\\) or iter_next\\(\\) first"):
        it.getdata()
    list(it)
    with pytest.raises(ValueError, match="call reset\\(\\)"):
        it.getdata()
    with pytest.raises(MXNetError):
        it.getlabel()


def test_ndarrayiter_accepts_tuple_and_torch():
    import torch

    it = io.NDArrayIter((np.zeros((4, 2)), torch.ones(4, 3)), batch_size=2)
    assert [d.name for d in it.provide_data] == ["_0_data", "_1_data"]
    assert it.next().data[1].asnumpy().tolist() == [[1, 1, 1], [1, 1, 1]]


# ------------------------------------------------------------------ wrappers and stubs

def test_resize_iter_attributes():
    inner = io.NDArrayIter(np.ones((100, 10)), batch_size=25)
    it = io.ResizeIter(inner, 2)
    assert it.batch_size == 25 and it.provide_data == inner.provide_data and it.provide_label == []
    assert [b.data[0].shape for b in it] == [(25, 10), (25, 10)]
    assert it.getpad() == 0 and it.getindex() is None and len(it.getdata()) == 1


def test_prefetching_iter_single_and_errors():
    it = io.PrefetchingIter(io.NDArrayIter(np.arange(10), np.arange(10), 4))
    assert it.batch_size == 4 and len(list(it)) == 3
    assert list(it) == []  # stays exhausted until reset
    it.reset()
    b = it.next()
    assert b.data[0].asnumpy().tolist() == [0, 1, 2, 3] and it.getpad() == 0 and it.getlabel() == b.label
    assert repr(b.provide_data) == "[DataDesc[data,(4,),<class 'numpy.float32'>,NCHW]]"

    class Failing(io.NDArrayIter):
        def next(self):
            raise RuntimeError("disk on fire")

    it = io.PrefetchingIter([Failing(np.arange(4), batch_size=2)])
    with pytest.raises(RuntimeError, match="disk on fire"):
        it.next()
    with pytest.raises(ValueError, match="different numbers of batches"):
        list(io.PrefetchingIter([io.NDArrayIter(np.arange(4), batch_size=2),
                                 io.NDArrayIter(np.arange(8), batch_size=2)]))
    with pytest.raises(ValueError, match="at least one iterator"):
        io.PrefetchingIter([])


def test_cpp_iterators_raise_clearly():
    for name in ("ImageRecordUInt8Iter", "LibSVMIter", "ImageDetRecordIter"):
        with pytest.raises(NotImplementedError, match=f"mx.io.{name} is one of MXNet's C\\+\\+ data iterators"):
            getattr(io, name)(batch_size=2)
    with pytest.raises(io.IteratorNotSupported, match="MXDataIter"):
        io.MXDataIter(None)
    assert not isinstance(io.NDArrayIter(np.zeros(2)), io.MXDataIter)
    assert issubclass(io.IteratorNotSupported, MXNetError)


def test_import_stays_light():
    code = ("import sys, gluonic, gluonic.io; "
            "assert 'gluonic.io.ndarray_iter' not in sys.modules; "
            "from gluonic.io import NDArrayIter, DataBatch; "
            "assert NDArrayIter.__module__ == 'gluonic.io.ndarray_iter'; "
            "assert 'DataDesc' in dir(gluonic.io)")
    subprocess.run([sys.executable, "-c", code], check=True, cwd=os.path.dirname(os.path.dirname(
        os.path.dirname(os.path.abspath(__file__)))))
