"""The gluonic demo: a small CNN on scikit-learn's digits, trained with MXNet's Gluon API.

Trains, hybridizes, reports test accuracy, exports the model in MXNet's formats
(``-symbol.json`` + ``.params``, loadable by MXNet 1.x), reloads it with
``SymbolBlock.imports`` and checks that both give the same predictions.

    gluonic-demo [--epochs 15]          # or: python -m gluonic.examples.digits
"""
from __future__ import annotations

import argparse
import os
import tempfile
import time

import numpy as np

import gluonic as mx
from gluonic import autograd, gluon
from gluonic.gluon import nn


def load_digits(seed: int = 0):
    """scikit-learn's 8x8 digits as (N, 1, 8, 8) float32 in [0, 1], split 80/20."""
    try:
        from sklearn.datasets import load_digits as _load
    except ImportError as e:  # pragma: no cover - the 'examples' extra installs it
        raise SystemExit("The demo needs scikit-learn: pip install 'gluonic[examples]'") from e
    d = _load()
    x = (d.images / 16.0).astype(np.float32)[:, None]
    y = d.target.astype(np.float32)
    idx = np.random.RandomState(seed).permutation(len(x))
    split = int(0.8 * len(x))
    return (x[idx[:split]], y[idx[:split]]), (x[idx[split:]], y[idx[split:]])


def build_net() -> gluon.HybridBlock:
    net = nn.HybridSequential()
    with net.name_scope():
        net.add(nn.Conv2D(16, kernel_size=3, padding=1, activation="relu"),
                nn.BatchNorm(),
                nn.MaxPool2D(pool_size=2),
                nn.Conv2D(32, kernel_size=3, padding=1, activation="relu"),
                nn.GlobalAvgPool2D(),
                nn.Flatten(),
                nn.Dense(64, activation="relu"),
                nn.Dropout(0.2),
                nn.Dense(10))
    return net


def evaluate(net, x, y, batch_size: int = 256) -> tuple[float, np.ndarray]:
    metric = mx.metric.Accuracy()
    preds = []
    for start in range(0, len(x), batch_size):
        out = net(mx.nd.array(x[start:start + batch_size]))
        metric.update([mx.nd.array(y[start:start + batch_size])], [out])
        preds.append(out.asnumpy())
    return metric.get()[1], np.concatenate(preds)


def _progress(iterable, total: int, desc: str):
    try:
        from tqdm import tqdm
    except ImportError:
        return iterable
    return tqdm(iterable, total=total, desc=desc, leave=False)


def main(argv=None) -> None:
    parser = argparse.ArgumentParser(description="Train a small CNN on the digits data set with gluonic.")
    parser.add_argument("--epochs", type=int, default=15)
    parser.add_argument("--batch-size", type=int, default=64)
    parser.add_argument("--lr", type=float, default=0.05)
    args = parser.parse_args(argv)
    mx.random.seed(0)

    (x_train, y_train), (x_test, y_test) = load_digits()
    net = build_net()
    net.initialize(mx.init.Xavier())
    net.hybridize()
    loss_fn = gluon.loss.SoftmaxCrossEntropyLoss()
    trainer = gluon.Trainer(net.collect_params(), "sgd", {"learning_rate": args.lr, "momentum": 0.9})
    rng = np.random.RandomState(0)
    t0 = time.time()
    for epoch in range(args.epochs):
        order = rng.permutation(len(x_train))
        batches = range(0, len(order), args.batch_size)
        total = 0.0
        for start in _progress(batches, len(batches), f"epoch {epoch + 1}"):
            b = order[start:start + args.batch_size]
            x, y = mx.nd.array(x_train[b]), mx.nd.array(y_train[b])
            with autograd.record():
                loss = loss_fn(net(x), y)
            loss.backward()
            trainer.step(len(b))
            total += loss.sum().asscalar()
        if (epoch + 1) % 5 == 0 or epoch + 1 == args.epochs:
            acc, _ = evaluate(net, x_test, y_test)
            print(f"epoch {epoch + 1:3d}  loss {total / len(order):.4f}  test accuracy {acc:.4f}")
    acc, preds = evaluate(net, x_test, y_test)
    print(f"trained in {time.time() - t0:.1f} s: test accuracy {acc:.4f}")

    with tempfile.TemporaryDirectory() as tmp:
        sym_file, params_file = net.export(os.path.join(tmp, "digits-cnn"))
        reloaded = gluon.SymbolBlock.imports(sym_file, ["data"], params_file)
        acc2, preds2 = evaluate(reloaded, x_test, y_test)
    agree = np.allclose(preds, preds2, rtol=1e-5, atol=1e-5)
    print(f"exported to {os.path.basename(sym_file)} + {os.path.basename(params_file)} (MXNet's formats), "
          f"reloaded: test accuracy {acc2:.4f}, outputs {'identical' if agree else 'DIFFERENT'}")
    if acc < 0.95 or not agree:
        raise SystemExit("the demo did not reach 95% accuracy or the reloaded model disagrees")


if __name__ == "__main__":
    main()
