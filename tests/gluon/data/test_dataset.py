"""Datasets and their views (golden values from MXNet 1.9.1)."""
import numpy as np
import pytest

import gluonic as mx
from gluonic.gluon.data import ArrayDataset, Dataset, SequentialSampler, SimpleDataset


def _items(ds):
    return [ds[i] for i in range(len(ds))]


def test_simple_dataset():
    ds = SimpleDataset([3, 4, 5])
    assert len(ds) == 3 and ds[1] == 4 and list(ds) == [3, 4, 5]


def test_array_dataset_inputs():
    x = np.arange(12, dtype=np.float32).reshape(4, 3)
    ds = ArrayDataset(mx.nd.array(x), mx.nd.arange(4), [10, 11, 12, 13], np.arange(4) * 2)
    a, b, c, d = ds[2]
    assert isinstance(a, mx.nd.NDArray) and a.shape == (3,) and a.asnumpy().tolist() == [6, 7, 8]
    assert isinstance(b, np.float32) and b == 2  # 1-D NDArrays become NumPy, as in MXNet
    assert c == 12 and d == 4
    assert len(ds) == 4
    single = ArrayDataset(np.arange(3))
    assert single[1] == 1 and not isinstance(single[1], tuple)


def test_array_dataset_errors():
    with pytest.raises(AssertionError, match=r"array\[0\] has length 3 while array\[1\] has 4"):
        ArrayDataset(np.ones(3), np.ones(4))
    with pytest.raises(ValueError, match="Needs at least 1 arrays"):
        ArrayDataset()


def test_transform_lazy_and_eager():
    calls = []

    def fn(x, y):
        calls.append(x)
        return x + 1, y * 2

    base = ArrayDataset(np.arange(4), np.arange(4) * 10)
    lazy = base.transform(fn)
    assert not calls and lazy[2] == (3, 40) and calls == [2]
    eager = base.transform(fn, lazy=False)
    assert type(eager).__name__ == "SimpleDataset" and len(calls) == 5
    assert _items(eager) == [(1, 0), (2, 20), (3, 40), (4, 60)]
    first = base.transform_first(lambda x: -x, lazy=False)
    assert first[3] == (-3, 30)
    assert SimpleDataset([1, 2]).transform_first(lambda x: x * 10)[1] == 20  # non-tuple samples


def test_filter_shard_take_sample():
    ds = SimpleDataset(list(range(10)))
    assert _items(ds.filter(lambda x: x % 3 == 0)) == [0, 3, 6, 9]
    assert [_items(ds.shard(3, i)) for i in range(3)] == [[0, 1, 2, 3], [4, 5, 6], [7, 8, 9]]
    assert [len(ds.take(n)) for n in (None, 3, 100)] == [10, 3, 10]
    assert _items(ds.take(3)) == [0, 1, 2]
    assert _items(ds.sample(SequentialSampler(3, 4))) == [4, 5, 6]
    # views compose
    assert _items(ds.shard(2, 1).filter(lambda x: x > 6).transform(lambda x: x * 2)) == [14, 16, 18]


def test_view_errors():
    ds = SimpleDataset(list(range(10)))
    with pytest.raises(AssertionError, match="Shard index of out bound: 3 out of 3"):
        ds.shard(3, 3)
    with pytest.raises(AssertionError, match="Index must be non-negative"):
        ds.shard(3, -1)
    with pytest.raises(TypeError, match="Invalid sampler type: <class 'list'>. Expected gluon.data.Sampler instead."):
        ds.sample([1, 2])


def test_custom_dataset_and_iteration_is_bounded():
    class Wrap(Dataset):
        def __len__(self):
            return 3

        def __getitem__(self, i):
            return i % 3  # never raises IndexError

    assert list(Wrap()) == [0, 1, 2]
    assert _items(Wrap().transform(lambda x: x + 1, lazy=False)) == [1, 2, 3]
    with pytest.raises(NotImplementedError):
        Dataset()[0]
