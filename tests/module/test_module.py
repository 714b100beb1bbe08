"""mx.mod.Module and mx.callback: classic MXNet 1.x scripts, step-by-step equality with MXNet 1.9.1, errors."""
import logging
import os
import re
import types
import warnings

import numpy as np
import pytest

import gluonic as mx
from gluonic import callback, module
from gluonic.module import BatchEndParam, Module, ModuleStateError
from tests.golden import make_golden_module as golden

GOLDEN = os.path.join(os.path.dirname(os.path.dirname(__file__)), "golden", "module")
# gluonic's namespace as the golden generator sees MXNet's (the lead re-exports mod/callback).
MX = types.SimpleNamespace(sym=mx.sym, nd=mx.nd, io=mx.io, init=mx.init, mod=module, callback=callback)


def mlp(num_hidden=32, num_classes=4):
    data = mx.sym.Variable("data")
    fc1 = mx.sym.FullyConnected(data, name="fc1", num_hidden=num_hidden)
    act1 = mx.sym.Activation(fc1, name="relu1", act_type="relu")
    fc2 = mx.sym.FullyConnected(act1, name="fc2", num_hidden=num_classes)
    return mx.sym.SoftmaxOutput(fc2, name="softmax")


def blobs(n, dim=10, classes=4, seed=0):
    rng = np.random.RandomState(seed)
    centers = rng.randn(classes, dim) * 3
    y = rng.randint(0, classes, n)
    x = centers[y] + rng.randn(n, dim)
    return x.astype(np.float32), y.astype(np.float32)


def bound(sym=None, batch=8, dim=10, **kw):
    mod = Module(sym if sym is not None else mlp(), **kw)
    mod.bind(data_shapes=[("data", (batch, dim))], label_shapes=[("softmax_label", (batch,))])
    mod.init_params(mx.init.Xavier())
    return mod


def close(a, b, rtol=1e-5, atol=1e-6):
    np.testing.assert_allclose(a.asnumpy() if hasattr(a, "asnumpy") else a,
                               b.asnumpy() if hasattr(b, "asnumpy") else b, rtol=rtol, atol=atol)


# ---------------------------------------------------------------------- a classic script
def test_classic_fit_script_reaches_high_accuracy(caplog):
    x, y = blobs(400)
    vx, vy = blobs(100, seed=0)
    train_iter = mx.io.NDArrayIter(x, y, batch_size=32, shuffle=True)
    val_iter = mx.io.NDArrayIter(vx, vy, batch_size=32)
    mod = Module(symbol=mlp(), context=mx.cpu(), data_names=["data"], label_names=["softmax_label"])
    with caplog.at_level(logging.INFO):
        mod.fit(train_iter, eval_data=val_iter, optimizer="sgd", optimizer_params={"learning_rate": 0.1},
                eval_metric="acc", num_epoch=6)
    msgs = [r.getMessage() for r in caplog.records]
    assert re.fullmatch(r"Epoch\[0\] Train-accuracy=\d\.\d{6}", msgs[0])
    assert re.fullmatch(r"Epoch\[0\] Time cost=\d+\.\d{3}", msgs[1])
    assert re.fullmatch(r"Epoch\[5\] Validation-accuracy=\d\.\d{6}", msgs[-1])
    assert float(msgs[-1].split("=")[1]) > 0.95
    assert mod.score(val_iter, "acc")[0][1] > 0.95
    probs = mod.predict(val_iter)
    assert probs.shape == (100, 4)
    assert (probs.asnumpy().argmax(1) == vy).mean() > 0.95
    args, auxs = mod.get_params()
    assert sorted(args) == ["fc1_bias", "fc1_weight", "fc2_bias", "fc2_weight"] and auxs == {}
    assert all(v.context == mx.cpu() for v in args.values())


# ---------------------------------------------------------------------- equality with MXNet 1.9.1
@pytest.mark.parametrize("case", sorted(golden.CASES))
def test_step_by_step_matches_mxnet(case):
    """forward/backward/update per batch (a partial third batch in mlp_bn), then predict/score, vs MXNet."""
    expected = mx.nd.load(os.path.join(GOLDEN, f"{case}.nd"))
    _, got = golden.run_case(MX, case)
    assert sorted(got) == sorted(expected)
    for key in expected:
        close(got[key], expected[key], rtol=1e-5, atol=1e-6)


def test_fixed_param_names_are_not_updated_and_others_are():
    mod = bound(fixed_param_names=["fc1_weight"])
    mod.init_optimizer(optimizer_params={"learning_rate": 0.5})
    before = {k: v.copy() for k, v in mod.get_params()[0].items()}
    x, y = blobs(8)
    mod.forward_backward(mx.io.DataBatch([mx.nd.array(x)], [mx.nd.array(y)]))
    mod.update()
    after = mod.get_params()[0]
    close(after["fc1_weight"], before["fc1_weight"], rtol=0, atol=0)
    # MXNet 1.9.1 (oneDNN) leaves fc1_bias untouched here too: its FC backward drops the bias
    # gradient when the weight's grad_req is 'null'. gluonic trains the bias.
    for name in ("fc1_bias", "fc2_weight", "fc2_bias"):
        assert np.abs(after[name].asnumpy() - before[name].asnumpy()).max() > 1e-4
    assert mod._exec_group.execs[0].grad_dict["fc1_weight"] is None


# ---------------------------------------------------------------------- checkpoints
def test_load_checkpoint_written_by_mxnet():
    expected = mx.nd.load(os.path.join(GOLDEN, "mlp_bn.nd"))
    mod = Module.load(os.path.join(GOLDEN, "mlp_bn"), 3)
    assert mod.params_initialized and not mod.binded
    val = mx.io.NDArrayIter(expected["val:data"], expected["val:label"], batch_size=8)
    mod.bind(val.provide_data, val.provide_label, for_training=False)
    close(mod.predict(val), expected["predict"])
    args, auxs = mod.get_params()
    close(args["fc2_weight"], expected["b2:arg:fc2_weight"])
    close(auxs["bn1_moving_var"], expected["b2:aux:bn1_moving_var"])


def test_checkpoint_round_trip_with_optimizer_states(tmp_path):
    prefix = str(tmp_path / "mlp")
    x, y = blobs(16)
    batch = mx.io.DataBatch([mx.nd.array(x[:8])], [mx.nd.array(y[:8])])
    mod = bound()
    mod.init_optimizer(optimizer="sgd", optimizer_params={"learning_rate": 0.1, "momentum": 0.9})
    mod.forward_backward(batch)
    mod.update()
    mod.save_checkpoint(prefix, 1, save_optimizer_states=True)
    assert sorted(os.listdir(tmp_path)) == ["mlp-0001.params", "mlp-0001.states", "mlp-symbol.json"]
    sym, args, auxs = mx.model.load_checkpoint(prefix, 1)
    assert sym.tojson() == mod.symbol.tojson()
    for k, v in mod.get_params()[0].items():
        close(args[k], v, rtol=0, atol=0)

    mod2 = Module.load(prefix, 1, load_optimizer_states=True)
    mod2.bind([("data", (8, 10))], [("softmax_label", (8,))])
    mod2.init_optimizer(optimizer="sgd", optimizer_params={"learning_rate": 0.1, "momentum": 0.9})
    batch2 = mx.io.DataBatch([mx.nd.array(x[8:])], [mx.nd.array(y[8:])])
    for m in (mod, mod2):  # the same step: equal only if the momentum was restored
        m.forward_backward(batch2)
        m.update()
    for k, v in mod.get_params()[0].items():
        close(mod2.get_params()[0][k], v)

    mod3 = bound()
    mod3.load_params(prefix + "-0001.params")
    for k, v in args.items():
        close(mod3.get_params()[0][k], v, rtol=0, atol=0)


# ---------------------------------------------------------------------- callbacks
def test_fit_with_callbacks_logs_exactly_as_mxnet(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    got = golden.masked_log(lambda: golden.fit_with_callbacks(MX))
    with open(os.path.join(GOLDEN, "fit_log.txt")) as f:
        expected = f.read()
    number = re.compile(r"\d+\.\d+")
    got_lines, exp_lines = got.splitlines(), expected.splitlines()
    assert len(got_lines) == len(exp_lines)
    for g, e in zip(got_lines, exp_lines):
        assert number.sub("#", g) == number.sub("#", e)
        np.testing.assert_allclose([float(v) for v in number.findall(g)], [float(v) for v in number.findall(e)],
                                   rtol=1e-4, atol=2e-6)
    assert sorted(os.listdir(tmp_path)) == ["fitlog-0002.params", "fitlog-symbol.json"]


class _Metric:
    def __init__(self):
        self.resets = 0

    def get_name_value(self):
        return [("accuracy", 0.5), ("cross-entropy", 1.25)]

    def reset_local(self):
        self.resets += 1


def test_speedometer_formats(caplog):
    caplog.set_level(logging.INFO)
    metric = _Metric()
    speedo = callback.Speedometer(batch_size=4, frequent=2)
    for n in range(5):
        speedo(BatchEndParam(epoch=3, nbatch=n, eval_metric=metric, locals=None))
    no_reset = callback.Speedometer(batch_size=4, frequent=2, auto_reset=False)
    no_metric = callback.Speedometer(batch_size=4, frequent=2)
    for n in range(3):
        no_reset(BatchEndParam(epoch=0, nbatch=n, eval_metric=metric, locals=None))
        no_metric(BatchEndParam(epoch=1, nbatch=n, eval_metric=None, locals=None))
    msgs = [r.getMessage() for r in caplog.records]
    speed = r"Speed: (\d+\.\d\d|inf) samples/sec"
    assert len(msgs) == 4
    assert re.fullmatch(r"Epoch\[3\] Batch \[0-2\]\t" + speed + r"\taccuracy=0.500000\tcross-entropy=1.250000", msgs[0])
    assert re.fullmatch(r"Epoch\[3\] Batch \[2-4\]\t" + speed + r"\taccuracy=0.500000\tcross-entropy=1.250000", msgs[1])
    assert re.fullmatch(r"Epoch\[0\] Batch \[0-2\]\t" + speed + r"\taccuracy=0.500000\tcross-entropy=1.250000", msgs[2])
    assert re.fullmatch(r"Iter\[1\] Batch \[2\]\t" + speed, msgs[3])
    assert metric.resets == 2  # auto_reset only


def test_progress_bar_log_train_metric_and_validation_callback(caplog):
    caplog.set_level(logging.INFO)
    metric = _Metric()
    callback.ProgressBar(total=4, length=8)(BatchEndParam(0, 1, metric, None))
    callback.log_train_metric(2, auto_reset=True)(BatchEndParam(1, 4, metric, None))
    callback.log_train_metric(2)(BatchEndParam(1, 3, metric, None))
    callback.LogValidationMetricsCallback()(BatchEndParam(2, 0, metric, None))
    assert [r.getMessage() for r in caplog.records] == [
        "[==------] 25%\r", "Iter[1] Batch[4] Train-accuracy=0.500000", "Iter[1] Batch[4] Train-cross-entropy=1.250000",
        "Epoch[2] Validation-accuracy=0.500000", "Epoch[2] Validation-cross-entropy=1.250000"]
    assert metric.resets == 1


def test_epoch_end_callbacks_and_module_checkpoint(tmp_path):
    x, y = blobs(16)
    it = mx.io.NDArrayIter(x, y, batch_size=8)
    seen = []
    mod = Module(mlp())
    prefix = str(tmp_path / "m")
    mod.fit(it, num_epoch=2, epoch_end_callback=[lambda *a: seen.append(a),
                                                 callback.module_checkpoint(mod, prefix, save_optimizer_states=True)])
    assert [s[0] for s in seen] == [0, 1] and seen[0][1] is mod.symbol
    assert sorted(seen[1][2]) == ["fc1_bias", "fc1_weight", "fc2_bias", "fc2_weight"]
    assert sorted(os.listdir(tmp_path)) == ["m-0001.params", "m-0001.states", "m-0002.params", "m-0002.states",
                                            "m-symbol.json"]


# ---------------------------------------------------------------------- batches, shapes, prediction
class _Batches(mx.io.DataIter):
    """Batches of 8, 8 and a partial 3 (as a custom iterator without padding would give)."""

    def __init__(self, x, y, sizes=(8, 8, 3)):
        super().__init__(8)
        self.x, self.y, self.sizes = x, y, sizes
        self.reset()

    def reset(self):
        self.k, self.start = 0, 0

    @property
    def provide_data(self):
        return [mx.io.DataDesc("data", (8,) + self.x.shape[1:])]

    @property
    def provide_label(self):
        return [mx.io.DataDesc("softmax_label", (8,))]

    def next(self):
        if self.k == len(self.sizes):
            raise StopIteration
        n, s = self.sizes[self.k], self.start
        self.k, self.start = self.k + 1, s + n
        return mx.io.DataBatch([mx.nd.array(self.x[s:s + n])], [mx.nd.array(self.y[s:s + n])], pad=0)


def test_partial_last_batch_in_fit_and_back():
    x, y = blobs(19)
    mod = Module(mlp())
    mod.fit(_Batches(x, y), num_epoch=2, optimizer_params={"learning_rate": 0.1})
    assert mod.output_shapes == [("softmax_output", (3, 4))]  # the last batch was partial
    assert mod._optimizer.rescale_grad == 1 / 8  # as MXNet: set from the bound batch size
    mod.forward(mx.io.DataBatch([mx.nd.array(x[:8])], [mx.nd.array(y[:8])]), is_train=False)
    assert mod.get_outputs()[0].shape == (8, 4)
    assert mod.data_shapes[0].shape == (8, 10)
    preds = mod.predict(_Batches(x, y))
    assert preds.shape == (19, 4)
    single = mod.predict(x[:5])  # one NumPy batch: reshapes, labels included (MXNet fails here)
    close(single, preds[:5])


def test_explicit_reshape_shares_parameters():
    mod = bound()
    mod.reshape([("data", (3, 10))], [("softmax_label", (3,))])
    assert mod.output_shapes == [("softmax_output", (3, 4))]
    x, _ = blobs(3)
    mod.forward(mx.io.DataBatch([mx.nd.array(x)]), is_train=False)
    w = mod.get_params()[0]
    h = np.maximum(x @ w["fc1_weight"].asnumpy().T + w["fc1_bias"].asnumpy(), 0)
    z = h @ w["fc2_weight"].asnumpy().T + w["fc2_bias"].asnumpy()
    p = np.exp(z - z.max(1, keepdims=True))
    close(mod.get_outputs()[0], p / p.sum(1, keepdims=True))


def test_predict_variants_and_iter_predict():
    x, y = blobs(11)
    it = mx.io.NDArrayIter(x, y, batch_size=4)
    mod = bound(batch=4)
    merged = mod.predict(it)
    assert merged.shape == (11, 4)
    per_batch = mod.predict(it, merge_batches=False)
    assert [len(b) for b in per_batch] == [1, 1, 1] and per_batch[2][0].shape == (3, 4)
    assert mod.predict(it, always_output_list=True)[0].shape == (11, 4)
    assert len(mod.predict(it, num_batch=2, merge_batches=False)) == 2
    outs = [(o[0].shape, i, b.pad) for o, i, b in mod.iter_predict(it)]
    assert outs == [((4, 4), 0, 0), ((4, 4), 1, 0), ((3, 4), 2, 1)]
    names = [n for n, _ in mod.score(it, ["acc", "ce"])]
    assert names == ["accuracy", "cross-entropy"]
    with pytest.raises(ValueError, match="eval_data must be of type NDArray or DataIter"):
        mod.predict([1, 2])


def test_predict_only_module_without_labels():
    sym = mlp()
    trained = bound(sym)
    mod = Module(sym, label_names=None)
    mod.bind(data_shapes=[("data", (4, 10))], for_training=False)
    mod.set_params(*trained.get_params(), allow_missing=True)  # softmax_label counts as a parameter here
    assert mod.label_shapes is None
    x, y = blobs(6)
    close(mod.predict(mx.io.NDArrayIter(x, batch_size=4)), trained.predict(mx.io.NDArrayIter(x, y, batch_size=8)))


def test_input_grads_and_out_grads_for_a_non_loss_output():
    net = mx.sym.FullyConnected(mx.sym.var("data"), num_hidden=3, name="fc")
    mod = Module(net, label_names=None)
    mod.bind([("data", (2, 5))], inputs_need_grad=True)
    mod.init_params(mx.init.Normal(1.0))
    mod.forward(mx.io.DataBatch([mx.nd.ones((2, 5))]), is_train=True)
    head = np.array([[1, 2, 3], [0, 1, 0]], dtype=np.float32)
    mod.backward(out_grads=[mx.nd.array(head)])
    w = mod.get_params()[0]["fc_weight"].asnumpy()
    close(mod.get_input_grads()[0], head @ w)
    close(mod._exec_group.execs[0].grad_dict["fc_bias"], head.sum(0))


def test_multiple_contexts_split_the_batch_and_match_one_context():
    x, y = blobs(16)
    batch = mx.io.DataBatch([mx.nd.array(x[:8])], [mx.nd.array(y[:8])])
    init = {k: mx.nd.array(np.random.RandomState(1).uniform(-0.3, 0.3, s))
            for k, s in [("fc1_weight", (32, 10)), ("fc1_bias", (32,)), ("fc2_weight", (4, 32)), ("fc2_bias", (4,))]}
    mods = []
    for ctx in (mx.cpu(), [mx.cpu(0), mx.cpu(1)]):
        mod = Module(mlp(), context=ctx, work_load_list=None if isinstance(ctx, mx.Context) else [1, 3])
        mod.bind([("data", (8, 10))], [("softmax_label", (8,))])
        mod.init_params(arg_params=init)
        mod.init_optimizer(optimizer_params={"learning_rate": 0.5, "momentum": 0.9})
        for _ in range(2):
            mod.forward_backward(batch)
            mod.update()
        mods.append(mod)
    one, two = mods
    assert [e.arg_dict["data"].shape for e in two._exec_group.execs] == [(2, 10), (6, 10)]
    for k, v in one.get_params()[0].items():
        close(two.get_params()[0][k], v)
    close(two.get_outputs()[0], one.get_outputs()[0])
    assert len(two.get_outputs(merge_multi_context=False)[0]) == 2


def test_state_names():
    data, state = mx.sym.var("data"), mx.sym.var("state", shape=(1, 3))  # gluonic does not infer it from data + state yet
    net = mx.sym.FullyConnected(data + state, num_hidden=2, name="fc", no_bias=True)
    mod = Module(net, label_names=None, state_names=["state"])
    mod.bind([("data", (1, 3))], for_training=False)
    mod.init_params(mx.init.One())
    assert list(mod.get_params()[0]) == ["fc_weight"]
    mod.set_states(value=2.0)
    mod.forward(mx.io.DataBatch([mx.nd.ones((1, 3))]))
    close(mod.get_outputs()[0], [[9.0, 9.0]])
    assert mod.get_states(merge_multi_context=False)[0][0].shape == (1, 3)


def test_params_are_cpu_copies_refreshed_after_update():
    mod = bound()
    mod.init_optimizer(optimizer_params={"learning_rate": 1.0})
    args = mod.get_params()[0]
    old = args["fc2_bias"].copy()
    x, y = blobs(8)
    mod.forward_backward(mx.io.DataBatch([mx.nd.array(x)], [mx.nd.array(y)]))
    mod.update()
    assert mod.get_params()[0] is not None and mod.get_params()[0]["fc2_bias"] is args["fc2_bias"]
    assert np.abs(args["fc2_bias"].asnumpy() - old.asnumpy()).max() > 1e-3
    args["fc2_bias"][:] = 0  # writing the copy does not change the module until set_params
    mod.forward(mx.io.DataBatch([mx.nd.array(x)]), is_train=False)
    before = mod.get_outputs()[0].asnumpy().copy()
    mod.set_params(*mod.get_params())
    mod.forward(mx.io.DataBatch([mx.nd.array(x)]), is_train=False)
    assert not np.allclose(before, mod.get_outputs()[0].asnumpy())


def test_init_optimizer_with_an_optimizer_object_and_rescale_warning():
    mod = bound()
    opt = mx.optimizer.SGD(learning_rate=0.1)
    with pytest.warns(UserWarning, match="rescale_grad is not normalized"):
        mod.init_optimizer(optimizer=opt)
    assert opt.idx2name == {0: "fc1_weight", 1: "fc1_bias", 2: "fc2_weight", 3: "fc2_bias"}
    mod2 = bound()
    mod2.init_optimizer(optimizer="sgd", optimizer_params=(("learning_rate", 0.2), ("wd", 0.1)))
    assert mod2._optimizer.rescale_grad == 1 / 8 and mod2._optimizer.wd == 0.1


def test_repeated_calls_warn_and_do_nothing(caplog):
    mod = bound()
    with pytest.warns(UserWarning, match="Parameters already initialized and force_init=False"):
        mod.init_params()
    with caplog.at_level(logging.WARNING):
        mod.bind([("data", (8, 10))], [("softmax_label", (8,))])
        mod.init_optimizer()
        mod.init_optimizer()
    assert [r.getMessage() for r in caplog.records] == ["Already bound, ignoring bind()",
                                                        "optimizer already initialized, ignoring..."]


def test_force_rebind_keeps_updated_parameters():
    mod = bound()
    mod.init_optimizer(optimizer_params={"learning_rate": 1.0})
    x, y = blobs(8)
    mod.forward_backward(mx.io.DataBatch([mx.nd.array(x)], [mx.nd.array(y)]))
    mod.update()
    device = mod._exec_group.execs[0].arg_dict["fc2_bias"].asnumpy()
    mod.bind([("data", (4, 10))], [("softmax_label", (4,))], force_rebind=True)
    close(mod._exec_group.execs[0].arg_dict["fc2_bias"], device)  # MXNet would restore pre-update values


# ---------------------------------------------------------------------- errors
def test_errors():
    mod = Module(mlp())
    with pytest.raises(ModuleStateError, match=r"Module.forward: call bind\(\) and init_params\(\) first") as e:
        mod.forward(mx.io.DataBatch([mx.nd.ones((8, 10))]))
    assert isinstance(e.value, AssertionError)  # what MXNet raises
    with pytest.raises(AssertionError, match="call bind before initializing the parameters"):
        mod.init_params()
    with pytest.raises(AssertionError, match="please specify number of epochs"):
        mod.fit(mx.io.NDArrayIter(np.zeros((4, 10)), np.zeros(4), batch_size=2))
    with pytest.raises(ValueError, match=r"input with name 'x' is not found in symbol.list_arguments\(\)"):
        Module(mlp(), data_names=["x"])
    with pytest.warns(UserWarning, match="input with name 'y' is not found"):
        Module(mlp(), label_names=["y"])
    with pytest.raises(ValueError, match="don't match names specified by data_names"):
        Module(mlp()).bind([("x", (8, 10))])
    mod = Module(mlp())
    mod.bind([("data", (8, 10))], [("softmax_label", (8,))])
    with pytest.raises(RuntimeError, match="fc1_bias is not presented"):
        mod.init_params(arg_params={"fc1_weight": mx.nd.zeros((32, 10))})
    with pytest.raises(ValueError, match=r"'fc1_weight' has shape \(32, 10\).*Received: shape \(3, 3\)"):
        mod.init_params(arg_params={"fc1_weight": mx.nd.zeros((3, 3))}, allow_missing=True)
    mod.init_params()
    with pytest.raises(ModuleStateError, match=r"Module.update: call init_optimizer\(\) first"):
        mod.update()
    with pytest.raises(AssertionError, match="inputs_need_grad=True"):
        mod.get_input_grads()
    with pytest.raises(TypeError, match="kvstore must be KVStore, str or None"):
        mod.init_optimizer(kvstore=3)
    pred = Module(mlp())
    with pytest.warns(UserWarning, match="label_shapes don.t match"):
        pred.bind([("data", (8, 10))], for_training=False)
    pred.init_params()
    pred.forward(mx.io.DataBatch([mx.nd.ones((8, 10))]))
    with pytest.raises(AssertionError, match="re-bind with for_training=True"):
        pred.backward()


def test_sparse_row_id_fn_warns():
    mod = bound()
    with warnings.catch_warnings(record=True) as w:
        warnings.simplefilter("always")
        mod.prepare(None, sparse_row_id_fn=lambda b: {})
    assert "No need to call sparse_row_id_fn" in str(w[0].message)
