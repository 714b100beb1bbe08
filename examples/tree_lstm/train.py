"""Train a Tree-LSTM with folding: generated ListOps (default) or an SST file you point to.

    python -m examples.tree_lstm.train                       # ListOps, child-sum, folded
    python -m examples.tree_lstm.train --model binary --data sst/train.txt --task sst
    python -m examples.tree_lstm.train --no-fold             # the same program, node by node

Each mini-batch is the natural per-tree program (``net(tree)`` recursing over the tree)
run inside ``gluonic.fold.batching()``: the calls of all nodes of all trees are batched.
Reports loss, accuracy, the majority-class baseline and trees/s per epoch.
"""
from __future__ import annotations

import argparse
import collections
import time

import numpy as np

import gluonic as mx
from gluonic import autograd, fold, gluon, nd

from .model import BinaryTreeLSTM, ChildSumTreeLSTM
from .trees import Vocab, balanced, generate_listops, parse_listops, read_sst


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


def main(argv=None) -> dict:
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--task", choices=["listops", "sst"], default="listops")
    p.add_argument("--data", help="SST-format file (for --task sst)")
    p.add_argument("--classes", type=int, default=5, help="SST: 5 (fine-grained) or 2 (binary)")
    p.add_argument("--model", choices=["childsum", "binary"], default="childsum")
    p.add_argument("--samples", type=int, default=2000, help="ListOps expressions to generate")
    p.add_argument("--min-nodes", type=int, default=5)
    p.add_argument("--max-nodes", type=int, default=20)
    p.add_argument("--embed", type=int, default=32)
    p.add_argument("--hidden", type=int, default=64)
    p.add_argument("--epochs", type=int, default=5)
    p.add_argument("--batch", type=int, default=64)
    p.add_argument("--lr", type=float, default=0.01)
    p.add_argument("--strategy", choices=["agenda", "depth"], default="agenda")
    p.add_argument("--no-fold", dest="fold", action="store_false", help="run node by node (the eager twin)")
    p.add_argument("--seed", type=int, default=0)
    args = p.parse_args(argv)

    np.random.seed(args.seed)
    mx.random.seed(args.seed)
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
