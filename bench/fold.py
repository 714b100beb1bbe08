"""Folding benchmark: child-sum Tree-LSTM samples/s, gluonic unbatched vs folded vs PyTorch.

Usage:
    python bench/fold.py [--batches 1 16 64 256] [--threads 1] [--rounds 2] [--skip-slow]

Workload (Tai et al. 2015 sizes): hidden 150, embedding 300, vocabulary 5,000, 5 classes,
trees of 5–40 nodes with a realistic depth mix (``bench/_torch_treelstm.random_trees``:
balanced, left/right combs and random attachment), softmax cross-entropy on the root,
SGD. Columns, trees/s for training (forward + backward + step) and inference:

- gluonic eager: the recursive program (``examples/tree_lstm/model.py``), node by node;
- gluonic hybrid: the same with its cells hybridized, node by node;
- fold agenda / fold depth: the same program inside ``fold.batching(strategy=...)``;
- fold hybrid: the agenda strategy with the cells hybridized (each group runs one compiled graph);
- torch per-node: the same model in PyTorch eager, node by node;
- torch hand-batched: PyTorch batched by hand level by level (the practical upper bound).

Unbatched gluonic runs are slow at large batches; ``--skip-slow`` leaves them out above 64.

The columns are each the best of ``--rounds`` rounds, measured one after the other. On a
shared machine whose speed drifts by 10-30% over seconds, ratios of such columns drift too.
So a second table times the folded runs *paired* with their baselines: ``--pairs`` times, one
step of each on the same batch back to back, and reports the median of the per-pair ratios
(the goals' ratios: folded vs unbatched eager, folded vs hand-batched PyTorch).
"""
from __future__ import annotations

import argparse
import os
import sys
import time

_HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, _HERE)
sys.path.insert(0, os.path.dirname(_HERE))

HIDDEN, EMBED, VOCAB, CLASSES = 150, 300, 5000, 5


def _gluonic_step(net, trainer, loss_fn, trees, train: bool, fold_strategy: str | None):
    from gluonic import autograd, fold, nd

    with fold.batching(enabled=fold_strategy is not None, strategy=fold_strategy or "agenda"):
        if train:
            with autograd.record():
                loss = nd.add_n(*[loss_fn(net(t), nd.array([t.label])) for t in trees])
            loss.backward()
        else:
            loss = nd.add_n(*[loss_fn(net(t), nd.array([t.label])) for t in trees])
        value = float(loss.asscalar())
    if train:
        trainer.step(len(trees))
    return value


def _trees_per_s(step, batches, rounds: int, budget_s: float) -> float:
    step(batches[0])  # warm-up (shape inference, first traces)
    best = 0.0
    for _ in range(rounds):
        done, start = 0, time.perf_counter()
        for b in batches:
            step(b)
            done += len(b)
            if time.perf_counter() - start > budget_s:
                break
        best = max(best, done / (time.perf_counter() - start))
    return best


def _paired_ratios(runs: dict, batches, pairs: int) -> dict:
    """``{name: median over pairs of (time of the first run's step / time of this run's step)}``:
    each round steps every run once on the same batch, back to back."""
    import statistics

    names = list(runs)
    for f in runs.values():
        f(batches[0])  # warm-up
    ratios: dict = {n: [] for n in names[1:]}
    for i in range(pairs):
        batch = batches[i % len(batches)]
        times = []
        for n in names:
            start = time.perf_counter()
            runs[n](batch)
            times.append(time.perf_counter() - start)
        for n, t in zip(names[1:], times[1:]):
            ratios[n].append(times[0] / t)
    return {n: statistics.median(r) for n, r in ratios.items()}


def main(argv=None) -> None:
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--batches", type=int, nargs="+", default=[1, 16, 64, 256])
    p.add_argument("--threads", type=int, default=1)
    p.add_argument("--rounds", type=int, default=2)
    p.add_argument("--budget", type=float, default=3.0, help="seconds per round at most")
    p.add_argument("--skip-slow", action="store_true", help="no unbatched gluonic runs above batch 64")
    p.add_argument("--pairs", type=int, default=5, help="paired steps for the ratio table (0: no such table)")
    args = p.parse_args(argv)

    import torch
    from _torch_treelstm import ChildSumTreeLSTM as TorchTreeLSTM
    from _torch_treelstm import hand_batched_step, per_node_step, random_trees

    import gluonic as mx
    from examples.tree_lstm.model import ChildSumTreeLSTM

    torch.set_num_threads(args.threads)
    mx.random.seed(0)
    net = ChildSumTreeLSTM(vocab_size=VOCAB, embed=EMBED, hidden=HIDDEN, classes=CLASSES)
    net.initialize(mx.init.Xavier())
    trainer = mx.gluon.Trainer(net.collect_params(), "sgd", {"learning_rate": 0.01})
    hybrid = ChildSumTreeLSTM(vocab_size=VOCAB, embed=EMBED, hidden=HIDDEN, classes=CLASSES)
    hybrid.initialize(mx.init.Xavier())
    hybrid.cell.hybridize()
    hybrid_trainer = mx.gluon.Trainer(hybrid.collect_params(), "sgd", {"learning_rate": 0.01})
    torch_net = TorchTreeLSTM(vocab=VOCAB, embed_size=EMBED, hidden=HIDDEN, classes=CLASSES)

    loss_fn = mx.gluon.loss.SoftmaxCrossEntropyLoss()
    columns = ["gluonic eager", "gluonic hybrid", "fold agenda", "fold depth", "fold hybrid", "torch per-node",
               "torch hand-batched"]
    print(f"child-sum Tree-LSTM (hidden {HIDDEN}, embed {EMBED}, vocab {VOCAB}), trees/s, {args.threads} thread(s), "
          f"best of {args.rounds} rounds")
    print(f"{'batch':>5} {'mode':>6} | " + " | ".join(f"{c:>18}" for c in columns) + " | fold/eager | fold/hand"
          + " | fold hybrid/eager | fold hybrid/hand")
    paired: dict = {}
    for batch in args.batches:
        n_batches = max(2, min(8, 512 // batch))
        batches = [random_trees(batch, vocab=VOCAB, seed=s) for s in range(n_batches)]
        for train in (True, False):
            slow_ok = not (args.skip_slow and batch > 64)
            runs = {
                "gluonic eager": (lambda b, t=train: _gluonic_step(net, trainer, loss_fn, b, t, None)) if slow_ok
                else None,
                "gluonic hybrid": (lambda b, t=train: _gluonic_step(hybrid, hybrid_trainer, loss_fn, b, t, None))
                if slow_ok else None,
                "fold agenda": lambda b, t=train: _gluonic_step(net, trainer, loss_fn, b, t, "agenda"),
                "fold depth": lambda b, t=train: _gluonic_step(net, trainer, loss_fn, b, t, "depth"),
                "fold hybrid": lambda b, t=train: _gluonic_step(hybrid, hybrid_trainer, loss_fn, b, t, "agenda"),
                "torch per-node": lambda b, t=train: per_node_step(torch_net, b, t),
                "torch hand-batched": lambda b, t=train: hand_batched_step(torch_net, b, t),
            }
            got = {k: (_trees_per_s(f, batches, args.rounds, args.budget) if f else float("nan"))
                   for k, f in runs.items()}
            eager, hand = got["gluonic eager"], got["torch hand-batched"]
            ratios = [got["fold agenda"] / eager, got["fold agenda"] / hand, got["fold hybrid"] / eager,
                      got["fold hybrid"] / hand]
            print(f"{batch:>5} {'train' if train else 'infer':>6} | " + " | ".join(f"{got[c]:18.1f}" for c in columns)
                  + " | " + " | ".join(f"{r:{w}.2f}" for r, w in zip(ratios, (10, 9, 17, 16))), flush=True)

            if args.pairs:
                paired[(batch, train)] = (
                    _paired_ratios({k: runs[k] for k in ("gluonic eager", "fold agenda", "fold hybrid")},
                                   batches, args.pairs) if slow_ok else {},
                    _paired_ratios({k: runs[k] for k in ("torch hand-batched", "fold agenda", "fold hybrid")},
                                   batches, args.pairs))
    if args.pairs:
        print(f"\npaired ratios (median of {args.pairs} back-to-back steps on the same batch)")
        print(f"{'batch':>5} {'mode':>6} | {'fold/eager':>10} | {'fold hybrid/eager':>17} | {'fold/hand':>9} | "
              f"{'fold hybrid/hand':>16}")
        for (batch, train), (vs_eager, vs_hand) in paired.items():
            cells = [vs_eager.get("fold agenda", float("nan")), vs_eager.get("fold hybrid", float("nan")),
                     vs_hand["fold agenda"], vs_hand["fold hybrid"]]
            print(f"{batch:>5} {'train' if train else 'infer':>6} | "
                  + " | ".join(f"{r:{w}.2f}" for r, w in zip(cells, (10, 17, 9, 16))), flush=True)

if __name__ == "__main__":
    main()
