"""Write tests/golden/nn_conv/ with real MXNet 1.9.1: conv/pooling/contrib layers on saved weights.

Run with MXNet's interpreter (not gluonic's)::

    /work/mxvenv/bin/python tests/golden/make_golden_nn_conv.py

For every case in ``CASES`` (a layer expression evaluated with ``nn`` = ``gluon.nn``,
``cnn`` = ``gluon.contrib.nn`` and ``seq(container, *children)``), it writes
``<case>.params`` (``save_parameters``, random weights and biases) and, into
``io.nd`` (``nd.save``), ``<case>:x`` (input), ``<case>:y`` (output), ``<case>:dy`` (head
gradient), ``<case>:dx`` and ``<case>:d.<param>`` (gradients of ``sum(y * dy)``).
``manifest.json`` records each case's expression, input shape and MXNet's parameter
shapes (structural names).

MXNet 1.9.1's CPU build cannot run channels-last convolutions (oneDNN: "could not
create a descriptor for a dilated convolution"; without oneDNN: "Only support NCW, NCHW
and NCDHW layout"), though its shape inference gives their weight layout. For those
cases (``_CL``) MXNet runs the channels-first twin of the layer on permuted input and
weights; the saved weights keep the channels-last layout and the outputs and gradients
are permuted back.
"""
import json
import os

import numpy as np

try:
    import mxnet as mx
    from mxnet.gluon import nn
    from mxnet.gluon.contrib import nn as cnn
except ImportError:  # imported under gluonic's Python: nothing to run
    mx = None

HERE = os.path.dirname(os.path.abspath(__file__))
OUT = os.path.join(HERE, "nn_conv")

# (case, layer expression, input shape); deferred in_channels unless the expression sets them.
CASES = [
    ("conv1d", "nn.Conv1D(4, 3)", (2, 3, 7)),
    ("conv1d_full", "nn.Conv1D(4, 3, strides=2, padding=1, dilation=2, groups=2, activation='relu')", (2, 6, 9)),
    ("conv1d_nobias", "nn.Conv1D(3, 2, use_bias=False, in_channels=2)", (1, 2, 5)),
    ("conv2d", "nn.Conv2D(4, 3)", (2, 3, 6, 6)),
    ("conv2d_nhwc", "nn.Conv2D(4, (2, 3), strides=(1, 2), padding=(1, 0), layout='NHWC')", (2, 5, 6, 3)),
    ("conv2d_full", "nn.Conv2D(6, 3, strides=2, padding=1, dilation=(2, 1), groups=3, in_channels=6, "
                    "activation='tanh')", (1, 6, 7, 8)),
    ("conv3d", "nn.Conv3D(2, (2, 3, 2), padding=(1, 0, 1))", (1, 2, 4, 5, 4)),
    ("conv3d_ndhwc", "nn.Conv3D(3, 2, strides=2, layout='NDHWC')", (1, 4, 5, 4, 2)),
    ("conv1dt", "nn.Conv1DTranspose(3, 3)", (2, 2, 5)),
    ("conv1dt_full", "nn.Conv1DTranspose(4, 3, strides=2, padding=1, output_padding=1, groups=2, in_channels=4)",
     (1, 4, 5)),
    ("conv2dt", "nn.Conv2DTranspose(3, 4, strides=2, padding=1)", (1, 2, 4, 3)),
    ("conv2dt_nhwc", "nn.Conv2DTranspose(2, 3, strides=2, output_padding=1, layout='NHWC')", (1, 3, 4, 3)),
    ("conv2dt_full", "nn.Conv2DTranspose(4, 3, strides=(2, 1), padding=1, dilation=(1, 2), groups=2, "
                     "in_channels=4, use_bias=False)", (1, 4, 3, 4)),
    ("conv3dt", "nn.Conv3DTranspose(2, 2, strides=2)", (1, 2, 2, 3, 2)),
    ("conv3dt_ndhwc", "nn.Conv3DTranspose(2, 3, strides=2, padding=1, output_padding=1, layout='NDHWC')",
     (1, 2, 3, 2, 3)),
    ("maxpool1d", "nn.MaxPool1D()", (2, 3, 7)),
    ("maxpool1d_ceil", "nn.MaxPool1D(3, 2, 1, ceil_mode=True)", (2, 3, 8)),
    ("maxpool1d_nwc", "nn.MaxPool1D(2, 1, layout='NWC')", (2, 5, 3)),
    ("maxpool2d", "nn.MaxPool2D()", (1, 2, 5, 6)),
    ("maxpool2d_ceil", "nn.MaxPool2D(3, 2, ceil_mode=True)", (1, 2, 6, 7)),
    ("maxpool2d_pad_nhwc", "nn.MaxPool2D((3, 2), (2, 1), (1, 0), layout='NHWC')", (1, 5, 4, 3)),
    ("maxpool3d", "nn.MaxPool3D(2, 1, ceil_mode=False)", (1, 2, 3, 4, 3)),
    ("maxpool3d_ceil_ndhwc", "nn.MaxPool3D(2, 2, 1, True, 'NDHWC')", (1, 3, 4, 5, 2)),
    ("avgpool1d", "nn.AvgPool1D()", (2, 3, 7)),
    ("avgpool1d_pad", "nn.AvgPool1D(3, 2, 1, count_include_pad=False)", (2, 3, 8)),
    ("avgpool1d_ceil_nwc", "nn.AvgPool1D(3, 2, 1, 'NWC', True)", (1, 6, 2)),
    ("avgpool2d", "nn.AvgPool2D()", (1, 2, 5, 6)),
    ("avgpool2d_ceil", "nn.AvgPool2D(3, 2, 1, True)", (1, 2, 6, 7)),
    ("avgpool2d_excl_nhwc", "nn.AvgPool2D(3, 1, 1, layout='NHWC', count_include_pad=False)", (1, 4, 5, 2)),
    ("avgpool3d", "nn.AvgPool3D(2, 1, 1)", (1, 2, 3, 3, 2)),
    ("avgpool3d_ndhwc", "nn.AvgPool3D((1, 2, 2), layout='NDHWC', count_include_pad=False)", (1, 3, 4, 4, 2)),
    ("gmaxpool1d", "nn.GlobalMaxPool1D()", (2, 3, 5)),
    ("gmaxpool2d_nhwc", "nn.GlobalMaxPool2D(layout='NHWC')", (2, 3, 4, 3)),
    ("gmaxpool3d", "nn.GlobalMaxPool3D()", (1, 2, 3, 2, 4)),
    ("gavgpool1d_nwc", "nn.GlobalAvgPool1D(layout='NWC')", (2, 5, 3)),
    ("gavgpool2d", "nn.GlobalAvgPool2D()", (2, 3, 4, 3)),
    ("gavgpool3d_ndhwc", "nn.GlobalAvgPool3D(layout='NDHWC')", (1, 3, 2, 4, 2)),
    ("pixelshuffle1d", "cnn.PixelShuffle1D(3)", (2, 6, 4)),
    ("pixelshuffle2d", "cnn.PixelShuffle2D((2, 3))", (1, 12, 3, 2)),
    ("pixelshuffle3d", "cnn.PixelShuffle3D((2, 1, 3))", (1, 12, 2, 3, 2)),
    ("hconcurrent", "seq(cnn.HybridConcurrent(axis=1), nn.Conv2D(3, 3, padding=1), cnn.Identity(), "
                    "nn.MaxPool2D(3, 1, 1))", (1, 2, 4, 4)),
    ("concurrent", "seq(cnn.Concurrent(), nn.Dense(3, flatten=False), cnn.Identity())", (2, 3, 4)),
]


def seq(container, *children):
    """``container`` with ``children`` added (expressions can't call ``add``)."""
    with container.name_scope():
        container.add(*children)
    return container


_CL = {"NHWC": "NCHW", "NDHWC": "NCDHW"}


def _first(a: np.ndarray) -> np.ndarray:
    """Channels-last array to channels-first (the last axis moves to axis 1)."""
    return np.moveaxis(a, -1, 1)


def _last(a: np.ndarray) -> np.ndarray:
    return np.moveaxis(a, 1, -1)


def _run(layer, x, dy=None):
    """Forward (and backward with head ``dy``); returns y, dx, {param: grad}."""
    x = mx.nd.array(x)
    x.attach_grad()
    with mx.autograd.record():
        y = layer(x)
    if dy is None:
        return y.asnumpy(), None, None
    y.backward(mx.nd.array(dy))
    grads = {n: p.grad().asnumpy() for n, p in layer._collect_params_with_prefix().items()}
    return y.asnumpy(), x.grad.asnumpy(), grads


def _channels_last_twin(expr: str):
    """For a channels-last convolution, the same layer in channels-first layout (else None)."""
    if "Conv" not in expr:
        return None
    for last, first in _CL.items():
        if f"layout='{last}'" in expr:
            return expr.replace(f"layout='{last}'", f"layout='{first}'")
    return None


def main():
    os.makedirs(OUT, exist_ok=True)
    io, manifest = {}, {}
    for i, (case, expr, shape) in enumerate(CASES):
        rng = np.random.RandomState(2000 + i)
        layer = eval(expr, {"nn": nn, "cnn": cnn, "seq": seq})
        layer.initialize()
        x = mx.nd.array(rng.standard_normal(shape).astype(np.float32))
        twin_expr = _channels_last_twin(expr)
        if twin_expr is None:
            layer(x)  # finish deferred initialization
        else:  # shape inference only: running the layer would fail (see the module docstring)
            layer.infer_shape(x)
            for p in layer.collect_params().values():
                p._finish_deferred_init()
        params = layer._collect_params_with_prefix()
        for name in sorted(params):
            p = params[name]
            p.set_data(mx.nd.array(rng.uniform(-1, 1, p.shape).astype(np.float32)))
        layer.save_parameters(os.path.join(OUT, f"{case}.params"))
        xs = x.asnumpy()
        if twin_expr is None:
            y, _, _ = _run(layer, xs)
            dy = rng.standard_normal(y.shape).astype(np.float32)
            y, dx, grads = _run(layer, xs, dy)
        else:
            twin = eval(twin_expr, {"nn": nn, "cnn": cnn, "seq": seq})
            twin.initialize()
            twin(mx.nd.array(_first(xs)))
            tparams = twin._collect_params_with_prefix()
            for name, p in params.items():
                value = p.data().asnumpy()
                tparams[name].set_data(mx.nd.array(_first(value) if value.ndim > 1 else value))
            y, _, _ = _run(twin, _first(xs))
            dy = rng.standard_normal(_last(y).shape).astype(np.float32)
            y, dx, grads = _run(twin, _first(xs), _first(dy))
            y, dx = _last(y), _last(dx)
            grads = {n: _last(g) if g.ndim > 1 else g for n, g in grads.items()}
        io[f"{case}:x"], io[f"{case}:y"], io[f"{case}:dy"], io[f"{case}:dx"] = (
            mx.nd.array(a) for a in (xs, y, dy, dx))
        for name, g in grads.items():
            io[f"{case}:d.{name}"] = mx.nd.array(g)
        manifest[case] = {"expr": expr, "shape": list(shape), "out_shape": list(y.shape), "twin": twin_expr,
                          "params": {name: list(p.shape) for name, p in sorted(params.items())}}
    mx.nd.save(os.path.join(OUT, "io.nd"), io)
    with open(os.path.join(OUT, "manifest.json"), "w") as f:
        json.dump(manifest, f, indent=1, sort_keys=True)
        f.write("\n")
    print(f"wrote {len(CASES)} cases to {OUT}")


if __name__ == "__main__" and mx is not None:
    main()
