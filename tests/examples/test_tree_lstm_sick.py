"""SICK relatedness in the Tree-LSTM example: the target, the metrics, folding, and learning a toy relatedness."""
from __future__ import annotations

import random

import numpy as np
import pytest

import gluonic as mx
from examples.tree_lstm.model import BinaryTreeLSTM, ChildSumTreeLSTM, Similarity
from examples.tree_lstm.train import main, pearson, relatedness, sick_target, spearman
from examples.tree_lstm.trees import Vocab, balanced, tokenize
from gluonic import autograd, fold, gluon, nd

_WORDS = "a the man woman dog cat plays runs eats sleeps on in park guitar ball food".split()
_HEADER = ["pair_ID", "sentence_A", "sentence_B", "relatedness_score", "entailment_judgment"]


def _toy_pairs(n: int, seed: int) -> list[tuple[str, str, float]]:
    """Sentence pairs whose relatedness is 1 + 4 x (the fraction of A's words B keeps in place)."""
    rng = random.Random(seed)
    pairs = []
    for _ in range(n):
        a = rng.sample(_WORDS, rng.randint(4, 6))
        keep = rng.randint(0, len(a))
        replaced = set(rng.sample(range(len(a)), len(a) - keep))
        others = [w for w in _WORDS if w not in a]
        b = [rng.choice(others) if i in replaced else w for i, w in enumerate(a)]
        pairs.append((" ".join(a) + " .", " ".join(b) + " .", 1 + 4 * keep / len(a)))
    return pairs


def _write_sick(path, pairs, sets=None) -> str:
    header = _HEADER + (["SemEval_set"] if sets else [])
    lines = ["\t".join(header)]
    for i, (a, b, score) in enumerate(pairs):
        row = [str(i), a, b, f"{score:.2f}", "NEUTRAL"] + ([sets[i]] if sets else [])
        lines.append("\t".join(row))
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return str(path)


@pytest.mark.parametrize("score", [1.0, 1.3, 2.5, 3.6, 4.99, 5.0])
def test_sick_target_is_a_distribution_with_the_score_as_mean(score):
    p = sick_target(score)
    assert p.shape == (5,) and (p >= 0).all() and np.count_nonzero(p) <= 2
    np.testing.assert_allclose(p.sum(), 1.0, rtol=1e-6)
    np.testing.assert_allclose(p @ np.arange(1, 6), score, rtol=1e-6)


def test_sick_target_rejects_scores_out_of_range():
    with pytest.raises(ValueError, match=r"\[1, 5\]. Received: 0.5"):
        sick_target(0.5)


def test_correlations():
    rng = np.random.RandomState(0)
    x, y = rng.randn(50), rng.randn(50)
    np.testing.assert_allclose(pearson(x, y), np.corrcoef(x, y)[0, 1], rtol=1e-10)
    assert pearson(x, 3 * x + 1) == pytest.approx(1.0) and pearson(x, np.ones(50)) == 0.0
    assert spearman(x, np.exp(x)) == pytest.approx(1.0) and spearman(x, -x**3) == pytest.approx(-1.0)
    # ties get their average rank: ranks of [1, 2, 2, 3] are [0, 1.5, 1.5, 3]
    want = np.corrcoef([0, 1.5, 1.5, 3], [0, 1, 2, 3])[0, 1]
    assert spearman([1, 2, 2, 3], [10, 20, 30, 40]) == pytest.approx(want)


def _loss_and_grads(net, sim, pairs, enabled):
    loss_fn = gluon.loss.KLDivLoss(from_logits=True)
    with fold.batching(enabled=enabled):
        with autograd.record():
            loss = nd.add_n(*[loss_fn(relatedness(net, sim, a, b), nd.array(sick_target(y)[None]))
                              for a, b, y in pairs])
        loss.backward()
        value = float(loss.asscalar())
    params = {**net.embed.collect_params(), **net.cell.collect_params(), **sim.collect_params()}
    return value, {k: p.grad().asnumpy().copy() for k, p in params.items()}


@pytest.mark.parametrize("make", [ChildSumTreeLSTM, BinaryTreeLSTM])
def test_similarity_model_folds_exactly(make):
    raw = [(balanced(tokenize(a)), balanced(tokenize(b)), y) for a, b, y in _toy_pairs(6, seed=1)]
    vocab = Vocab.from_trees(t for a, b, _ in raw for t in (a, b))
    pairs = [(vocab.encode(a), vocab.encode(b), y) for a, b, y in raw]
    mx.random.seed(0)
    net = make(vocab_size=len(vocab), embed=6, hidden=5, classes=1)
    sim = Similarity(hidden=5, sim_hidden=4)
    net.initialize(mx.init.Xavier())
    sim.initialize(mx.init.Xavier())
    want, want_grads = _loss_and_grads(net, sim, pairs, enabled=False)
    got, got_grads = _loss_and_grads(net, sim, pairs, enabled=True)
    np.testing.assert_allclose(got, want, rtol=1e-5)
    for k in want_grads:
        np.testing.assert_allclose(got_grads[k], want_grads[k], rtol=1e-4, atol=1e-6, err_msg=k)


def test_sick_training_learns_relatedness(tmp_path):
    path = _write_sick(tmp_path / "SICK_toy.txt", _toy_pairs(120, seed=0))
    result = main(["--task", "sick", "--data", path, "--epochs", "4", "--embed", "16", "--hidden", "16",
                   "--sim-hidden", "16", "--batch", "16", "--lr", "0.05"])
    assert result["pearson"] > 0.3, result
    assert set(result) >= {"pearson", "spearman", "mse", "train_loss", "train_pairs_per_s"}


def test_sick_semeval_sets(tmp_path, capsys):
    pairs = _toy_pairs(30, seed=2)
    sets = ["TRAIN"] * 20 + ["TRIAL"] * 4 + ["TEST"] * 6
    path = _write_sick(tmp_path / "SICK.txt", pairs, sets)
    result = main(["--task", "sick", "--data", path, "--epochs", "1", "--embed", "4", "--hidden", "4",
                   "--sim-hidden", "4", "--model", "binary", "--no-fold"])
    assert "20 train / 4 dev / 6 test pairs" in capsys.readouterr().out
    assert {"test_pearson", "test_spearman", "test_mse"} <= set(result)
