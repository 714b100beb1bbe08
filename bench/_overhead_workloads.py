"""The op-overhead workloads, written once against MXNet's API (``mx`` is gluonic or mxnet)."""
import numpy as np


def workloads(mx):
    a = mx.nd.array(np.random.rand(1).astype("float32"))
    b = mx.nd.array(np.random.rand(1).astype("float32"))
    x = mx.nd.array(np.random.rand(4, 8).astype("float32"))
    w = mx.nd.array(np.random.rand(16, 8).astype("float32"))
    bias = mx.nd.array(np.random.rand(16).astype("float32"))
    m = mx.nd.array(np.random.rand(8, 8).astype("float32"))
    for v in (a, b, x, w, bias):
        v.attach_grad()
    return {
        "add (a + b)": lambda: a + b,
        "nd.broadcast_add": lambda: mx.nd.broadcast_add(a, b),
        "FullyConnected 4x8->16": lambda: mx.nd.FullyConnected(x, w, bias, num_hidden=16),
        "relu": lambda: mx.nd.relu(x),
        "reshape (-1,)": lambda: x.reshape((-1,)),
        "indexing m[2:5]": lambda: m[2:5],
        **_np_workloads(mx),
    }


def _np_workloads(mx):
    """The NumPy interface (``mx.np``/``mx.npx``) on the same shapes."""
    np_, npx = mx.np, mx.npx
    a = np_.array(np.random.rand(1).astype("float32"))
    b = np_.array(np.random.rand(1).astype("float32"))
    x = np_.array(np.random.rand(4, 8).astype("float32"))
    w = np_.array(np.random.rand(8, 16).astype("float32"))
    m = np_.array(np.random.rand(8, 8).astype("float32"))
    for v in (a, b, x, w):
        v.attach_grad()
    return {
        "np: a + b": lambda: a + b,
        "np.dot 4x8 . 8x16": lambda: np_.dot(x, w),
        "np: x.sum(axis=1)": lambda: x.sum(axis=1),
        "npx.relu": lambda: npx.relu(x),
        "np: m[2:5]": lambda: m[2:5],
    }
