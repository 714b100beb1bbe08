"""Write a symbolic checkpoint and executor results with real MXNet 1.9.1 into tests/golden/checkpoint/.

Run with a Python that has mxnet: /work/mxvenv/bin/python tests/golden/make_golden_checkpoint.py
(``plot_network``'s golden needs the ``graphviz`` Python package there too.)

Files:
- ``convnet-symbol.json``, ``convnet-0003.params``: ``mx.model.save_checkpoint`` of a small
  Conv-BatchNorm-ReLU-Pool-FC-SoftmaxOutput network;
- ``convnet-results.nd``: inputs, and after ``simple_bind`` + ``copy_params_from`` +
  ``forward(is_train=True)`` + ``backward()``: the output, every argument gradient, the
  auxiliary states after the forward (``aux_forward:``, unchanged: MXNet updates BatchNorm's
  moving statistics in backward) and after backward (``aux:``), and a following
  ``forward(is_train=False)`` output;
- ``convnet-plot.gv``: ``mx.viz.plot_network`` source with shapes;
- ``convnet-summary.txt``: ``mx.viz.print_summary`` output with shapes.
"""
import contextlib
import io
import os

import mxnet as mx
import numpy as np

HERE = os.path.join(os.path.dirname(os.path.abspath(__file__)), "checkpoint")
DATA_SHAPE = (2, 3, 6, 6)


def build():
    data = mx.sym.var("data")
    net = mx.sym.Convolution(data, num_filter=4, kernel=(3, 3), pad=(1, 1), name="conv1")
    net = mx.sym.BatchNorm(net, fix_gamma=False, name="bn1")
    net = mx.sym.Activation(net, act_type="relu", name="relu1")
    net = mx.sym.Pooling(net, kernel=(2, 2), stride=(2, 2), pool_type="max", name="pool1")
    net = mx.sym.Flatten(net, name="flat")
    net = mx.sym.FullyConnected(net, num_hidden=5, name="fc1")
    return mx.sym.SoftmaxOutput(net, name="softmax")


def snapshot(arr):
    return mx.nd.array(arr.asnumpy(), dtype=arr.dtype)


def main():
    rng = np.random.RandomState(0)
    sym = build()
    arg_shapes, _, aux_shapes = sym.infer_shape(data=DATA_SHAPE)
    arg_params = {n: mx.nd.array(rng.uniform(-0.5, 0.5, s)) for n, s in zip(sym.list_arguments(), arg_shapes)
                  if n not in ("data", "softmax_label")}
    aux_params = {"bn1_moving_mean": mx.nd.array(rng.uniform(-0.1, 0.1, aux_shapes[0])),
                  "bn1_moving_var": mx.nd.array(rng.uniform(0.5, 1.5, aux_shapes[1]))}
    os.makedirs(HERE, exist_ok=True)
    prefix = os.path.join(HERE, "convnet")
    mx.model.save_checkpoint(prefix, 3, sym, arg_params, aux_params)

    x = mx.nd.array(rng.uniform(-1, 1, DATA_SHAPE))
    y = mx.nd.array([1, 3])
    ex = sym.simple_bind(mx.cpu(), data=DATA_SHAPE, softmax_label=(2,))
    ex.copy_params_from(arg_params, aux_params)
    # Snapshots go through NumPy: MXNet's asynchronous NDArray.copy() of executor arrays can read
    # them after a later forward pass has overwritten them.
    out = snapshot(ex.forward(is_train=True, data=x, softmax_label=y)[0])
    aux_after_forward = {k: snapshot(v) for k, v in ex.aux_dict.items()}
    ex.backward()
    results = {"data": x, "label": y, "out_train": out}
    results.update({f"grad:{k}": snapshot(v) for k, v in ex.grad_dict.items() if v is not None})
    results.update({f"aux_forward:{k}": v for k, v in aux_after_forward.items()})
    results.update({f"aux:{k}": snapshot(v) for k, v in ex.aux_dict.items()})
    results["out_predict"] = snapshot(ex.forward(is_train=False)[0])
    mx.nd.save(prefix + "-results.nd", results)

    buf = io.StringIO()
    with contextlib.redirect_stdout(buf):
        mx.viz.print_summary(sym, shape={"data": DATA_SHAPE})
    with open(prefix + "-summary.txt", "w") as f:
        f.write(buf.getvalue())
    with open(prefix + "-plot.gv", "w") as f:
        f.write(mx.viz.plot_network(sym, shape={"data": DATA_SHAPE}).source)
    print(buf.getvalue())


if __name__ == "__main__":
    main()
