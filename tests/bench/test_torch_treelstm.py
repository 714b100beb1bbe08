"""The hand-batched child-sum Tree-LSTM baseline computes exactly what the per-node one does."""
import importlib.util
import os
import sys

import pytest
import torch

_PATH = os.path.join(os.path.dirname(__file__), "..", "..", "bench", "_torch_treelstm.py")
_spec = importlib.util.spec_from_file_location("_torch_treelstm", _PATH)
tl = sys.modules.setdefault("_torch_treelstm", importlib.util.module_from_spec(_spec))
if not hasattr(tl, "ChildSumTreeLSTM"):  # dataclasses need the module registered while it executes
    _spec.loader.exec_module(tl)


def _chain(n, seed, words_inside=True):
    """A path of ``n`` nodes (height ``n``); the bottom node always has a word."""
    gen = torch.Generator().manual_seed(seed)
    words = torch.randint(0, tl.VOCAB, (n,), generator=gen).tolist()
    node = tl.BenchTree(words[0])
    for w in words[1:]:
        node = tl.BenchTree(w if words_inside else None, [node])
    node.label = seed % tl.CLASSES
    return node


def _mixed_trees(seed):
    """20 trees: random shapes (1-40 nodes), two single nodes, and deep chains with and without words."""
    trees = tl.random_trees(14, min_nodes=1, max_nodes=40, seed=seed)
    trees += [tl.BenchTree(7, label=1), tl.BenchTree(None, label=4)]
    trees += [_chain(60, seed), _chain(150, seed + 1, words_inside=False), _chain(2, seed + 2), _chain(33, seed + 3)]
    return trees


@pytest.mark.parametrize("seed", [0, 1])
def test_same_loss_and_grads_float32(seed):
    assert tl.check_equal(seed, _mixed_trees(seed)) < 1e-4


def test_same_loss_and_grads_float64():
    assert tl.check_equal(3, _mixed_trees(3), dtype=torch.float64, rtol=1e-10, atol=1e-12) < 1e-10


def test_only_single_nodes():
    assert tl.check_equal(0, [tl.BenchTree(3, label=2), tl.BenchTree(None)]) < 1e-6


def test_random_trees_only():
    tl.check_equal(5)


def test_steps_agree_and_update():
    trees = _mixed_trees(2)[10:]
    a, b = tl.ChildSumTreeLSTM(seed=1), tl.ChildSumTreeLSTM(seed=1)
    before = a.W_iou.weight.detach().clone()
    for train in (False, True, True):
        assert tl.per_node_step(a, trees, train) == pytest.approx(tl.hand_batched_step(b, trees, train), rel=1e-5)
    assert not torch.equal(before, a.W_iou.weight)
    torch.testing.assert_close(a.W_iou.weight, b.W_iou.weight, rtol=1e-4, atol=1e-6)


def test_random_trees_shapes():
    trees = tl.random_trees(200, seed=4)
    assert trees[0].size() == tl.random_trees(1, seed=4)[0].size()
    sizes = [t.size() for t in trees]
    assert min(sizes) >= 5 and max(sizes) <= 40
    heights = [t.height() for t in trees]
    assert min(heights) <= 4 and max(heights) >= 15  # balanced and comb-shaped trees both occur
    assert {t.label for t in trees} == set(range(tl.CLASSES))
    with pytest.raises(ValueError, match="Received"):
        tl.random_trees(3, min_nodes=0)


def test_measure_counts_samples():
    model = tl.ChildSumTreeLSTM(vocab=50, embed_size=8, hidden=4)
    batches = [tl.random_trees(4, vocab=50, seed=s) for s in range(2)]
    assert tl.measure(tl.hand_batched_step, model, batches, rounds=2, min_time=0.02, train=False) > 0
    plans = [tl.plan_batch(b) for b in batches]
    assert tl.measure(tl.hand_batched_step, model, plans, rounds=2, min_time=0.02, train=True) > 0
    assert tl.hand_batched_step(model, plans[0], False) == pytest.approx(tl.per_node_step(model, batches[0], False))
