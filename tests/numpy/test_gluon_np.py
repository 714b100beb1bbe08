"""Gluon in NumPy mode (``npx.set_np()``): layers, losses, Trainer, data, metrics, hybridize,
export/imports take and return ``mx.np.ndarray``, and agree with the same code in legacy mode."""
from __future__ import annotations

import json
import os

import numpy as onp
import pytest

import gluonic as mx
from gluonic import autograd, gluon, np, npx
from gluonic.gluon import nn


@pytest.fixture
def np_mode():
    npx.set_np()
    yield
    npx.reset_np()


def _run(block, inputs, np_arrays: bool):
    """Outputs, input grads and parameter grads of one recorded pass with random head gradients."""
    make = (lambda a: np.array(a, dtype=a.dtype)) if np_arrays else (lambda a: mx.nd.array(a, dtype=a.dtype))
    xs = [make(a) for a in inputs]
    for x in xs:
        x.attach_grad()
    mx.random.seed(3)
    with autograd.record():
        out = block(*xs)
    outs = list(out) if isinstance(out, (list, tuple)) else [out]
    if np_arrays:
        assert all(isinstance(o, np.ndarray) for o in outs), [type(o) for o in outs]
    rng = onp.random.RandomState(0)
    heads = [make(rng.standard_normal(o.shape).astype(o.dtype)) for o in outs]
    autograd.backward(outs, heads)
    grads = {k.split("_", 1)[-1]: p.grad().asnumpy() for k, p in block.collect_params().items()
             if p.grad_req != "null"}
    return [o.asnumpy() for o in outs], [x.grad.asnumpy() for x in xs], grads


def _close(a, b, what):
    if isinstance(a, dict):
        assert a.keys() == b.keys()
        for k in a:
            onp.testing.assert_allclose(a[k], b[k], rtol=1e-5, atol=1e-5, err_msg=f"{what} {k}")
    else:
        for x, y in zip(a, b):
            onp.testing.assert_allclose(x, y, rtol=1e-5, atol=1e-5, err_msg=what)


def _check_modes(make_block, *inputs, tmp_path=None):
    """Legacy eager == np eager == np hybridized (outputs, input grads, parameter grads);
    then export in np mode and reimport with SymbolBlock.imports: same predictions."""
    inputs = [onp.asarray(a) for a in inputs]
    blocks = []
    for _ in range(3):
        with mx.name.NameManager():
            blocks.append(make_block())
    legacy, eager, hybrid = blocks
    legacy.initialize(mx.init.Xavier())
    legacy(*[mx.nd.array(a, dtype=a.dtype) for a in inputs])
    path = os.path.join(str(tmp_path), "w.params")
    legacy.save_parameters(path)
    want = _run(legacy, inputs, np_arrays=False)
    npx.set_np()
    try:
        eager.load_parameters(path)
        hybrid.load_parameters(path)
        hybrid.hybridize()
        got_eager = _run(eager, inputs, np_arrays=True)
        got_hybrid = _run(hybrid, inputs, np_arrays=True)
        for (w, g1, g2), what in zip(zip(want, got_eager, got_hybrid), ("outputs", "input grads", "param grads")):
            _close(w, g1, f"np eager vs legacy {what}")
            _close(w, g2, f"np hybrid vs legacy {what}")
        prefix = os.path.join(str(tmp_path), "model")
        hybrid.export(prefix)
        names = ["data"] if len(inputs) == 1 else [f"data{i}" for i in range(len(inputs))]
        with open(prefix + "-symbol.json") as f:
            graph_inputs = [n["name"] for n in json.load(f)["nodes"] if n["op"] == "null" and n["name"][:4] == "data"]
        if graph_inputs != names:  # a fused RNN layer called without states traces its begin states as inputs
            return
        imported = gluon.SymbolBlock.imports(prefix + "-symbol.json", names, prefix + "-0000.params")
        out = imported(*[np.array(a, dtype=a.dtype) for a in inputs])
        outs = list(out) if isinstance(out, (list, tuple)) else [out]
        assert all(isinstance(o, np.ndarray) for o in outs)
        with autograd.predict_mode():
            ref = hybrid(*[np.array(a, dtype=a.dtype) for a in inputs])
        refs = list(ref) if isinstance(ref, (list, tuple)) else [ref]
        _close([o.asnumpy() for o in refs], [o.asnumpy() for o in outs], "reimported vs hybrid")
    finally:
        npx.reset_np()


RNG = onp.random.RandomState(0)


def _sequential():
    net = nn.HybridSequential()
    net.add(nn.Dense(6, activation="tanh"), nn.Dropout(0.0), nn.Dense(3))
    return net


class _Unroll(gluon.HybridBlock):
    """A GRU cell unrolled over 3 steps (NTC), merged outputs."""

    def __init__(self):
        super().__init__()
        self.cell = gluon.rnn.GRUCell(4)

    def hybrid_forward(self, F, x):
        return self.cell.unroll(3, x, layout="NTC", merge_outputs=True)[0]


@pytest.mark.parametrize("make, shape", [
    (lambda: nn.Dense(5, activation="relu"), (4, 3)),
    (lambda: nn.Conv2D(4, 3, padding=1), (2, 3, 6, 6)),
    (_sequential, (2, 3)),
    (lambda: nn.BatchNorm(), (4, 3, 2)),
    (lambda: nn.LayerNorm(), (4, 6)),
    (lambda: nn.Embedding(10, 4), None),
    (lambda: gluon.rnn.LSTM(5, num_layers=2), (3, 2, 4)),
    (_Unroll, (2, 3, 5)),
], ids=["dense", "conv", "sequential", "batchnorm", "layernorm", "embedding", "lstm", "gru_cell_unroll"])
def test_layers_agree_across_modes(make, shape, tmp_path):
    if shape is None:
        x = RNG.randint(0, 10, size=(3, 4)).astype("float32")
    else:
        x = RNG.standard_normal(shape).astype("float32")
    _check_modes(make, x, tmp_path=tmp_path)


def test_mxnet2_style_forward_block_hybridizes(np_mode, tmp_path):
    class Net(gluon.HybridBlock):  # MXNet 2 style: forward with np/npx calls, parameters via .data()
        def __init__(self):
            super().__init__()
            self.dense = nn.Dense(4)
            self.scale = self.params.get("scale", shape=(4,), init=mx.init.One())

        def forward(self, x):
            h = npx.relu(self.dense(x)) * self.scale.data()
            return np.tanh(h).sum(axis=1) / 2 + 1

    net = Net()
    net.initialize()
    x = np.array(RNG.standard_normal((3, 5)), dtype="float32")
    eager = net(x)
    net.hybridize()
    hybrid = net(x)
    assert isinstance(hybrid, np.ndarray) and hybrid.shape == (3,)
    onp.testing.assert_allclose(eager.asnumpy(), hybrid.asnumpy(), rtol=1e-6)
    ops = [n["op"] for n in json.loads(_export_json(net, tmp_path))["nodes"]]
    assert "_npi_add_scalar" in ops and "_npi_true_divide_scalar" in ops and "_np_sum" in ops


def _export_json(net, tmp_path):
    prefix = os.path.join(str(tmp_path), "fwd")
    net.export(prefix)
    with open(prefix + "-symbol.json") as f:
        text = f.read()
    assert '"is_np_shape"' in text
    return text


def test_training_loop_in_np_mode(np_mode):
    rng = onp.random.RandomState(1)
    X = rng.standard_normal((256, 4)).astype("float32")
    y = (X @ onp.array([1.0, -2.0, 0.5, 3.0], dtype="float32") > 0).astype("float32")
    loader = gluon.data.DataLoader(gluon.data.ArrayDataset(np.array(X), np.array(y)), batch_size=32, shuffle=True)
    net = nn.HybridSequential()
    net.add(nn.Dense(16, activation="relu"), nn.Dense(2))
    net.initialize(mx.init.Xavier())
    net.hybridize()
    trainer = gluon.Trainer(net.collect_params(), "adam", {"learning_rate": 0.05})
    loss_fn = gluon.loss.SoftmaxCrossEntropyLoss()
    metric = mx.metric.Accuracy()
    for _ in range(5):
        metric.reset()
        for data, label in loader:
            assert isinstance(data, np.ndarray) and isinstance(label, np.ndarray)
            with autograd.record():
                out = net(data)
                loss = loss_fn(out, label)
            assert isinstance(loss, np.ndarray) and loss.shape == (data.shape[0],)
            loss.backward()
            trainer.step(data.shape[0])
            metric.update(label, out)
    assert metric.get()[1] > 0.9
    assert isinstance(net[0].weight.data(), np.ndarray) and isinstance(net[0].weight.grad(), np.ndarray)


def test_split_and_load_and_dataloader_workers(np_mode):
    data = np.arange(12).reshape(6, 2)
    parts = gluon.utils.split_and_load(data, [mx.cpu(0), mx.cpu(1)])
    assert [type(p) for p in parts] == [np.ndarray, np.ndarray] and [p.shape for p in parts] == [(3, 2), (3, 2)]
    ds = gluon.data.ArrayDataset(onp.arange(8, dtype="float32").reshape(4, 2), onp.arange(4))
    for workers in (0, 2):
        batches = list(gluon.data.DataLoader(ds, batch_size=2, num_workers=workers))
        assert all(isinstance(b, np.ndarray) for pair in batches for b in pair)
        onp.testing.assert_array_equal(batches[1][0].asnumpy(), [[4, 5], [6, 7]])


def test_vision_transforms_and_image_in_np_mode(np_mode, tmp_path):
    from PIL import Image

    from gluonic.gluon.data.vision import transforms

    arr = (RNG.rand(20, 30, 3) * 255).astype("uint8")
    path = os.path.join(str(tmp_path), "img.png")
    Image.fromarray(arr).save(path)
    img = mx.image.imread(path)
    assert isinstance(img, np.ndarray) and img.shape == (20, 30, 3)
    crop, rect = mx.image.random_crop(img, (10, 8))
    assert isinstance(crop, np.ndarray) and crop.shape == (8, 10, 3)
    fixed = mx.image.fixed_crop(img, 2, 3, 10, 8)
    onp.testing.assert_array_equal(fixed.asnumpy(), arr[3:11, 2:12])
    t = transforms.Compose([transforms.Resize(16), transforms.ToTensor()])
    out = t(img)
    assert isinstance(out, np.ndarray) and out.shape == (3, 16, 16) and out.dtype == onp.float32
