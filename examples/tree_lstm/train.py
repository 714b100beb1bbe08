"""Train a Tree-LSTM with folding: generated ListOps (default), or SST / SICK files you point to.

    python -m examples.tree_lstm.train                       # ListOps, child-sum, folded
    python -m examples.tree_lstm.train --model binary --data sst/train.txt --task sst
    python -m examples.tree_lstm.train --task sick --data SICK.txt [--model binary] [--sim-hidden 50]
    python -m examples.tree_lstm.train --no-fold             # the same program, node by node

Each mini-batch is the natural per-tree program (``net(tree)`` recursing over the tree)
run inside ``gluonic.fold.batching()``: the calls of all nodes of all trees are batched.
ListOps / SST report loss, accuracy, the majority-class baseline and trees/s per epoch.

SICK relatedness (Tai et al., 2015): both sentences of a pair go through the same encoder
(``net.encode(tree)``), :class:`~.model.Similarity` gives a distribution over the scores
1..5, trained with KL divergence against the paper's sparse target (:func:`sick_target`).
``SICK.txt`` (with its ``SemEval_set`` column) trains on TRAIN, reports TRIAL per epoch
(TEST when there is no TRIAL) and TEST at the end; a single split file is split 80/20.
SICK has no parses: trees are :func:`~.trees.balanced` over the tokens (``--model binary``)
or :func:`~.trees.right_branching` (child-sum). Reports train loss, dev Pearson r,
Spearman rho, MSE and pairs/s per epoch.
"""
from __future__ import annotations

import argparse
import collections
import time
from typing import NamedTuple

import numpy as np

import gluonic as mx
from gluonic import autograd, fold, gluon, nd

from .listops import generate_listops, parse_listops
from .model import BinaryTreeLSTM, ChildSumTreeLSTM, Similarity
from .treebanks import read_sick, read_sst
from .trees import Tree, Vocab, balanced, right_branching, tokenize


def _load(args):
    if args.task == "listops":
        data = generate_listops(args.samples, min_nodes=args.min_nodes, max_nodes=args.max_nodes, seed=args.seed)
        trees = [parse_listops(expr) for expr, _ in data]
        labels = [value for _, value in data]
        if args.model == "binary":
            trees = [balanced(t.words()) for t in trees]
        return trees, labels, 10
    if not args.data:
        raise SystemExit("--task sst needs --data PATH (an SST file of PTB-style trees, one per line)")
    trees = read_sst(args.data, binary=args.classes == 2)
    return trees, [int(t.label) for t in trees], args.classes


def _run_epoch(net, trees, labels, trainer, loss_fn, args, train: bool):
    order = np.random.permutation(len(trees)) if train else np.arange(len(trees))
    total_loss, correct, start = 0.0, 0, time.perf_counter()
    for b in range(0, len(order), args.batch):
        idx = order[b:b + args.batch]
        with fold.batching(enabled=args.fold, strategy=args.strategy):
            with autograd.record(train_mode=train) if train else autograd.predict_mode():
                scores = [net(trees[i]) for i in idx]
                losses = [loss_fn(s, nd.array([labels[i]])) for s, i in zip(scores, idx)]
                loss = nd.add_n(*losses) if len(losses) > 1 else losses[0]
            if train:
                loss.backward()
            total_loss += float(loss.asscalar())
            preds = nd.concat(*scores, dim=0).argmax(axis=1).asnumpy()
        if train:
            trainer.step(len(idx))
        correct += int((preds == np.asarray([labels[i] for i in idx])).sum())
    seconds = time.perf_counter() - start
    return total_loss / len(trees), correct / len(trees), len(trees) / seconds



# --------------------------------------------------------------------------------------------- SICK

SCORES = 5
"""SICK relatedness scores run from 1 to 5."""


class TreePair(NamedTuple):
    """One SICK pair as trees of word ids, with its relatedness score in [1, SCORES]."""

    left: Tree
    right: Tree
    score: float


def sick_target(score: float, classes: int = SCORES) -> np.ndarray:
    """Tai et al. (2015)'s sparse target: the distribution p over scores 1..classes whose mean is ``score``.

    With ``f = floor(score)``: ``p_f = f - score + 1``, ``p_(f+1) = score - f``, all others 0.
    Returns shape (classes,), float32; index ``i - 1`` holds ``p_i``.

    >>> [round(float(p), 2) for p in sick_target(3.6)]
    [0.0, 0.0, 0.4, 0.6, 0.0]
    """
    if not 1 <= score <= classes:
        raise ValueError(f"a relatedness score must lie in [1, {classes}]. Received: {score!r}")
    p = np.zeros(classes, dtype=np.float32)
    f = int(np.floor(score))
    p[f - 1] = f - score + 1
    if f < classes:
        p[f] = score - f
    return p


def pearson(x, y) -> float:
    """Pearson's correlation of two 1-d sequences (0.0 when either is constant)."""
    x, y = np.asarray(x, dtype=np.float64), np.asarray(y, dtype=np.float64)
    xc, yc = x - x.mean(), y - y.mean()
    denom = np.sqrt((xc * xc).sum() * (yc * yc).sum())
    return float((xc * yc).sum() / denom) if denom > 0 else 0.0


def _ranks(x: np.ndarray) -> np.ndarray:
    """Ranks 0..n-1 of ``x``, ties given their average rank."""
    ranks = np.empty(len(x))
    ranks[np.argsort(x, kind="stable")] = np.arange(len(x))
    _, inverse, counts = np.unique(x, return_inverse=True, return_counts=True)
    return (np.bincount(inverse, weights=ranks) / counts)[inverse]


def spearman(x, y) -> float:
    """Spearman's rank correlation: Pearson's r of the ranks (ties averaged).

    >>> round(spearman([1, 2, 3, 4], [1, 4, 9, 16]), 6), round(spearman([1, 2, 2, 3], [3, 2, 2, 1]), 6)
    (1.0, -1.0)
    """
    return pearson(_ranks(np.asarray(x, dtype=np.float64)), _ranks(np.asarray(y, dtype=np.float64)))


def _sick_splits(pairs, seed: int):
    """Train, dev and test lists of pairs: by ``SemEval_set`` when the file has it, else 80/20 (test empty)."""
    if pairs and pairs[0].split is not None:
        by_set = collections.defaultdict(list)
        for pair in pairs:
            by_set[pair.split.upper()].append(pair)
        dev = by_set.get("TRIAL") or by_set.get("TEST")
        if not by_set.get("TRAIN") or not dev:
            raise SystemExit(f"--task sick: the SemEval_set column needs TRAIN and TRIAL or TEST rows. "
                             f"Received sets: {sorted(by_set)}")
        return by_set["TRAIN"], dev, by_set.get("TEST", []) if by_set.get("TRIAL") else []
    order = np.random.RandomState(seed).permutation(len(pairs))
    split = int(0.8 * len(pairs))
    if split == 0 or split == len(pairs):
        raise SystemExit(f"--task sick needs at least 2 pairs to split 80/20. Received: {len(pairs)}")
    return [pairs[i] for i in order[:split]], [pairs[i] for i in order[split:]], []


def relatedness(net, sim, left: Tree, right: Tree):
    """Log-probabilities of the scores 1..5 for a pair of trees, (1, 5): ``sim`` of the two root ``h``."""
    return sim(net.encode(left)[0], net.encode(right)[0])


def _run_sick_epoch(net, sim, pairs, trainer, loss_fn, args, train: bool):
    """Mean loss, predicted scores (in ``pairs`` order) and pairs/s of one pass over ``pairs``."""
    order = np.random.permutation(len(pairs)) if train else np.arange(len(pairs))
    scale = np.arange(1, SCORES + 1, dtype=np.float64)
    total_loss, preds, start = 0.0, np.zeros(len(pairs)), time.perf_counter()
    for b in range(0, len(order), args.batch):
        idx = order[b:b + args.batch]
        with fold.batching(enabled=args.fold, strategy=args.strategy):
            with autograd.record(train_mode=train) if train else autograd.predict_mode():
                log_p = [relatedness(net, sim, pairs[i].left, pairs[i].right) for i in idx]
                losses = [loss_fn(lp, nd.array(sick_target(pairs[i].score)[None])) for lp, i in zip(log_p, idx)]
                loss = nd.add_n(*losses) if len(losses) > 1 else losses[0]
            if train:
                loss.backward()
            total_loss += float(loss.asscalar())
            probs = nd.concat(*log_p, dim=0).exp().asnumpy()
        if train:
            trainer.step(len(idx))
        preds[idx] = probs @ scale
    return total_loss / len(pairs), preds, len(pairs) / (time.perf_counter() - start)


def _sick_metrics(preds, pairs) -> dict:
    gold = np.asarray([p.score for p in pairs])
    return {"pearson": pearson(preds, gold), "spearman": spearman(preds, gold),
            "mse": float(((preds - gold) ** 2).mean())}


def _main_sick(args) -> dict:
    if not args.data:
        raise SystemExit("--task sick needs --data PATH (SICK.txt, or a SemEval-2014 split file such as "
                         "SICK_train.txt)")
    binarize = balanced if args.model == "binary" else right_branching
    splits = [[(binarize(tokenize(p.sentence_a)), binarize(tokenize(p.sentence_b)), p.relatedness) for p in split]
              for split in _sick_splits(read_sick(args.data), args.seed)]
    vocab = Vocab.from_trees(t for left, right, _ in splits[0] for t in (left, right))
    train, dev, test = ([TreePair(vocab.encode(a), vocab.encode(b), y) for a, b, y in split] for split in splits)
    make = ChildSumTreeLSTM if args.model == "childsum" else BinaryTreeLSTM
    net = make(vocab_size=len(vocab), embed=args.embed, hidden=args.hidden, classes=1)  # its `out` is unused
    sim = Similarity(hidden=args.hidden, sim_hidden=args.sim_hidden, classes=SCORES)
    net.initialize(mx.init.Xavier())
    sim.initialize(mx.init.Xavier())
    params = net.embed.collect_params()
    params.update(net.cell.collect_params())
    params.update(sim.collect_params())
    trainer = gluon.Trainer(params, "adam", {"learning_rate": args.lr})
    loss_fn = gluon.loss.KLDivLoss(from_logits=True)
    mean = float(np.mean([p.score for p in train]))
    baseline = float(np.mean([(p.score - mean) ** 2 for p in dev]))
    print(f"sick: {len(train)} train / {len(dev)} dev{f' / {len(test)} test' if test else ''} pairs, vocab "
          f"{len(vocab)}; dev MSE of the train mean {baseline:.3f}; "
          f"{'folded (' + args.strategy + ')' if args.fold else 'node by node'}")
    result = {}
    for epoch in range(args.epochs):
        loss, _, speed = _run_sick_epoch(net, sim, train, trainer, loss_fn, args, train=True)
        _, preds, dev_speed = _run_sick_epoch(net, sim, dev, trainer, loss_fn, args, train=False)
        metrics = _sick_metrics(preds, dev)
        print(f"epoch {epoch}: train loss {loss:.3f} ({speed:.0f} pairs/s) | dev pearson {metrics['pearson']:.3f} "
              f"spearman {metrics['spearman']:.3f} mse {metrics['mse']:.3f} ({dev_speed:.0f} pairs/s)")
        result = {**metrics, "train_loss": loss, "baseline_mse": baseline, "train_pairs_per_s": speed}
    if test:
        _, preds, _ = _run_sick_epoch(net, sim, test, trainer, loss_fn, args, train=False)
        metrics = _sick_metrics(preds, test)
        print(f"test: pearson {metrics['pearson']:.3f} spearman {metrics['spearman']:.3f} mse {metrics['mse']:.3f}")
        result.update({f"test_{k}": v for k, v in metrics.items()})
    return result


def main(argv=None) -> dict:
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--task", choices=["listops", "sst", "sick"], default="listops")
    p.add_argument("--data", help="SST-format file (--task sst) or SICK file (--task sick)")
    p.add_argument("--classes", type=int, default=5, help="SST: 5 (fine-grained) or 2 (binary)")
    p.add_argument("--model", choices=["childsum", "binary"], default="childsum")
    p.add_argument("--samples", type=int, default=2000, help="ListOps expressions to generate")
    p.add_argument("--min-nodes", type=int, default=5)
    p.add_argument("--max-nodes", type=int, default=20)
    p.add_argument("--embed", type=int, default=32)
    p.add_argument("--hidden", type=int, default=64)
    p.add_argument("--sim-hidden", type=int, default=50, help="SICK: hidden units of the similarity head")
    p.add_argument("--epochs", type=int, default=5)
    p.add_argument("--batch", type=int, default=64)
    p.add_argument("--lr", type=float, default=0.01)
    p.add_argument("--strategy", choices=["agenda", "depth"], default="agenda")
    p.add_argument("--no-fold", dest="fold", action="store_false", help="run node by node (the eager twin)")
    p.add_argument("--seed", type=int, default=0)
    args = p.parse_args(argv)

    np.random.seed(args.seed)
    mx.random.seed(args.seed)
    if args.task == "sick":
        return _main_sick(args)
    trees, labels, classes = _load(args)
    vocab = Vocab.from_trees(trees)
    trees = [vocab.encode(t) for t in trees]
    split = int(0.8 * len(trees))
    train, dev = (trees[:split], labels[:split]), (trees[split:], labels[split:])
    majority = collections.Counter(dev[1]).most_common(1)[0][1] / len(dev[1])
    make = ChildSumTreeLSTM if args.model == "childsum" else BinaryTreeLSTM
    net = make(vocab_size=len(vocab), embed=args.embed, hidden=args.hidden, classes=classes)
    net.initialize(mx.init.Xavier())
    trainer = gluon.Trainer(net.collect_params(), "adam", {"learning_rate": args.lr})
    loss_fn = gluon.loss.SoftmaxCrossEntropyLoss()
    print(f"{args.task}: {len(train[0])} train / {len(dev[0])} dev trees, vocab {len(vocab)}, {classes} classes; "
          f"majority class {majority:.3f}; {'folded (' + args.strategy + ')' if args.fold else 'node by node'}")
    result = {}
    for epoch in range(args.epochs):
        loss, acc, speed = _run_epoch(net, *train, trainer, loss_fn, args, train=True)
        dev_loss, dev_acc, dev_speed = _run_epoch(net, *dev, trainer, loss_fn, args, train=False)
        print(f"epoch {epoch}: train loss {loss:.3f} acc {acc:.3f} ({speed:.0f} trees/s) | dev loss {dev_loss:.3f} "
              f"acc {dev_acc:.3f} ({dev_speed:.0f} trees/s)")
        result = {"train_acc": acc, "dev_acc": dev_acc, "majority": majority, "train_trees_per_s": speed}
    return result


if __name__ == "__main__":
    main()
