"""Train-step time: gluonic imperative (and hybridized) vs PyTorch eager (vs real MXNet 1.9.1).

Usage:
    python bench/train_step.py [--mxnet-python PATH] [--gpu]

Workloads (bench/_hybrid_workloads.py, written once against MXNet's Gluon API): an MLP
784-512-512-10 at batch 128 and a LeNet-style CNN at batch 64, SGD with momentum and
softmax cross-entropy. Prints ms per step (best of rounds) and the ratio to PyTorch.
``--gpu`` runs gluonic and PyTorch on the first GPU (each step ends with a synchronization).
"""
from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import textwrap

_HERE = os.path.dirname(os.path.abspath(__file__))


def _torch_step(name: str, device: str = "cpu"):
    import torch
    from torch import nn

    if name.startswith("MLP"):
        net = nn.Sequential(nn.Linear(784, 512), nn.ReLU(), nn.Linear(512, 512), nn.ReLU(), nn.Linear(512, 10))
        shape = (128, 784)
    else:
        net = nn.Sequential(nn.Conv2d(1, 20, 5), nn.ReLU(), nn.MaxPool2d(2, 2), nn.Conv2d(20, 50, 5), nn.ReLU(),
                            nn.MaxPool2d(2, 2), nn.Flatten(), nn.Linear(800, 500), nn.ReLU(), nn.Linear(500, 10))
        shape = (64, 1, 28, 28)
    net = net.to(device)
    opt = torch.optim.SGD(net.parameters(), lr=0.01, momentum=0.9)
    x = torch.rand(*shape, device=device)
    y = torch.randint(0, 10, (shape[0],), device=device)
    loss_fn = nn.CrossEntropyLoss()

    def step():
        opt.zero_grad()
        loss = loss_fn(net(x), y)
        loss.backward()
        opt.step()
        if device != "cpu":
            torch.cuda.synchronize()

    return step


_MXNET_RUNNER = textwrap.dedent(
    """
    import json, sys
    sys.path.insert(0, sys.argv[1])
    import mxnet as mx
    from _hybrid_workloads import make
    from _timing import best_ms
    from train_step import WORKLOADS
    out = {label: [best_ms(make(mx, name, batch)), best_ms(make(mx, name, batch, hybridize=True))]
           for label, (name, batch) in WORKLOADS.items()}
    print(json.dumps(out))
    """
)
# label -> (workload in _hybrid_workloads, batch size)
WORKLOADS = {"MLP 784-512-512-10 b128": ("MLP", 128), "LeNet b64": ("LeNet", 64)}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--mxnet-python", help="a Python interpreter with mxnet 1.9.1 installed")
    parser.add_argument("--threads", type=int, default=0, help="torch threads (0: torch's default)")
    parser.add_argument("--gpu", action="store_true", help="run gluonic and PyTorch on gpu(0) / cuda:0")
    args = parser.parse_args()

    import torch

    import gluonic as mx

    if args.threads:
        torch.set_num_threads(args.threads)
    sys.path.insert(0, _HERE)
    from _hybrid_workloads import make
    from _timing import best_ms

    mxnet = {}
    if args.mxnet_python:
        proc = subprocess.run([args.mxnet_python, "-c", _MXNET_RUNNER, _HERE],
                              capture_output=True, text=True)
        if proc.returncode != 0:
            sys.exit(f"MXNet run failed:\n{proc.stderr[-2000:]}")
        mxnet = json.loads(proc.stdout.strip().splitlines()[-1])

    head = ["workload", "gluonic", "gluonic hybrid", "torch eager", "gluonic/torch"]
    if mxnet:
        head += ["mxnet", "mxnet hybrid"]
    ctx, device = (mx.gpu(0), "cuda") if args.gpu else (None, "cpu")
    print(f"ms per train step (best of 5 calibrated rounds){' on ' + torch.cuda.get_device_name() if args.gpu else ''}")
    print(" | ".join(f"{h:>24}" if i == 0 else f"{h:>14}" for i, h in enumerate(head)))
    for label, (name, batch) in WORKLOADS.items():
        ours = best_ms(make(mx, name, batch, ctx=ctx))
        hybrid = best_ms(make(mx, name, batch, hybridize=True, ctx=ctx))
        theirs = best_ms(_torch_step(name, device))
        cells = [ours, hybrid, theirs, ours / theirs]
        if mxnet:
            cells += mxnet[label]
        print(f"{label:>24} | " + " | ".join(f"{c:14.2f}" for c in cells))


if __name__ == "__main__":
    main()
