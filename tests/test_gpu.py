"""The GPU paths (``mx.gpu()``) give what the CPU gives.

Each test runs the same program on the CPU and on ``gpu(0)`` and compares the results
(outputs, input and parameter gradients, trained weights). Every test is marked ``gpu``
and skipped on a machine without one (conftest.py).

``GLUONIC_GPU_STANDIN=cpu`` runs these comparisons with the CPU standing in for the GPU:
that checks the tests themselves on a machine without a GPU (they then compare the CPU
with itself, so only a crash or a wrong test can fail).

The whole suite can also run with ``gpu(0)`` as the default context
(``GLUONIC_TEST_CTX=gpu(0) pytest``, see conftest.py); these tests add what that cannot
reach: a CPU result to compare with, and programs spanning both devices.
"""
from __future__ import annotations

import os
import sys

import numpy as np
import pytest
import torch

import gluonic as mx
from gluonic import autograd, gluon, nd
from gluonic.gluon import nn

pytestmark = pytest.mark.gpu

_STANDIN = os.environ.get("GLUONIC_GPU_STANDIN")
GPU = mx.cpu(0) if _STANDIN == "cpu" else mx.gpu(0)
CPU = mx.cpu(0)
if _STANDIN == "cpu":
    pytestmark = []  # the stand-in runs without a GPU

rng = np.random.RandomState(0)


def _rand(*shape, low=-1.0, high=1.0):
    return rng.uniform(low, high, size=shape).astype(np.float32)


def _on(ctx, *arrays):
    return [nd.array(a, ctx=ctx, dtype=a.dtype) for a in arrays]


def _local(name):
    """A parameter's name without its network's prefix (two builds number their blocks apart)."""
    return name.split("_", 1)[1]


def _close(a, b, rtol=1e-4, atol=1e-5, msg=""):
    np.testing.assert_allclose(np.asarray(a, dtype=np.float64), np.asarray(b, dtype=np.float64),
                               rtol=rtol, atol=atol, err_msg=msg)


# op name -> (inputs, attrs, differentiable inputs)
_OPS = {
    "dot": ([_rand(4, 5), _rand(5, 3)], {}, (0, 1)),
    "batch_dot": ([_rand(2, 4, 5), _rand(2, 5, 3)], {"transpose_b": False}, (0, 1)),
    "FullyConnected": ([_rand(3, 5), _rand(4, 5), _rand(4)], {"num_hidden": 4}, (0, 1, 2)),
    "Convolution": ([_rand(2, 3, 7, 7), _rand(4, 3, 3, 3), _rand(4)],
                    {"kernel": (3, 3), "num_filter": 4, "stride": (2, 2), "pad": (1, 1)}, (0, 1, 2)),
    "Deconvolution": ([_rand(2, 3, 5, 5), _rand(3, 4, 3, 3)],
                      {"kernel": (3, 3), "num_filter": 4, "stride": (2, 2), "no_bias": True}, (0, 1)),
    "Pooling": ([_rand(2, 3, 6, 6)], {"kernel": (2, 2), "stride": (2, 2), "pool_type": "max"}, (0,)),
    "softmax": ([_rand(3, 7)], {"axis": -1}, (0,)),
    "log_softmax": ([_rand(3, 7)], {"axis": 0}, (0,)),
    "LayerNorm": ([_rand(3, 8), _rand(8, low=0.5), _rand(8)], {"axis": -1}, (0, 1, 2)),
    "Embedding": ([np.array([[1, 3], [0, 2]], dtype=np.float32), _rand(5, 4)],
                  {"input_dim": 5, "output_dim": 4}, (1,)),
    "take": ([_rand(5, 3), np.array([4, 0, 2, 2], dtype=np.float32)], {}, (0,)),
    "pick": ([_rand(4, 5), np.array([0, 4, 1, 3], dtype=np.float32)], {"axis": 1}, (0,)),
    "one_hot": ([np.array([0, 3, 1], dtype=np.float32)], {"depth": 5}, ()),
    "topk": ([_rand(3, 6)], {"k": 2, "ret_typ": "value"}, (0,)),
    "sort": ([_rand(3, 6)], {"axis": 1}, (0,)),
    "argmax": ([_rand(3, 6)], {"axis": 1}, ()),
    "where": ([np.array([1, 0, 1], dtype=np.float32), _rand(3), _rand(3)], {}, (1, 2)),
    "clip": ([_rand(4, 4)], {"a_min": -0.3, "a_max": 0.4}, (0,)),
    "sum": ([_rand(3, 4, 5)], {"axis": (0, 2), "keepdims": True}, (0,)),
    "norm": ([_rand(3, 4)], {"ord": 2, "axis": 1}, (0,)),
    "SequenceMask": ([_rand(4, 2, 3), np.array([2, 4], dtype=np.float32)],
                     {"use_sequence_length": True, "value": -1.0}, (0,)),
    "SequenceLast": ([_rand(4, 2, 3), np.array([1, 3], dtype=np.float32)], {"use_sequence_length": True}, (0,)),
    "transpose": ([_rand(2, 3, 4)], {"axes": (2, 0, 1)}, (0,)),
    "slice": ([_rand(5, 6)], {"begin": (1, None), "end": (4, 5), "step": (1, 2)}, (0,)),
    "concat": ([_rand(2, 3), _rand(2, 2)], {"dim": 1}, (0, 1)),
    "smooth_l1": ([_rand(3, 4, low=-3, high=3)], {"scalar": 1.0}, (0,)),
    "softmax_cross_entropy": ([_rand(3, 5), np.array([1, 0, 4], dtype=np.float32)], {}, (0,)),
    "linalg_gemm2": ([_rand(3, 4), _rand(4, 2)], {"alpha": 2.0}, (0, 1)),
    "InstanceNorm": ([_rand(2, 3, 5), _rand(3, low=0.5), _rand(3)], {}, (0, 1, 2)),
    "GroupNorm": ([_rand(2, 4, 3), _rand(2, low=0.5), _rand(2)], {"num_groups": 2}, (0, 1, 2)),
    "LeakyReLU": ([_rand(3, 4)], {"act_type": "gelu"}, (0,)),
    "SequenceReverse": ([_rand(4, 2, 3), np.array([2, 4], dtype=np.float32)],
                        {"use_sequence_length": True}, (0,)),
    "gather_nd": ([_rand(3, 4), np.array([[0, 2, 2], [1, 3, 0]], dtype=np.float32)], {}, (0,)),
    "depth_to_space": ([_rand(1, 8, 2, 3)], {"block_size": 2}, (0,)),
    "UpSampling": ([_rand(1, 2, 3, 3)], {"scale": 2, "sample_type": "nearest"}, (0,)),
}


def _nd_fn(name):
    for space in (nd, nd.linalg, nd.contrib):
        fn = getattr(space, name.replace("linalg_", "") if space is nd.linalg else name, None)
        if fn is not None:
            return fn
    raise AssertionError(name)


def _op_run(ctx, name):
    arrays, attrs, diff = _OPS[name]
    xs = _on(ctx, *arrays)
    for i in diff:
        xs[i].attach_grad()
    with autograd.record():
        out = _nd_fn(name)(*xs, **attrs)
        head = out[0] if isinstance(out, (list, tuple)) else out
        loss = (head * head).sum() if diff else head
    if diff:
        loss.backward()
    outs = out if isinstance(out, (list, tuple)) else [out]
    assert all(o.context == ctx for o in outs), (name, [o.context for o in outs])
    return [o.asnumpy() for o in outs], [xs[i].grad.asnumpy() for i in diff]


@pytest.mark.parametrize("name", sorted(_OPS))
def test_op_on_gpu_equals_cpu(name):
    want_out, want_grad = _op_run(CPU, name)
    got_out, got_grad = _op_run(GPU, name)
    for a, b in zip(got_out, want_out):
        _close(a, b, msg=f"{name} output")
    for a, b in zip(got_grad, want_grad):
        _close(a, b, rtol=1e-3, atol=1e-4, msg=f"{name} gradient")


def test_random_ops_stay_on_the_device_and_are_reproducible():
    mx.random.seed(7, ctx=GPU)
    a = nd.random.uniform(shape=(5,), ctx=GPU)
    n = nd.random.normal(0, 1, shape=(2, 3), ctx=GPU)
    mx.random.seed(7, ctx=GPU)
    b = nd.random.uniform(shape=(5,), ctx=GPU)
    assert a.context == GPU and n.context == GPU
    np.testing.assert_array_equal(a.asnumpy(), b.asnumpy())
    with autograd.train_mode():
        d = nd.Dropout(nd.ones((100,), ctx=GPU), p=0.5)
    assert d.context == GPU and set(np.unique(d.asnumpy())) <= {0.0, 2.0}


def test_copies_between_devices():
    x = nd.array(_rand(3, 4), ctx=CPU)
    g = x.as_in_context(GPU)
    assert g.context == GPU
    back = g.copyto(CPU)
    np.testing.assert_array_equal(back.asnumpy(), x.asnumpy())
    target = nd.zeros((3, 4), ctx=GPU)
    x.copyto(target)
    np.testing.assert_array_equal(target.asnumpy(), x.asnumpy())
    with GPU:
        assert nd.ones((2,)).context == GPU and mx.current_context() == GPU
    assert nd.ones((2,)).context == CPU


def test_head_gradients_may_live_on_another_device():
    x = nd.array(_rand(2, 3), ctx=GPU)
    x.attach_grad()
    with autograd.record():
        y = x * 2
    y.backward(nd.ones((2, 3), ctx=CPU) * 3)
    np.testing.assert_array_equal(x.grad.asnumpy(), np.full((2, 3), 6.0))
    assert x.grad.context == GPU


def test_out_of_range_index_arrays_raise_instead_of_breaking_the_device():
    x = nd.array(_rand(3, 4), ctx=GPU)
    with pytest.raises(IndexError, match="out of bounds|invalid"):
        x[[0, 9]]
    with pytest.raises(IndexError):
        x[:, mx.nd.array([4], ctx=GPU)] = 1.0
    with pytest.raises(mx.MXNetError, match="_sample_multinomial"):
        nd.random.multinomial(nd.array([[-1.0, 2.0]], ctx=GPU))
    assert float((x + 1).sum().asscalar()) == pytest.approx(float(x.sum().asscalar()) + 12, rel=1e-5)  # device still fine


def test_mixing_devices_in_one_op_is_a_clear_error():
    if GPU == CPU:
        pytest.skip("needs a real GPU")
    a, b = nd.ones((2,), ctx=CPU), nd.ones((2,), ctx=GPU)
    with pytest.raises(mx.MXNetError, match="(?i)context|device"):
        (a + b).wait_to_read()


def _cnn():
    net = nn.HybridSequential()
    with net.name_scope():
        net.add(nn.Conv2D(4, 3, padding=1, in_channels=1), nn.BatchNorm(in_channels=4), nn.Activation("relu"),
                nn.MaxPool2D(2), nn.Dropout(0.0), nn.Flatten(), nn.Dense(10, in_units=4 * 4 * 4))
    return net


def _train(ctx, hybridize, steps=3):
    mx.random.seed(3)
    net = _cnn()
    net.initialize(mx.init.Xavier(), ctx=ctx)
    if hybridize:
        net.hybridize()
    # SGD, not Adam: Adam scales the conv bias's gradient (zero but for rounding, BatchNorm
    # follows) up to a full step, so two devices' rounding would decide the bias.
    trainer = gluon.Trainer(net.collect_params(), "sgd", {"learning_rate": 0.1, "momentum": 0.9})
    loss_fn = gluon.loss.SoftmaxCrossEntropyLoss()
    data = np.random.RandomState(5).uniform(size=(steps, 8, 1, 8, 8)).astype(np.float32)
    labels = np.random.RandomState(6).randint(0, 10, size=(steps, 8)).astype(np.float32)
    losses = []
    for x, y in zip(data, labels):
        x, y = nd.array(x, ctx=ctx), nd.array(y, ctx=ctx)
        x.attach_grad()
        with autograd.record():
            loss = loss_fn(net(x), y)
        loss.backward()
        trainer.step(x.shape[0])
        losses.append(loss.asnumpy())
    params = {_local(k): p.data().asnumpy() for k, p in net.collect_params().items()}
    assert all(p.data().context == ctx for p in net.collect_params().values())
    return np.stack(losses), params, x.grad.asnumpy()


@pytest.mark.parametrize("hybridize", [False, True], ids=["imperative", "hybridized"])
def test_training_on_gpu_equals_cpu(hybridize):
    want_loss, want_params, want_xgrad = _train(CPU, hybridize)
    got_loss, got_params, got_xgrad = _train(GPU, hybridize)
    _close(got_loss, want_loss, rtol=1e-3, atol=1e-4)
    _close(got_xgrad, want_xgrad, rtol=1e-3, atol=1e-5)
    for k in want_params:
        _close(got_params[k], want_params[k], rtol=1e-3, atol=1e-4, msg=k)


def test_hybridized_equals_imperative_on_gpu():
    imp = _train(GPU, hybridize=False, steps=2)
    hyb = _train(GPU, hybridize=True, steps=2)
    _close(hyb[0], imp[0], rtol=1e-4, atol=1e-5)
    for k in imp[1]:
        _close(hyb[1][k], imp[1][k], rtol=1e-4, atol=1e-5, msg=k)


def test_data_parallel_over_two_devices_equals_one():
    """Parameters on [gpu(0), cpu(0)], the batch split between them: the same step as one device."""
    x, y = _rand(6, 4), _rand(6, 3)

    def run(ctxs):
        mx.random.seed(11)
        net = nn.Dense(3, in_units=4)
        net.initialize(mx.init.Xavier(), ctx=ctxs)
        trainer = gluon.Trainer(net.collect_params(), "sgd", {"learning_rate": 0.1}, kvstore="device")
        xs = gluon.utils.split_and_load(x, ctxs)
        ys = gluon.utils.split_and_load(y, ctxs)
        with autograd.record():
            losses = [((net(a) - b) ** 2).sum() for a, b in zip(xs, ys)]
        autograd.backward(losses)
        trainer.step(6)
        return {_local(k): [d.asnumpy() for d in p.list_data()] for k, p in net.collect_params().items()}

    one = run([CPU])
    two = run([GPU, CPU])
    for k, (want,) in ((k, v) for k, v in one.items()):
        for got in two[k]:
            _close(got, want, rtol=1e-5, atol=1e-6, msg=k)


def test_kvstore_reduces_across_devices():
    for kind in ("local", "device"):
        kv = mx.kv.create(kind)
        kv.init("w", nd.zeros((2, 3), ctx=CPU))
        kv.push("w", [nd.ones((2, 3), ctx=GPU), nd.ones((2, 3), ctx=CPU) * 2])
        outs = [nd.zeros((2, 3), ctx=GPU), nd.zeros((2, 3), ctx=CPU)]
        kv.pull("w", out=outs)
        for o, ctx in zip(outs, (GPU, CPU)):
            assert o.context == ctx
            np.testing.assert_array_equal(o.asnumpy(), np.full((2, 3), 3.0))


@pytest.mark.parametrize("workers", [1, 2])
def test_distributed_kvstore_with_gpu_arrays(tmp_path, workers):
    """One worker per GPU reduces with NCCL; two workers sharing one GPU fall back to gloo."""
    from .kvstore.test_dist import _finish, _load, _start

    job = _start("gpu", tmp_path, ranks=tuple(range(workers)), world=workers)
    for code, err in _finish(job):
        assert code == 0, err[-3000:]
    total = sum(range(1, workers + 1))
    for r in range(workers):
        res = _load(str(tmp_path), "gpu", r)
        assert res["context"] == str(GPU)
        np.testing.assert_array_equal(res["push_pull"], np.full((2, 3), total))
        np.testing.assert_array_equal(res["pushpull"], np.concatenate([np.arange(4), np.arange(5)]) * total)
        if GPU != CPU:
            assert ("nccl" in res["backend"]) == (workers <= torch.cuda.device_count()), res["backend"]


def test_parameters_saved_on_gpu_load_on_cpu_and_back(tmp_path):
    net = _cnn()
    net.initialize(mx.init.Xavier(), ctx=GPU)
    net(nd.ones((1, 1, 8, 8), ctx=GPU))
    path = str(tmp_path / "net.params")
    net.save_parameters(path)
    on_cpu = _cnn()
    on_cpu.load_parameters(path, ctx=CPU)
    again = _cnn()
    again.load_parameters(path, ctx=GPU)
    for (k, a), b, c in zip(net.collect_params().items(), on_cpu.collect_params().values(),
                            again.collect_params().values()):
        assert b.data().context == CPU and c.data().context == GPU
        np.testing.assert_array_equal(b.data().asnumpy(), a.data().asnumpy(), err_msg=k)
        np.testing.assert_array_equal(c.data().asnumpy(), a.data().asnumpy(), err_msg=k)
    net.collect_params().reset_ctx(CPU)
    assert all(p.data().context == CPU for p in net.collect_params().values())


def test_export_on_gpu_and_import_on_either(tmp_path):
    net = _cnn()
    net.initialize(mx.init.Xavier(), ctx=GPU)
    net.hybridize()
    x = _rand(2, 1, 8, 8)
    want = net(nd.array(x, ctx=GPU)).asnumpy()
    prefix = str(tmp_path / "cnn")
    net.export(prefix, epoch=0)
    for ctx in (CPU, GPU):
        block = gluon.SymbolBlock.imports(prefix + "-symbol.json", ["data"], prefix + "-0000.params", ctx=ctx)
        got = block(nd.array(x, ctx=ctx))
        assert got.context == ctx
        _close(got.asnumpy(), want, rtol=1e-4, atol=1e-5)


def test_module_api_on_gpu():
    def fit(ctx):
        mx.random.seed(2)
        data = mx.sym.var("data")
        out = mx.sym.SoftmaxOutput(mx.sym.FullyConnected(data, num_hidden=3, name="fc"), name="softmax")
        x = np.random.RandomState(0).uniform(size=(12, 5)).astype(np.float32)
        y = np.random.RandomState(1).randint(0, 3, size=12).astype(np.float32)
        it = mx.io.NDArrayIter(x, y, batch_size=4, label_name="softmax_label")
        mod = mx.mod.Module(out, context=ctx)
        mod.fit(it, num_epoch=2, optimizer="sgd", optimizer_params={"learning_rate": 0.5},
                initializer=mx.init.Xavier())
        arg, _ = mod.get_params()
        return {k: v.asnumpy() for k, v in arg.items()}

    want, got = fit(CPU), fit(GPU)
    for k in want:
        _close(got[k], want[k], rtol=1e-4, atol=1e-5, msg=k)


def test_rnn_layers_on_gpu_equal_cpu():
    def run(ctx, hybridize):
        mx.random.seed(4)
        layer = gluon.rnn.LSTM(6, num_layers=2, bidirectional=True, input_size=5)
        layer.initialize(mx.init.Xavier(), ctx=ctx)
        if hybridize:
            layer.hybridize()
        x = nd.array(_RNN_X, ctx=ctx)
        x.attach_grad()
        with autograd.record():
            out = layer(x)
        out.backward()
        grads = {_local(k): p.grad(ctx).asnumpy() for k, p in layer.collect_params().items()}
        return out.asnumpy(), x.grad.asnumpy(), grads

    for hybridize in (False, True):
        want = run(CPU, hybridize)
        got = run(GPU, hybridize)
        _close(got[0], want[0], msg="output")
        _close(got[1], want[1], msg="input grad")
        for k in want[2]:
            _close(got[2][k], want[2][k], rtol=1e-3, atol=1e-5, msg=k)


_RNN_X = _rand(7, 3, 5)


def test_float16_inference_on_gpu():
    if GPU == CPU:
        pytest.skip("float16 convolution is a GPU feature")
    net = _cnn()
    net.initialize(mx.init.Xavier(), ctx=GPU)
    x = _rand(2, 1, 8, 8)
    want = net(nd.array(x, ctx=GPU)).asnumpy()
    net.cast("float16")
    got = net(nd.array(x, ctx=GPU, dtype="float16"))
    assert got.dtype == np.float16
    _close(got.asnumpy(), want, rtol=2e-2, atol=2e-2)


def test_numpy_interface_on_gpu():
    from gluonic import np as mnp
    from gluonic import npx

    a = _rand(3, 4)
    x = mnp.array(a, ctx=GPU)
    assert x.ctx == GPU if hasattr(x, "ctx") else x.context == GPU
    x.attach_grad()
    with autograd.record():
        y = (mnp.tanh(x) @ mnp.ones((4, 2), ctx=GPU)).sum()
    y.backward()
    _close(y.item(), np.tanh(a).sum() * 2, rtol=1e-5)
    _close(x.grad.asnumpy(), 2 * (1 - np.tanh(a) ** 2), rtol=1e-5)
    _close(npx.softmax(x).asnumpy(), np.exp(a) / np.exp(a).sum(-1, keepdims=True), rtol=1e-5)


def test_folded_tree_lstm_on_gpu_equals_cpu():
    sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "fold"))
    from treelstm_model import TreeLSTM, labels, random_tree

    from gluonic import fold

    r = np.random.RandomState(0)
    trees = [random_tree(r, int(r.randint(1, 12))) for _ in range(8)]
    ys = labels(r, len(trees))

    def run(ctx, enabled):
        mx.random.seed(1)
        net = TreeLSTM()
        net.initialize(mx.init.Xavier(), ctx=ctx)
        loss_fn = gluon.loss.SoftmaxCrossEntropyLoss()
        with ctx, fold.batching(enabled=enabled):
            with autograd.record():
                total = nd.add_n(*[loss_fn(net(t), nd.array([y])) for t, y in zip(trees, ys)])
            total.backward()
            value = total.asscalar()
        return value, {_local(k): p.grad(ctx).asnumpy() for k, p in net.collect_params().items()}

    want_loss, want_grads = run(CPU, enabled=False)
    for enabled in (False, True):
        loss, grads = run(GPU, enabled)
        _close(loss, want_loss, rtol=1e-5)
        for k in want_grads:
            _close(grads[k], want_grads[k], rtol=1e-3, atol=1e-5, msg=k)


def test_dataloader_pin_memory():
    data = gluon.data.ArrayDataset(_rand(10, 3), np.arange(10, dtype=np.float32))
    for workers in (0, 2):
        loader = gluon.data.DataLoader(data, batch_size=4, pin_memory=True, num_workers=workers)
        batches = list(loader)
        assert len(batches) == 3
        x, y = batches[0]
        if GPU != CPU:
            assert x.context == mx.cpu_pinned(0) and x._tensor.is_pinned()
        moved = x.as_in_context(GPU)
        _close(moved.asnumpy(), data[:4][0] if False else np.stack([data[i][0] for i in range(4)]))


def test_model_zoo_network_on_gpu_equals_cpu():
    from gluonic.gluon.model_zoo import vision

    mx.random.seed(0)
    net = vision.resnet18_v1(classes=10)
    net.initialize(mx.init.Xavier(), ctx=CPU)
    x = _rand(2, 3, 32, 32)
    want = net(nd.array(x, ctx=CPU)).asnumpy()
    net.collect_params().reset_ctx(GPU)
    net.hybridize()
    got = net(nd.array(x, ctx=GPU))
    assert got.context == GPU
    _close(got.asnumpy(), want, rtol=1e-3, atol=1e-4)


def test_onnx_export_of_a_gpu_model(tmp_path):
    ort = pytest.importorskip("onnxruntime")
    net = _cnn()
    net.initialize(mx.init.Xavier(), ctx=GPU)
    net.hybridize()
    x = _rand(2, 1, 8, 8)
    want = net(nd.array(x, ctx=GPU)).asnumpy()
    path = mx.onnx.export_model(net, onnx_file_path=str(tmp_path / "cnn.onnx"))
    sess = ort.InferenceSession(path, providers=["CPUExecutionProvider"])
    got = sess.run(None, {sess.get_inputs()[0].name: x})[0]
    _close(got, want, rtol=1e-4, atol=1e-5)


def test_memory_info_and_empty_cache():
    if GPU == CPU:
        pytest.skip("needs a real GPU")
    free, total = mx.context.gpu_memory_info(0)
    assert 0 < free <= total
    GPU.empty_cache()
    assert mx.context.num_gpus() == torch.cuda.device_count() >= 1
