"""Folding: results read by several consumers, gathers from many sources, and the eager twin agree."""
from __future__ import annotations

import numpy as np
import pytest

import gluonic as mx
from gluonic import autograd, fold, gluon, nd


def _run(program, params, enabled):
    with fold.batching(enabled=enabled) as scope:
        with autograd.record():
            loss = program()
        loss.backward()
        value = float(loss.asscalar())
    return value, {k: p.grad().asnumpy().copy() for k, p in params.items()}, scope.stats


def _value(program, enabled):
    with fold.batching(enabled=enabled):
        return float(program().asscalar())


def _check(program, params):
    want, want_grads, _ = _run(program, params, enabled=False)
    got, got_grads, stats = _run(program, params, enabled=True)
    np.testing.assert_allclose(got, want, rtol=1e-5)
    # Without autograd, results are laid out (and gathered) differently: check that path too.
    np.testing.assert_allclose(_value(program, True), _value(program, False), rtol=1e-5)
    for k in want_grads:
        np.testing.assert_allclose(got_grads[k], want_grads[k], rtol=1e-4, atol=1e-6, err_msg=k)
    return stats


@pytest.fixture
def blocks():
    mx.random.seed(3)
    first, second = gluon.nn.Dense(4, in_units=3), gluon.nn.Dense(4, in_units=4)
    first.initialize()
    second.initialize()
    params = first.collect_params()
    params.update(second.collect_params())
    return first, second, params


def test_a_result_read_at_several_depths_and_by_several_signatures(blocks):
    first, second, params = blocks
    xs = [nd.random.uniform(shape=(1, 3)) for _ in range(7)]

    def program():
        hs = [first(x) for x in xs]
        outs = []
        for i, h in enumerate(hs):
            a = nd.tanh(h)                            # depth 2, reads h
            b = second(h) * a if i % 2 else second(a) + h  # block reads h or a; the op reads h at depth 3 or 4
            deep = second(nd.sigmoid(b)) * h           # h read again, much later
            outs.append(nd.sum(deep * b, axis=1))
        return nd.add_n(*outs)

    stats = _check(program, params)
    assert stats.groups < stats.calls / 2, stats


def test_shared_values_across_samples(blocks):
    first, second, params = blocks
    shared = [nd.random.uniform(shape=(1, 3)) for _ in range(3)]

    def program():
        hs = [first(x) for x in shared]              # computed once, read by every sample below
        outs = []
        for i in range(9):
            h = hs[i % 3]
            y = second(h) if i % 2 else second(nd.relu(h))
            outs.append(nd.sum(y * hs[(i + 1) % 3], axis=1))
        return nd.add_n(*outs)

    _check(program, params)


def test_many_sources_few_rows_each(blocks):
    first, second, params = blocks
    xs = [nd.random.uniform(shape=(1, 3)) for _ in range(40)]

    def program():
        hs = [first(x) for x in xs]                 # one big buffer
        level = [second(h) for h in hs]             # a second big buffer
        picks = [hs[i] + level[39 - i] for i in range(0, 40, 9)]  # a few rows of each, out of order
        return nd.add_n(*[nd.sum(second(p), axis=1) for p in picks])

    _check(program, params)


def test_constants_from_python_data_are_batched(blocks):
    first, _, params = blocks
    data = [[0.1 * i, 0.2, -0.3 * i] for i in range(6)]

    def program():
        return nd.add_n(*[nd.sum(first(nd.array([row])), axis=1) for row in data])

    with fold.batching():
        c = nd.array([[1, 2, 3]])
        assert isinstance(c, fold.LazyArray) and c.shape == (1, 3) and c.dtype == np.float32
        assert c._ready()  # a constant needs nothing run
        np.testing.assert_array_equal(c.asnumpy(), [[1, 2, 3]])
        assert nd.array([1, 2], dtype="int32").dtype == np.int32
    _check(program, params)


def test_word_id_constants_are_shared_but_never_aliased():
    """nd.array([i]) inside a scope reuses one cached value per id: writing to one must not change the next."""
    with fold.batching():
        a = nd.array([7])
        assert a.dtype == np.float32 and a.shape == (1,) and a._cid == nd.array([7])._cid
        a[:] = 3
        np.testing.assert_array_equal(a.asnumpy(), [3])
        np.testing.assert_array_equal(nd.array([7]).asnumpy(), [7])
        assert nd.array([True]).dtype == np.float32 and nd.array([2**40]).asnumpy()[0] == np.float32(2**40)


def test_numpy_mode_programs_fold():
    from gluonic import npx

    npx.set_np()
    mx.random.seed(4)
    cell = gluon.nn.Dense(3, in_units=3)
    cell.initialize()
    xs = [mx.np.array(np.random.RandomState(i).rand(1, 3).astype("float32")) for i in range(6)]

    def program():
        total = None
        for x in xs:
            h = mx.np.tanh(cell(x) + 1) * x            # np functions and arithmetic on lazy np arrays
            h = cell(h) - mx.np.maximum(h, 0.5)
            term = (h * h).sum(axis=1)
            total = term if total is None else total + term
        return total.sum()

    with fold.batching() as scope:
        with autograd.record():
            loss = program()
        assert isinstance(loss, mx.np.ndarray) and isinstance(loss, fold.LazyArray)
        loss.backward()
        got, got_grad = float(loss), cell.weight.grad().asnumpy().copy()
    assert scope.stats.flushes == 1 and scope.stats.groups < scope.stats.calls / 2, scope.stats
    with autograd.record():
        want = program()
    want.backward()
    np.testing.assert_allclose(got, float(want), rtol=1e-5)
    np.testing.assert_allclose(got_grad, cell.weight.grad().asnumpy(), rtol=1e-4, atol=1e-6)


def test_numpy_indexing_of_lazy_values_keeps_numpy_semantics():
    from gluonic import npx

    npx.set_np()
    dense = gluon.nn.Dense(4, in_units=4)
    dense.initialize()
    a = mx.np.array(np.arange(12, dtype="float32").reshape(3, 4))
    want = dense(a).asnumpy()
    with fold.batching():
        y = dense(a)
        flipped, positive, row = y[::-1], y[y > 0], y[1]   # negative step and mask: NumPy's rules
        assert isinstance(flipped, mx.np.ndarray) and not isinstance(flipped, fold.LazyArray)
        np.testing.assert_allclose(flipped.asnumpy(), want[::-1], rtol=1e-6)
        np.testing.assert_allclose(positive.asnumpy(), want[want > 0], rtol=1e-6)
        np.testing.assert_allclose(row.asnumpy(), want[1], rtol=1e-6)


def test_a_new_block_never_sees_the_shapes_of_a_dead_one():
    # Regression: traced output shapes were cached globally by id(block); a block created
    # after another was freed often gets the same id, and got the old block's shapes.
    import gc

    x = nd.array(np.ones((1, 3), "float32"))
    for units in (2, 3, 4, 5) * 25:  # ids get reused within a few dozen blocks
        block = gluon.nn.Dense(units, in_units=3)
        block.initialize()
        with fold.batching():
            y = block(x)
            assert y.shape == (1, units)
        assert y.asnumpy().shape == (1, units)
        del block, y
        gc.collect(0)  # the young generation is enough (and a full collection costs 0.2 s)


def test_rehybridizing_forgets_traced_shapes():
    block = gluon.nn.Dense(2, in_units=3)
    block.initialize()
    x = nd.array(np.ones((1, 3), "float32"))
    with fold.batching():
        block(x).asnumpy()
    assert block.__dict__.get("_fold_signatures")
    block.hybridize()
    assert "_fold_signatures" not in block.__dict__


def test_a_group_reading_alternately_from_two_buffers(blocks):
    # The products read their first operands from A, B, A, B, A: rows taken per buffer, then put
    # back in item order by a permutation that is not its own inverse.
    first, second, params = blocks
    xs = [nd.array(np.random.RandomState(i).rand(1, 3).astype("float32")) for i in range(3)]
    ys = [nd.array(np.random.RandomState(10 + i).rand(1, 4).astype("float32")) for i in range(2)]

    def program():
        a = [first(x) for x in xs]
        b = [nd.tanh(second(y)) for y in ys]
        pairs = [(a[0], b[0]), (b[0], a[1]), (a[1], b[1]), (b[1], a[2]), (a[2], b[0])]
        return nd.add_n(*[(second(u * v) * (k + 1)).sum() for k, (u, v) in enumerate(pairs)])

    _check(program, params)
