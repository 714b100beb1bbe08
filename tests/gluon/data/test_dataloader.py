"""DataLoader arguments and batches (all three modes), and the batchify functions vs NumPy."""
import collections
import gc

import numpy as np
import pytest
import torch

import gluonic as mx
from gluonic.gluon.data import ArrayDataset, BatchSampler, DataLoader, SequentialSampler, SimpleDataset, batchify
from gluonic.gluon.data.batchify import default_batchify_fn, default_mp_batchify_fn

from . import child_pids

MODES = [dict(num_workers=0), dict(num_workers=2, thread_pool=True), dict(num_workers=2)]
MODE_IDS = ["main", "threads", "processes"]
Point = collections.namedtuple("Point", "x y")


def _np(batch):
    if isinstance(batch, (list, tuple)):
        return [_np(b) for b in batch]
    return batch.asnumpy()


@pytest.fixture
def no_leaked_children():
    before = child_pids()
    yield
    gc.collect()
    assert child_pids() - before == set()


# ----------------------------------------------------------------------------- arguments
@pytest.mark.parametrize("kwargs, match", [
    (dict(), "batch_size must be specified unless batch_sampler is specified"),
    (dict(batch_size=2, shuffle=True, sampler=SequentialSampler(4)), "shuffle must not be specified if sampler is"),
    (dict(batch_size=2, batch_sampler=BatchSampler(SequentialSampler(4), 2)),
     "batch_size, shuffle, sampler and last_batch must not be specified if batch_sampler is specified."),
    (dict(batch_sampler=BatchSampler(SequentialSampler(4), 2), last_batch="keep"), "must not be specified"),
    (dict(batch_size=2, last_batch="foo"), "last_batch must be one of 'keep', 'discard', or 'rollover', but got foo"),
    (dict(batch_size=0), "batch_size must be a positive integer"),
])
def test_argument_errors(kwargs, match):
    with pytest.raises(ValueError, match=match):
        DataLoader(SimpleDataset(list(range(4))), **kwargs)


def test_timeout_must_be_positive():
    with pytest.raises(AssertionError, match="timeout must be positive, given 0"):
        DataLoader(SimpleDataset([1]), 1, timeout=0)


def test_defaults():
    dl = DataLoader(SimpleDataset(list(range(10))), 3, num_workers=-2, try_nopython=True)
    assert dl._num_workers == 0 and dl._prefetch == 0 and len(dl) == 4
    dl = DataLoader(SimpleDataset(list(range(10))), 3, num_workers=3)
    assert dl._prefetch == 6 and dl._batchify_fn is default_mp_batchify_fn
    assert len(iter(dl)) == 4


# ----------------------------------------------------------------------------- batches
@pytest.mark.parametrize("mode", MODES, ids=MODE_IDS)
def test_batches_all_modes(mode, no_leaked_children):
    x = np.random.rand(10, 2, 3).astype(np.float32)
    y = np.arange(10)
    batches = list(DataLoader(ArrayDataset(x, y), 4, **mode))
    assert [b[0].shape for b in batches] == [(4, 2, 3), (4, 2, 3), (2, 2, 3)]
    for i, (bx, by) in enumerate(batches):
        assert isinstance(bx, mx.nd.NDArray) and bx.context == mx.cpu(0)
        assert bx.dtype == np.float32 and by.dtype == np.int64
        np.testing.assert_array_equal(bx.asnumpy(), x[4 * i:4 * i + 4])
        np.testing.assert_array_equal(by.asnumpy(), y[4 * i:4 * i + 4])


@pytest.mark.parametrize("mode", MODES, ids=MODE_IDS)
@pytest.mark.parametrize("last_batch, lengths", [("keep", [3, 3, 3, 1]), ("discard", [3, 3, 3])])
def test_last_batch(mode, last_batch, lengths):
    dl = DataLoader(SimpleDataset(list(range(10))), 3, last_batch=last_batch, **mode)
    assert len(dl) == len(lengths)
    for _ in range(2):
        assert [len(b) for b in dl] == lengths


@pytest.mark.parametrize("mode", MODES, ids=MODE_IDS)
def test_shuffle_rollover_matches_mxnet(mode):
    np.random.seed(3)
    dl = DataLoader(ArrayDataset(np.arange(10)), 4, shuffle=True, last_batch="rollover", **mode)
    epochs = [[b.asnumpy().tolist() for b in dl] for _ in range(2)]
    assert epochs == [[[5, 4, 1, 2], [9, 6, 7, 0]], [[3, 8, 3, 8], [2, 1, 9, 4], [0, 6, 7, 5]]]  # MXNet 1.9.1


@pytest.mark.parametrize("dtype", ["float16", "bfloat16", "float64", "bool", "uint8", "int8", "int32", "int64"])
def test_dtypes_through_workers(dtype):
    t = (torch.rand(12, 5) * 10).to(getattr(torch, dtype))
    ds = SimpleDataset([mx.nd.ndarray.from_torch(t[i].clone()) for i in range(12)])
    out = list(DataLoader(ds, 5, num_workers=2))
    assert [b.shape for b in out] == [(5, 5), (5, 5), (2, 5)]
    assert all(b.as_torch().dtype == t.dtype for b in out)
    assert torch.equal(torch.cat([b.as_torch() for b in out]), t)


def test_custom_structures_through_workers(no_leaked_children):
    def fn(samples):
        arr = np.stack(samples)
        return {"np": arr, "nd": mx.nd.array(arr)[:, ::2], "pt": torch.from_numpy(arr).t(), "ids": [int(s[0]) for s in samples],
                "pt_pair": Point(torch.tensor(1.5), "text"), "empty": np.zeros((0, 3)), "none": None}

    ds = SimpleDataset([np.full(4, i, dtype=np.int32) for i in range(6)])
    ref = list(DataLoader(ds, 3, batchify_fn=fn))
    got = list(DataLoader(ds, 3, batchify_fn=fn, num_workers=2))
    for r, g in zip(ref, got):
        assert g.keys() == r.keys()
        assert isinstance(g["np"], np.ndarray) and np.array_equal(g["np"], r["np"])
        assert isinstance(g["nd"], mx.nd.NDArray) and np.array_equal(g["nd"].asnumpy(), r["nd"].asnumpy())
        assert torch.equal(g["pt"], r["pt"]) and g["ids"] == r["ids"]
        assert isinstance(g["pt_pair"], Point) and g["pt_pair"].y == "text" and float(g["pt_pair"].x) == 1.5
        assert g["empty"].shape == (0, 3) and g["none"] is None


def test_large_batch_through_shared_memory():
    x = np.random.rand(64, 3, 64, 64).astype(np.float32)
    (a,) = list(DataLoader(SimpleDataset(x), 64, num_workers=1))
    np.testing.assert_array_equal(a.asnumpy(), x)
    a[:] = 0  # writable
    assert a.sum().asscalar() == 0


@pytest.mark.parametrize("mode", MODES, ids=MODE_IDS)
def test_batches_are_made_on_the_cpu_whatever_the_default_context(mode):
    """Inside ``with mx.gpu():`` a batchify_fn's arrays must not land on the GPU (a forked worker cannot
    use it); cpu(1) stands in for the GPU here."""
    def batchify(samples):
        return mx.nd.array(np.stack(samples))

    dl = DataLoader(SimpleDataset(np.ones((4, 2), dtype=np.float32)), 2, batchify_fn=batchify, **mode)
    with mx.cpu(1):
        contexts = [b.context for b in dl]
    assert contexts == [mx.cpu(0)] * 2


@pytest.mark.parametrize("mode", MODES, ids=MODE_IDS)
def test_pin_memory_context(mode):
    dl = DataLoader(ArrayDataset(np.ones((4, 2), dtype=np.float32), np.arange(4)), 2, pin_memory=True,
                    pin_device_id=1, **mode)
    for x, y in dl:
        assert x.context == mx.cpu_pinned(1) and y.context == mx.cpu_pinned(1)
        if torch.cuda.is_available():
            assert x.as_torch().is_pinned()


def test_auto_reload_prefetches_and_cleans_up(no_leaked_children):
    before = child_pids()
    dl = DataLoader(SimpleDataset(list(range(6))), 2, num_workers=2, auto_reload=True)
    assert len(child_pids() - before) == 2  # workers started at construction
    assert [b.asnumpy().tolist() for b in dl] == [[0, 1], [2, 3], [4, 5]]
    assert dl._iter is not None  # the next epoch is already prefetching
    assert [b.asnumpy().tolist() for b in dl] == [[0, 1], [2, 3], [4, 5]]
    dl.clean()
    assert child_pids() - before == set()
    del dl


# ----------------------------------------------------------------------------- batchify
def test_default_batchify_matches_numpy():
    a = [np.random.rand(2, 3).astype(np.float32) for _ in range(4)]
    out = default_batchify_fn(a)
    assert isinstance(out, mx.nd.NDArray) and out.dtype == np.float32
    np.testing.assert_array_equal(out.asnumpy(), np.stack(a))
    out = default_batchify_fn([mx.nd.array(v, dtype="float16") for v in a])
    assert out.dtype == np.float16 and out.shape == (4, 2, 3)
    assert default_batchify_fn([1, 2, 3]).dtype == np.int64
    assert default_batchify_fn([1.5, 2]).dtype == np.float64
    assert default_batchify_fn([True, False]).dtype == np.bool_
    assert default_batchify_fn([[1, 2], [3, 4]]).shape == (2, 2)
    assert default_batchify_fn([np.float32(1), np.float32(2)]).dtype == np.float32


def test_default_batchify_nested_tuples():
    samples = [(mx.nd.ones(2) * i, (i, 2.0 * i)) for i in range(3)]
    x, (a, b) = default_batchify_fn(samples)
    np.testing.assert_array_equal(x.asnumpy(), np.repeat(np.arange(3.0), 2).reshape(3, 2))
    assert a.dtype == np.int64 and a.asnumpy().tolist() == [0, 1, 2]
    assert b.dtype == np.float64 and b.asnumpy().tolist() == [0.0, 2.0, 4.0]
    mp = default_mp_batchify_fn(samples)
    assert isinstance(mp, list) and mp[0].context == mx.Context("cpu_shared", 0)


def test_default_batchify_errors():
    with pytest.raises(ValueError, match=r"different shapes: sample 0 has shape \(2,\) and sample 1 has shape \(3,\)"):
        default_batchify_fn([np.ones(2), np.ones(3)])
    with pytest.raises(ValueError, match="different shapes"):
        default_batchify_fn([[1, 2], [3]])
    with pytest.raises(TypeError, match=r"batchify.List\(\)"):
        default_batchify_fn(["a", "b"])
    with pytest.raises(IndexError, match="empty list"):
        default_batchify_fn([])
    with pytest.raises(ValueError, match="tuple of 2 fields"):
        default_batchify_fn([(1, 2), (1, 2, 3)])


def test_stack():
    a = [np.random.rand(3).astype(np.float32) for _ in range(5)]
    np.testing.assert_array_equal(batchify.Stack()(a).asnumpy(), np.stack(a))
    assert batchify.Stack(use_shared_mem=True)([1, 2]).context == mx.Context("cpu_shared", 0)


@pytest.mark.parametrize("axis", [0, 1, -1])
def test_pad_matches_numpy(axis):
    rng = np.random.RandomState(0)
    lens = [3, 1, 4]
    shape = lambda n: (n, 2) if axis == 0 else (2, n)  # noqa: E731
    data = [rng.rand(*shape(n)).astype(np.float32) for n in lens]
    out, lengths = batchify.Pad(axis=axis, pad_val=-1, ret_length=True, round_to=3)(data)
    expected = np.full((3, *shape(6)), -1, dtype=np.float32)
    for i, d in enumerate(data):
        if axis == 0:
            expected[i, :lens[i]] = d
        else:
            expected[i, :, :lens[i]] = d
    np.testing.assert_array_equal(out.asnumpy(), expected)
    assert lengths.dtype == np.int32 and lengths.asnumpy().tolist() == lens


def test_pad_lists_dtype_and_ndarrays():
    out = batchify.Pad()([[1, 2, 3], [4]])
    assert out.dtype == np.int64 and out.asnumpy().tolist() == [[1, 2, 3], [4, 0, 0]]
    out = batchify.Pad(dtype="float16", pad_val=0.5)([mx.nd.ones(2), mx.nd.ones(1)])
    assert out.dtype == np.float16 and out.asnumpy().tolist() == [[1, 1], [1, 0.5]]
    with pytest.raises(ValueError, match="must agree on every axis except axis 0"):
        batchify.Pad()([np.ones((2, 3)), np.ones((2, 4))])
    with pytest.raises(IndexError, match="axis 2 is out of range"):
        batchify.Pad(axis=2)([np.ones((2, 3))])


def test_tuple_group_list_dict():
    samples = [(np.ones(2) * i, [i] * (i + 1), f"s{i}") for i in range(3)]
    for fn in (batchify.Tuple(batchify.Stack(), batchify.Pad(), batchify.List()),
               batchify.Group([batchify.Stack(), batchify.Pad(), batchify.List()])):
        x, p, names = fn(samples)
        assert x.shape == (3, 2) and p.asnumpy().tolist() == [[0, 0, 0], [1, 1, 0], [2, 2, 2]]
        assert names == ["s0", "s1", "s2"]
    with pytest.raises(AssertionError, match="should contain 2 elements"):
        batchify.Tuple(batchify.Stack(), batchify.Stack())(samples)
    with pytest.raises(AssertionError, match="Input pattern not understood"):
        batchify.Tuple([batchify.Stack()], batchify.Stack())
    with pytest.raises(TypeError, match="must be callable"):
        batchify.Tuple(batchify.Stack(), 3)
    out = batchify.Dict({"a": batchify.Stack(), "b": batchify.List()})([{"a": 1, "b": "x"}, {"a": 2, "b": "y"}])
    assert out["a"].asnumpy().tolist() == [1, 2] and out["b"] == ["x", "y"]


def test_batchify_in_workers_matches_main():
    samples = [(np.random.rand(n, 2).astype(np.float32), n) for n in (3, 1, 5, 2, 4)]
    fn = batchify.Tuple(batchify.Pad(ret_length=True), batchify.Stack())
    ref = list(DataLoader(SimpleDataset(samples), 2, batchify_fn=fn))
    got = list(DataLoader(SimpleDataset(samples), 2, batchify_fn=fn, num_workers=2))
    for ((rp, rl), ry), ((gp, gl), gy) in zip(ref, got):
        assert np.array_equal(rp.asnumpy(), gp.asnumpy()) and np.array_equal(rl.asnumpy(), gl.asnumpy())
        assert np.array_equal(ry.asnumpy(), gy.asnumpy())
