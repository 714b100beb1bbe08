"""Per-call overhead of small ops: gluonic eager vs PyTorch eager (vs real MXNet 1.9.1).

Usage:
    python bench/op_overhead.py [--mxnet-python /path/to/python-with-mxnet] [--repeat 2000]

Prints a table of microseconds per call (best of alternating timing rounds), without and
with ``autograd.record()`` (torch: without and with grad mode, inputs requiring grad). Ratios are what matter on a noisy machine; run everything in
one invocation. The MXNet column runs the same workloads in a subprocess with that Python.
"""
from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import textwrap
import time


def _time_pair_us(fa, fb, repeat: int, rounds: int = 15) -> tuple[float, float]:
    """Best-of-rounds µs per call of ``fa`` and ``fb``, measured in alternating rounds.

    Alternating rounds and taking the minimum keep a noisy machine's hiccups out of the
    comparison: both functions see the same conditions.
    """
    for f in (fa, fb):
        for _ in range(max(50, repeat // 10)):
            f()
    best = [float("inf"), float("inf")]
    for _ in range(rounds):
        for i, f in enumerate((fa, fb)):
            t0 = time.perf_counter()
            for _ in range(repeat):
                f()
            best[i] = min(best[i], (time.perf_counter() - t0) / repeat * 1e6)
    return best[0], best[1]


_MXNET_RUNNER = textwrap.dedent(
    """
    import json, sys, time
    import mxnet as mx
    repeat = int(sys.argv[1])
    sys.path.insert(0, sys.argv[2])
    from _overhead_workloads import workloads
    def time_us(fn):
        for _ in range(max(50, repeat // 10)):
            fn()
        mx.nd.waitall()
        best = float("inf")
        for _ in range(15):
            t0 = time.perf_counter()
            for _ in range(repeat):
                fn()
            mx.nd.waitall()
            best = min(best, (time.perf_counter() - t0) / repeat * 1e6)
        return best
    out = {}
    for name, fn in workloads(mx).items():
        out[name] = [time_us(fn)]
        with mx.autograd.record():
            out[name].append(time_us(fn))
    print(json.dumps(out))
    """
)
_HERE = os.path.dirname(os.path.abspath(__file__))


def _torch_workloads(requires_grad: bool):
    """The same workloads in plain torch (tensors requiring grad or not)."""
    import torch

    rg = requires_grad
    a, b = torch.rand(1, requires_grad=rg), torch.rand(1, requires_grad=rg)
    x = torch.rand(4, 8, requires_grad=rg)
    w, bias = torch.rand(16, 8, requires_grad=rg), torch.rand(16, requires_grad=rg)
    m = torch.rand(8, 8)
    F = torch.nn.functional
    return {
        "add (a + b)": lambda: a + b,
        "nd.broadcast_add": lambda: torch.add(a, b),
        "FullyConnected 4x8->16": lambda: F.linear(x, w, bias),
        "relu": lambda: torch.relu(x),
        "reshape (-1,)": lambda: x.reshape(-1),
        "indexing m[2:5]": lambda: m[2:5],
        "np: a + b": lambda: a + b,
        "np.dot 4x8 . 8x16": lambda: torch.matmul(x, w.t()),
        "np: x.sum(axis=1)": lambda: x.sum(dim=1),
        "npx.relu": lambda: torch.relu(x),
        "np: m[2:5]": lambda: m[2:5],
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--mxnet-python", help="a Python interpreter with mxnet 1.9.1 installed")
    parser.add_argument("--repeat", type=int, default=2000)
    args = parser.parse_args()

    import torch

    import gluonic as mx

    torch.set_num_threads(1)
    sys.path.insert(0, _HERE)
    from _overhead_workloads import workloads

    ours = workloads(mx)
    plain, tracked = _torch_workloads(False), _torch_workloads(True)
    rows = []
    for name in ours:
        g0, t0 = _time_pair_us(ours[name], plain[name], args.repeat)
        with mx.autograd.record():
            g1, t1 = _time_pair_us(ours[name], tracked[name], args.repeat)
        rows.append([name, g0, t0, g1, t1])

    mxnet = {}
    if args.mxnet_python:
        proc = subprocess.run([args.mxnet_python, "-c", _MXNET_RUNNER, str(args.repeat), _HERE],
                              capture_output=True, text=True)
        if proc.returncode != 0:
            sys.exit(f"MXNet run failed:\n{proc.stderr[-2000:]}")
        mxnet = json.loads(proc.stdout.strip().splitlines()[-1])

    head = ["op", "gluonic", "torch", "Δ µs", "gluonic rec", "torch rec", "Δ µs rec"]
    if mxnet:
        head += ["mxnet", "mxnet rec", "mxnet/gluonic"]
    print("µs per call (best of 15 alternating rounds); rec = inside autograd.record() / torch grad mode")
    print(" | ".join(f"{h:>22}" if i == 0 else f"{h:>11}" for i, h in enumerate(head)))
    for name, g0, t0, g1, t1 in rows:
        cells = [g0, t0, g0 - t0, g1, t1, g1 - t1]
        if mxnet:
            m0, m1 = mxnet[name]
            cells += [m0, m1, m0 / g0]
        print(f"{name:>22} | " + " | ".join(f"{c:11.2f}" for c in cells))


if __name__ == "__main__":
    main()
