"""Hybridized vs imperative: train-step and inference time for MLP, LeNet and ResNet-18.

Usage:
    python bench/hybridize.py [--mxnet-python PATH] [--inductor] [--only MLP,LeNet,ResNet-18]

Columns: gluonic imperative, gluonic hybridized, (gluonic hybridized + inductor), PyTorch
eager, (PyTorch torch.compile), real MXNet 1.9.1 imperative/hybridized (with
--mxnet-python); plus the first-call cost (trace + compile) of the hybridized block.
Workloads are defined once against MXNet's Gluon API in bench/_hybrid_workloads.py.
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


def _first_call_ms(make) -> float:
    fn = make()
    t0 = time.perf_counter()
    fn()
    return (time.perf_counter() - t0) * 1e3


def _torch_make(name, batch, train, compile_=False):
    import torch
    from torch import nn

    if name == "MLP":
        net = nn.Sequential(nn.Linear(784, 512), nn.ReLU(), nn.Linear(512, 512), nn.ReLU(), nn.Linear(512, 10))
        shape = (784,)
    elif name == "LeNet":
        net = nn.Sequential(nn.Conv2d(1, 20, 5), nn.ReLU(), nn.MaxPool2d(2, 2), nn.Conv2d(20, 50, 5), nn.ReLU(),
                            nn.MaxPool2d(2, 2), nn.Flatten(), nn.Linear(800, 500), nn.ReLU(), nn.Linear(500, 10))
        shape = (1, 28, 28)
    else:
        net = _torch_resnet18()
        shape = (3, 32, 32)
    model = torch.compile(net) if compile_ else net
    opt = torch.optim.SGD(net.parameters(), lr=0.01, momentum=0.9)
    x, y = torch.rand(batch, *shape), torch.randint(0, 10, (batch,))
    loss_fn = nn.CrossEntropyLoss()

    def step():
        opt.zero_grad()
        loss_fn(model(x), y).backward()
        opt.step()

    def infer():
        with torch.no_grad():
            model(x)

    return step if train else infer


def _torch_resnet18():
    from torch import nn

    class Block(nn.Module):
        def __init__(self, cin, cout, stride):
            super().__init__()
            self.body = nn.Sequential(nn.Conv2d(cin, cout, 3, stride, 1, bias=False), nn.BatchNorm2d(cout), nn.ReLU(),
                                      nn.Conv2d(cout, cout, 3, 1, 1, bias=False), nn.BatchNorm2d(cout))
            self.down = (nn.Sequential(nn.Conv2d(cin, cout, 1, stride, bias=False), nn.BatchNorm2d(cout))
                         if cin != cout or stride != 1 else None)
            self.relu = nn.ReLU()

        def forward(self, x):
            return self.relu(self.body(x) + (x if self.down is None else self.down(x)))

    layers = [nn.Conv2d(3, 64, 7, 2, 3, bias=False), nn.BatchNorm2d(64), nn.ReLU(), nn.MaxPool2d(3, 2, 1)]
    cin = 64
    for i, c in enumerate([64, 128, 256, 512]):
        layers += [Block(cin, c, 1 if i == 0 else 2), Block(c, c, 1)]
        cin = c
    layers += [nn.AdaptiveAvgPool2d(1), nn.Flatten(), nn.Linear(512, 10)]
    return nn.Sequential(*layers)


_MXNET_RUNNER = textwrap.dedent(
    """
    import json, sys
    sys.path.insert(0, sys.argv[1])
    import mxnet as mx
    from _hybrid_workloads import WORKLOADS, make
    from _timing import best_ms as time_ms
    only = sys.argv[2].split(",")
    out = {}
    for name, (_, batches) in WORKLOADS.items():
        if name not in only:
            continue
        for b in batches:
            for train in (True, False):
                key = f"{name} b{b} {'train' if train else 'infer'}"
                out[key] = [time_ms(make(mx, name, b, False, train=train)), time_ms(make(mx, name, b, True, train=train))]
    print(json.dumps(out))
    """
)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--mxnet-python", help="a Python interpreter with mxnet 1.9.1 installed")
    parser.add_argument("--inductor", action="store_true", help="also time torch.compile paths (slow to compile)")
    parser.add_argument("--only", default="MLP,LeNet,ResNet-18")
    args = parser.parse_args()
    only = args.only.split(",")

    import gluonic as mx

    sys.path.insert(0, _HERE)
    from _hybrid_workloads import WORKLOADS, make
    from _timing import best_ms as _time_ms

    mxnet = {}
    if args.mxnet_python:
        proc = subprocess.run([args.mxnet_python, "-c", _MXNET_RUNNER, _HERE, args.only], capture_output=True,
                              text=True)
        if proc.returncode != 0:
            sys.exit(f"MXNet run failed:\n{proc.stderr[-2000:]}")
        mxnet = json.loads(proc.stdout.strip().splitlines()[-1])

    head = ["workload", "imperative", "hybridized", "hybrid/imp"]
    if args.inductor:
        head += ["hybrid+inductor"]
    head += ["torch eager"]
    if args.inductor:
        head += ["torch.compile"]
    if mxnet:
        head += ["mxnet imp", "mxnet hybrid"]
    head += ["1st call ms"]
    print("ms per call (best of 5 rounds); hybrid/imp = speed-up of hybridize; 1st call = trace + compile + run")
    print(" | ".join(f"{h:>20}" if i == 0 else f"{h:>15}" for i, h in enumerate(head)))
    for name, (_, batches) in WORKLOADS.items():
        if name not in only:
            continue
        for b in batches:
            for train in (True, False):
                key = f"{name} b{b} {'train' if train else 'infer'}"
                imp = _time_ms(make(mx, name, b, False, train=train))
                hyb = _time_ms(make(mx, name, b, True, train=train))
                cells = [imp, hyb, imp / hyb]
                if args.inductor:
                    cells.append(_time_ms(make(mx, name, b, True, backend="inductor", train=train)))
                cells.append(_time_ms(_torch_make(name, b, train)))
                if args.inductor:
                    cells.append(_time_ms(_torch_make(name, b, train, compile_=True)))
                if mxnet:
                    cells += mxnet[key]
                cells.append(_first_call_ms(lambda name=name, b=b, train=train: make(mx, name, b, True, train=train)))
                print(f"{key:>20} | " + " | ".join(f"{c:15.2f}" for c in cells))


if __name__ == "__main__":
    main()
