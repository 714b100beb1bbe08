"""Samplers: order, length, last-batch modes (golden values from MXNet 1.9.1)."""
import numpy as np
import pytest

from gluonic.gluon.data import BatchSampler, FilterSampler, IntervalSampler, RandomSampler, Sampler, SequentialSampler


def test_sequential():
    assert list(SequentialSampler(4)) == [0, 1, 2, 3]
    assert list(SequentialSampler(3, start=5)) == [5, 6, 7]
    assert len(SequentialSampler(3, 5)) == 3
    assert list(SequentialSampler(0)) == []


def test_random_matches_mxnet_with_numpy_seed():
    np.random.seed(0)
    assert [int(i) for i in RandomSampler(10)] == [2, 8, 4, 9, 1, 6, 7, 3, 0, 5]  # MXNet 1.9.1
    s = RandomSampler(50)
    a, b = list(s), list(s)
    assert sorted(a) == list(range(50)) and a != b and len(s) == 50


def test_filter():
    s = FilterSampler(lambda x: x % 3 == 0, list(range(10)))
    assert list(s) == [0, 3, 6, 9] and len(s) == 4


@pytest.mark.parametrize("mode, expected", [
    ("keep", [[0, 1, 2], [3, 4, 5], [6, 7, 8], [9]]),
    ("discard", [[0, 1, 2], [3, 4, 5], [6, 7, 8]]),
])
def test_batch_keep_discard(mode, expected):
    b = BatchSampler(SequentialSampler(10), 3, mode)
    assert list(b) == expected and list(b) == expected
    assert len(b) == len(expected)


def test_batch_rollover_matches_mxnet():
    b = BatchSampler(SequentialSampler(10), 3, "rollover")
    seen = []
    for _ in range(2):
        seen.append((len(b), list(b)))
    seen.append(len(b))
    assert seen == [(3, [[0, 1, 2], [3, 4, 5], [6, 7, 8]]), (3, [[9, 0, 1], [2, 3, 4], [5, 6, 7]]), 4]


def test_batch_bad_mode():
    with pytest.raises(ValueError, match="last_batch must be one of 'keep', 'discard', or 'rollover', but got foo"):
        BatchSampler(SequentialSampler(3), 2, "foo")


def test_interval():
    assert list(IntervalSampler(13, 3)) == [0, 3, 6, 9, 12, 1, 4, 7, 10, 2, 5, 8, 11]
    s = IntervalSampler(13, 3, rollover=False)
    assert list(s) == [0, 3, 6, 9, 12] and len(s) == 5
    assert len(IntervalSampler(13, 3)) == 13
    with pytest.raises(AssertionError, match="Interval 5 must be smaller than or equal to length 4"):
        IntervalSampler(4, 5)


def test_base_class_is_abstract():
    with pytest.raises(NotImplementedError):
        iter(Sampler())
    with pytest.raises(NotImplementedError):
        len(Sampler())
