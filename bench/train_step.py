"""Train-step time: gluonic imperative (and hybridized) vs PyTorch eager (vs real MXNet 1.9.1).

Usage:
    python bench/train_step.py [--mxnet-python PATH] [--steps 20]

Workloads (bench/_train_workloads.py, written once against MXNet's Gluon API): an MLP
784-512-512-10 at batch 128 and a LeNet-style CNN at batch 64, SGD with momentum and
softmax cross-entropy. Prints ms per step (best of rounds) and the ratio to PyTorch.
"""
from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import textwrap
import time

_HERE = os.path.dirname(os.path.abspath(__file__))


def _time_ms(step, steps: int, rounds: int = 5) -> float:
    for _ in range(3):
        step()
    best = float("inf")
    for _ in range(rounds):
        t0 = time.perf_counter()
        for _ in range(steps):
            step()
        best = min(best, (time.perf_counter() - t0) / steps * 1e3)
    return best


def _torch_step(name: str):
    import torch
    from torch import nn

    if name.startswith("MLP"):
        net = nn.Sequential(nn.Linear(784, 512), nn.ReLU(), nn.Linear(512, 512), nn.ReLU(), nn.Linear(512, 10))
        shape = (128, 784)
    else:
        net = nn.Sequential(nn.Conv2d(1, 20, 5), nn.ReLU(), nn.MaxPool2d(2, 2), nn.Conv2d(20, 50, 5), nn.ReLU(),
                            nn.MaxPool2d(2, 2), nn.Flatten(), nn.Linear(800, 500), nn.ReLU(), nn.Linear(500, 10))
        shape = (64, 1, 28, 28)
    opt = torch.optim.SGD(net.parameters(), lr=0.01, momentum=0.9)
    x = torch.rand(*shape)
    y = torch.randint(0, 10, (shape[0],))
    loss_fn = nn.CrossEntropyLoss()

    def step():
        opt.zero_grad()
        loss = loss_fn(net(x), y)
        loss.backward()
        opt.step()

    return step


_MXNET_RUNNER = textwrap.dedent(
    """
    import json, sys, time
    sys.path.insert(0, sys.argv[2])
    import mxnet as mx
    from _train_workloads import WORKLOADS, make_step
    steps = int(sys.argv[1])
    def time_ms(step):
        for _ in range(3):
            step()
        best = float("inf")
        for _ in range(5):
            t0 = time.perf_counter()
            for _ in range(steps):
                step()
            best = min(best, (time.perf_counter() - t0) / steps * 1e3)
        return best
    out = {name: [time_ms(make_step(mx, name)), time_ms(make_step(mx, name, hybridize=True))] for name in WORKLOADS}
    print(json.dumps(out))
    """
)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--mxnet-python", help="a Python interpreter with mxnet 1.9.1 installed")
    parser.add_argument("--steps", type=int, default=20)
    parser.add_argument("--threads", type=int, default=0, help="torch threads (0: torch's default)")
    args = parser.parse_args()

    import torch

    import gluonic as mx

    if args.threads:
        torch.set_num_threads(args.threads)
    sys.path.insert(0, _HERE)
    from _train_workloads import WORKLOADS, make_step

    mxnet = {}
    if args.mxnet_python:
        proc = subprocess.run([args.mxnet_python, "-c", _MXNET_RUNNER, str(args.steps), _HERE],
                              capture_output=True, text=True)
        if proc.returncode != 0:
            sys.exit(f"MXNet run failed:\n{proc.stderr[-2000:]}")
        mxnet = json.loads(proc.stdout.strip().splitlines()[-1])

    head = ["workload", "gluonic", "gluonic hybrid", "torch eager", "gluonic/torch"]
    if mxnet:
        head += ["mxnet", "mxnet hybrid"]
    print("ms per train step (best of 5 rounds)")
    print(" | ".join(f"{h:>24}" if i == 0 else f"{h:>14}" for i, h in enumerate(head)))
    for name in WORKLOADS:
        ours = _time_ms(make_step(mx, name), args.steps)
        hybrid = _time_ms(make_step(mx, name, hybridize=True), args.steps)
        theirs = _time_ms(_torch_step(name), args.steps)
        cells = [ours, hybrid, theirs, ours / theirs]
        if mxnet:
            cells += mxnet[name]
        print(f"{name:>24} | " + " | ".join(f"{c:14.2f}" for c in cells))


if __name__ == "__main__":
    main()
