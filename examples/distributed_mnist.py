"""Data-parallel training of a small CNN on scikit-learn's digits with the ``dist_sync`` kvstore.

    python examples/distributed_mnist.py                         # one worker
    gluonic-launch -n 2 python examples/distributed_mnist.py     # two workers on this machine
    gluonic-launch -n 2 python examples/distributed_mnist.py --checkpoint /tmp/digits   # resumable

Every worker builds the same network and reads the same shuffled order; worker ``r`` takes
the ``r``-th slice of each global batch. ``Trainer(..., kvstore=kv)`` broadcasts rank 0's
parameters at creation and sums the gradients of all workers at every ``step``, which is
given the global batch size, so the updates are those of one worker on the whole batch.
Rank 0 evaluates and, with ``--checkpoint``, saves the parameters and the trainer states
after every epoch; a rerun with the same ``--checkpoint`` resumes from the last epoch.
"""
from __future__ import annotations

import argparse
import json
import os
import time

import numpy as np
import torch

import gluonic as mx
from gluonic import autograd, gluon
from gluonic.examples.digits import build_net, evaluate, load_digits


def main(argv=None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--epochs", type=int, default=10)
    parser.add_argument("--batch-size", type=int, default=64, help="global batch size (all workers together)")
    parser.add_argument("--lr", type=float, default=0.05)
    parser.add_argument("--kvstore", default="dist_sync")
    parser.add_argument("--threads", type=int, default=1, help="torch threads per worker")
    parser.add_argument("--checkpoint", default=None, help="path prefix of rank 0's checkpoint (resumes if present)")
    args = parser.parse_args(argv)
    torch.set_num_threads(args.threads)

    kv = mx.kv.create(args.kvstore)
    rank, workers = kv.rank, kv.num_workers
    if args.batch_size % workers:
        raise SystemExit(f"--batch-size {args.batch_size} must be a multiple of the {workers} workers")
    mx.random.seed(0)
    (x_train, y_train), (x_test, y_test) = load_digits()
    net = build_net()
    net.initialize(mx.init.Xavier())
    net(mx.nd.array(x_train[:2]))  # finish the deferred initialization before the Trainer broadcasts
    net.hybridize()
    first_epoch = 0
    state_file = f"{args.checkpoint}.json" if args.checkpoint else None
    if state_file and os.path.exists(state_file):
        with open(state_file) as f:
            first_epoch = json.load(f)["epoch"]
        net.load_parameters(f"{args.checkpoint}.params")
    trainer = gluon.Trainer(net.collect_params(), "sgd", {"learning_rate": args.lr, "momentum": 0.9}, kvstore=kv)
    if first_epoch:
        trainer.load_states(f"{args.checkpoint}.states")
        if rank == 0:
            print(f"resumed from {args.checkpoint} after epoch {first_epoch}")
    loss_fn = gluon.loss.SoftmaxCrossEntropyLoss()
    per_worker = args.batch_size // workers
    samples, train_time = 0, 0.0
    for epoch in range(first_epoch, args.epochs):
        order = np.random.RandomState(epoch).permutation(len(x_train))
        total = 0.0
        t0 = time.perf_counter()
        for start in range(0, len(order) - args.batch_size + 1, args.batch_size):  # full batches only
            mine = order[start + rank * per_worker:start + (rank + 1) * per_worker]
            x, y = mx.nd.array(x_train[mine]), mx.nd.array(y_train[mine])
            with autograd.record():
                loss = loss_fn(net(x), y)
            loss.backward()
            trainer.step(args.batch_size)
            total += loss.sum().asscalar()
            samples += args.batch_size
        train_time += time.perf_counter() - t0
        if rank == 0:
            acc, _ = evaluate(net, x_test, y_test)
            print(f"epoch {epoch + 1:3d}  loss(rank 0) {total / (len(order) / workers):.4f}  test accuracy {acc:.4f}",
                  flush=True)
            if args.checkpoint:
                net.save_parameters(f"{args.checkpoint}.params")
                trainer.save_states(f"{args.checkpoint}.states")
                with open(state_file, "w") as f:
                    json.dump({"epoch": epoch + 1}, f)
        kv.barrier()  # the checkpoint is complete before anyone goes on
    if rank == 0:
        acc, _ = evaluate(net, x_test, y_test)
        rate = samples / train_time if train_time else float("nan")
        print(f"workers: {workers}  test accuracy {acc:.4f}  training throughput {rate:.0f} samples/s "
              f"({train_time:.2f} s)")


if __name__ == "__main__":
    main()
