"""Smoke demo: a 2-layer MLP on scikit-learn's digits, with gluonic's NDArray + autograd.

Trains with plain SGD written against MXNet's API, saves the weights in MXNet's
``.params`` format, reloads them and reports test accuracy. (The Gluon demo with
hybridize/export replaces this once gluon lands.)

    python examples/digits_demo.py [--epochs 30]
"""
from __future__ import annotations

import argparse
import os
import tempfile

import numpy as np

import gluonic as mx


def load_digits(seed: int = 0):
    from sklearn.datasets import load_digits as _load

    d = _load()
    x = (d.data / 16.0).astype(np.float32)
    y = d.target.astype(np.float32)
    idx = np.random.RandomState(seed).permutation(len(x))
    split = int(0.8 * len(x))
    return (x[idx[:split]], y[idx[:split]]), (x[idx[split:]], y[idx[split:]])


def init_params(n_in: int, n_hidden: int, n_out: int, seed: int = 0) -> dict[str, mx.nd.NDArray]:
    rng = np.random.RandomState(seed)
    params = {
        "fc1_weight": rng.normal(0, (2.0 / n_in) ** 0.5, (n_hidden, n_in)),
        "fc1_bias": np.zeros(n_hidden),
        "fc2_weight": rng.normal(0, (2.0 / n_hidden) ** 0.5, (n_out, n_hidden)),
        "fc2_bias": np.zeros(n_out),
    }
    return {k: mx.nd.array(v, dtype="float32") for k, v in params.items()}


def forward(p, x):
    h = mx.nd.relu(mx.nd.FullyConnected(x, p["fc1_weight"], p["fc1_bias"], num_hidden=p["fc1_bias"].shape[0]))
    return mx.nd.FullyConnected(h, p["fc2_weight"], p["fc2_bias"], num_hidden=p["fc2_bias"].shape[0])


def accuracy(p, x, y) -> float:
    pred = mx.nd.argmax(forward(p, mx.nd.array(x)), axis=1).asnumpy()
    return float((pred == y).mean())


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--epochs", type=int, default=30)
    parser.add_argument("--batch-size", type=int, default=64)
    parser.add_argument("--lr", type=float, default=0.1)
    args = parser.parse_args()
    mx.random.seed(0)

    (x_train, y_train), (x_test, y_test) = load_digits()
    params = init_params(64, 128, 10)
    for v in params.values():
        v.attach_grad()
    rng = np.random.RandomState(0)
    for epoch in range(args.epochs):
        order = rng.permutation(len(x_train))
        total = 0.0
        for start in range(0, len(order), args.batch_size):
            b = order[start:start + args.batch_size]
            x, y = mx.nd.array(x_train[b]), mx.nd.array(y_train[b])
            with mx.autograd.record():
                logits = forward(params, x)
                loss = -mx.nd.pick(mx.nd.log_softmax(logits, axis=1), y, axis=1).mean()
            loss.backward()
            for v in params.values():
                v[:] = v - args.lr * v.grad
            total += loss.asscalar() * len(b)
        if epoch % 10 == 9 or epoch == args.epochs - 1:
            print(f"epoch {epoch + 1:3d}  loss {total / len(order):.4f}  test accuracy {accuracy(params, x_test, y_test):.4f}")

    with tempfile.TemporaryDirectory() as tmp:
        path = os.path.join(tmp, "digits-mlp.params")
        mx.nd.save(path, params)
        reloaded = mx.nd.load(path)
    acc = accuracy(reloaded, x_test, y_test)
    print(f"reloaded from MXNet .params format: test accuracy {acc:.4f}")
    if acc < 0.9:
        raise SystemExit(f"accuracy {acc:.3f} is below 0.9: something is wrong")


if __name__ == "__main__":
    main()
