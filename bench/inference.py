"""CNN inference latency: gluonic (eager, hybridized, inductor, ONNX Runtime) vs PyTorch eager vs MXNet 1.9.1.

Usage:
    python bench/inference.py [--size 224] [--batch 1,32] [--models resnet18_v1,mobilenet1.0]
                              [--threads 1] [--rounds 3] [--min-time 1.0] [--skip inductor,onnx]
                              [--mxnet-python /work/mxvenv/bin/python]

Models: ``resnet18_v1`` and ``mobilenet1.0`` from the model zoo, in predict mode, on
random (N, 3, size, size) float32 images. Rows:

- ``gluonic eager``: the model zoo network, not hybridized;
- ``gluonic hybrid``: hybridized, as it runs in predict mode (BatchNorm folded into the
  convolutions, convolution+add+ReLU fused, oneDNN weights prepacked: gluonic/compile/passes.py);
- ``gluonic hybrid, no fold``: the same traced graph run as is (``GLUONIC_INFERENCE_PASSES=0``);
- ``gluonic inductor``: ``hybridize(backend='inductor')`` (``torch.compile``);
- ``onnxruntime``: the hybridized network exported with ``gluonic.onnx.export_model``;
- ``torch eager``: the same architecture in plain PyTorch (bench/_torch_models.py);
- ``mxnet`` / ``mxnet hybrid``: MXNet's own model zoo (hybridized with static_alloc and
  static_shape), in a subprocess of ``--mxnet-python``.

Each cell is the best of ``--rounds`` rounds (ms per batch); torch, ONNX Runtime and MXNet
(``OMP_NUM_THREADS``) all use ``--threads`` threads. On a shared machine compare ratios
within one run, or pass ``--clock cpu`` (process CPU time; it also counts MXNet's engine
threads).
"""
from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
import textwrap

_HERE = os.path.dirname(os.path.abspath(__file__))
MODELS = ("resnet18_v1", "mobilenet1.0")


def make_net(mx, name: str, hybridize: bool = False, **hybrid_kwargs):
    """A model zoo network in predict mode (``mx`` is gluonic or mxnet), initialized with a fixed seed."""
    mx.random.seed(0)
    net = mx.gluon.model_zoo.vision.get_model(name)
    net.initialize(mx.init.Xavier())
    if hybridize:
        net.hybridize(**hybrid_kwargs)
    return net


def images(mx, batch: int, size: int):
    import numpy as np

    return mx.nd.array(np.random.RandomState(0).uniform(-1, 1, (batch, 3, size, size)).astype("float32"))


def best_ms(fn, rounds: int, min_time: float, clock: str = "wall") -> float:
    """Best-of-``rounds`` ms per call; ``clock='cpu'`` counts this process's CPU time instead of
    wall time (on a machine shared with other jobs, time spent waiting for a core is left out)."""
    import time

    from _timing import best_ms as timed_ms

    timer = time.perf_counter if clock == "wall" else time.process_time
    return timed_ms(fn, rounds=rounds, min_time=min_time, clock=timer)


def call(net, x):
    """One timed call: the forward pass and waiting for its result."""
    return lambda: net(x).wait_to_read()


_MXNET_RUNNER = textwrap.dedent(
    """
    import json, sys
    sys.path.insert(0, sys.argv[1])
    import mxnet as mx
    from inference import best_ms, call, images, make_net
    cfg = json.loads(sys.argv[2])
    out = {}
    for name in cfg["models"]:
        for batch in cfg["batches"]:
            x = images(mx, batch, cfg["size"])
            eager = make_net(mx, name)
            hybrid = make_net(mx, name, True, static_alloc=True, static_shape=True)
            key = name + "/" + str(batch)
            out[key] = [best_ms(call(net, x), cfg["rounds"], cfg["min_time"], cfg["clock"]) for net in (eager, hybrid)]
    print(json.dumps(out))
    """
)


def _mxnet_rows(python: str, cfg: dict, threads: int) -> dict:
    env = dict(os.environ, OMP_NUM_THREADS=str(threads), MKL_NUM_THREADS=str(threads))
    proc = subprocess.run([python, "-c", _MXNET_RUNNER, _HERE, json.dumps(cfg)], capture_output=True, text=True,
                          env=env)
    if proc.returncode != 0:
        sys.exit(f"MXNet run failed:\n{proc.stderr[-2000:]}")
    return json.loads(proc.stdout.strip().splitlines()[-1])


def _onnx_call(mx, net, x, threads: int, tmp: str):
    """A call of ONNX Runtime on the exported network, or a string saying why there is none."""
    try:
        import onnxruntime as ort

        from gluonic.onnx import export_model
    except ImportError as e:
        return f"unavailable ({e})"
    path = os.path.join(tmp, "net.onnx")
    try:
        net(x)
        export_model(net, onnx_file_path=path)
    except Exception as e:  # noqa: BLE001 - an export gap skips the row, it does not end the benchmark
        return f"export failed ({type(e).__name__}: {str(e)[:120]})"
    opts = ort.SessionOptions()
    opts.intra_op_num_threads = threads
    opts.inter_op_num_threads = 1
    sess = ort.InferenceSession(path, opts, providers=["CPUExecutionProvider"])
    feed = {sess.get_inputs()[0].name: x.asnumpy()}
    return lambda: sess.run(None, feed)


def run(models, batches, size: int, threads: int, rounds: int, min_time: float, skip=(), mxnet_python=None,
        clock: str = "wall"):
    """``{row: {"model/batch": ms or None}}`` and notes on skipped rows."""
    import torch

    import gluonic as mx

    sys.path.insert(0, _HERE)
    from _torch_models import MODELS as TORCH_MODELS

    torch.set_num_threads(threads)
    rows: dict[str, dict[str, float | None]] = {}
    notes: list[str] = []

    def put(row, key, fn):
        if isinstance(fn, str):
            rows.setdefault(row, {})[key] = None
            note = f"{row}: {fn}"
            if note not in notes:
                notes.append(note)
            return
        rows.setdefault(row, {})[key] = best_ms(fn, rounds, min_time, clock)

    with tempfile.TemporaryDirectory() as tmp:
        for name in models:
            for batch in batches:
                key = f"{name}/{batch}"
                x = images(mx, batch, size)
                put("gluonic eager", key, call(make_net(mx, name), x))
                put("gluonic hybrid", key, call(make_net(mx, name, True), x))
                os.environ["GLUONIC_INFERENCE_PASSES"] = "0"
                try:
                    put("gluonic hybrid, no fold", key, call(make_net(mx, name, True), x))
                finally:
                    del os.environ["GLUONIC_INFERENCE_PASSES"]
                if "inductor" not in skip:
                    put("gluonic inductor", key, call(make_net(mx, name, True, backend="inductor"), x))
                if "onnx" not in skip:
                    put("onnxruntime", key, _onnx_call(mx, make_net(mx, name, True), x, threads, tmp))
                torch.manual_seed(0)
                tnet, tx = TORCH_MODELS[name](), torch.from_numpy(x.asnumpy())
                with torch.inference_mode():
                    put("torch eager", key, lambda tnet=tnet, tx=tx: tnet(tx))
    if mxnet_python:
        cfg = dict(models=list(models), batches=list(batches), size=size, rounds=rounds, min_time=min_time,
                   clock=clock)
        for key, (eager, hybrid) in _mxnet_rows(mxnet_python, cfg, threads).items():
            rows.setdefault("mxnet", {})[key] = eager
            rows.setdefault("mxnet hybrid", {})[key] = hybrid
    return rows, notes


def format_table(rows: dict, keys: list[str], size: int, threads: int, rounds: int, clock: str = "wall") -> str:
    """The table: one row per runtime, ms per batch per model/batch, and images/s of the hybrid row."""
    lines = [f"CNN inference, 3x{size}x{size} float32, {threads} thread(s), ms per batch ({clock} clock), "
             f"best of {rounds} rounds"]
    width = max(14, *(len(k) for k in keys))
    lines.append(" | ".join([f"{'':<24}"] + [f"{k:>{width}}" for k in keys]))
    for row, cells in rows.items():
        lines.append(" | ".join([f"{row:<24}"] + [f"{'-':>{width}}" if cells.get(k) is None else
                                                   f"{cells[k]:{width}.2f}" for k in keys]))
    base = rows.get("gluonic hybrid", {})
    for ref in ("torch eager", "mxnet hybrid"):
        if ref in rows:
            ratios = [None if base.get(k) is None or rows[ref].get(k) is None else base[k] / rows[ref][k]
                      for k in keys]
            label = f"hybrid / {ref}"
            lines.append(" | ".join([f"{label:<24}"] + [f"{'-':>{width}}" if r is None else f"{r:{width}.2f}"
                                                        for r in ratios]))
    imgs = [None if base.get(k) is None else int(k.split("/")[1]) / base[k] * 1e3 for k in keys]
    lines.append(" | ".join([f"{'gluonic hybrid, img/s':<24}"] + [f"{'-':>{width}}" if r is None else
                                                                 f"{r:{width}.1f}" for r in imgs]))
    return "\n".join(lines)


def main(argv=None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--models", default=",".join(MODELS), help="comma-separated: resnet18_v1, mobilenet1.0")
    parser.add_argument("--batch", default="1,32", help="comma-separated batch sizes")
    parser.add_argument("--size", type=int, default=224, help="image height and width (32 for a quick run)")
    parser.add_argument("--threads", type=int, default=1, help="torch / onnxruntime / OMP threads")
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--min-time", type=float, default=1.0, help="seconds of timing per cell (all rounds)")
    parser.add_argument("--clock", choices=("wall", "cpu"), default="wall",
                        help="wall time, or this process's CPU time (steadier on a shared machine)")
    parser.add_argument("--skip", default="", help="comma-separated rows to leave out: inductor, onnx")
    parser.add_argument("--mxnet-python", help="a Python interpreter with mxnet 1.9.1 installed")
    args = parser.parse_args(argv)
    models = [m for m in args.models.split(",") if m]
    unknown = [m for m in models if m not in MODELS]
    if unknown:
        parser.error(f"unknown model(s) {unknown}; choose from {list(MODELS)}")
    batches = [int(b) for b in args.batch.split(",") if b]
    rows, notes = run(models, batches, args.size, args.threads, args.rounds, args.min_time,
                      skip=set(args.skip.split(",")), mxnet_python=args.mxnet_python, clock=args.clock)
    keys = [f"{m}/{b}" for m in models for b in batches]
    print(format_table(rows, keys, args.size, args.threads, args.rounds, args.clock))
    for note in notes:
        print(f"note: {note}")


if __name__ == "__main__":
    main()
