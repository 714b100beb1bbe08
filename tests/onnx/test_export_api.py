"""export_model's MXNet 1.9 interface: symbol/params objects or files, prefixes, naming, errors, options."""
import os

import numpy as np
import pytest

onnx = pytest.importorskip("onnx")
pytest.importorskip("onnxruntime")

import gluonic as mx  # noqa: E402
from gluonic.base import GluonicValueError  # noqa: E402
from gluonic.gluon import nn  # noqa: E402

from .onnx_harness import run_onnx  # noqa: E402

RNG = np.random.default_rng(4)


def _mlp():
    data = mx.sym.var("data")
    h = mx.sym.FullyConnected(data, num_hidden=8, name="fc1")
    h = mx.sym.BatchNorm(h, name="bn1", fix_gamma=False)
    h = mx.sym.Activation(h, act_type="relu", name="relu1")
    out = mx.sym.FullyConnected(h, num_hidden=3, name="fc2")
    out = mx.sym.SoftmaxOutput(out, name="softmax")
    args = {"fc1_weight": RNG.standard_normal((8, 5)), "fc1_bias": RNG.standard_normal(8),
            "bn1_gamma": RNG.standard_normal(8), "bn1_beta": RNG.standard_normal(8),
            "fc2_weight": RNG.standard_normal((3, 8)), "fc2_bias": RNG.standard_normal(3)}
    aux = {"bn1_moving_mean": RNG.standard_normal(8), "bn1_moving_var": RNG.uniform(0.5, 2, 8)}
    to_nd = lambda d: {k: mx.nd.array(v.astype(np.float32)) for k, v in d.items()}  # noqa: E731
    return out, to_nd(args), to_nd(aux)


def _expected(sym, args, aux, x):
    vals = {**args, **aux, "data": mx.nd.array(x), "softmax_label": mx.nd.zeros((x.shape[0],))}
    return sym.eval(**vals)[0].asnumpy()


@pytest.mark.parametrize("form", ["dict", "list", "prefixed", "files"])
def test_param_forms(tmp_path, form):
    sym, args, aux = _mlp()
    x = RNG.standard_normal((2, 5)).astype(np.float32)
    if form == "dict":
        s, p = sym, {**args, **aux}
    elif form == "list":
        s, p = sym, [args, aux]
    elif form == "prefixed":
        s, p = sym, {**{f"arg:{k}": v for k, v in args.items()}, **{f"aux:{k}": v for k, v in aux.items()}}
    else:
        prefix = str(tmp_path / "mlp")
        sym.save(prefix + "-symbol.json")
        mx.nd.save(prefix + "-0003.params", {**{f"arg:{k}": v for k, v in args.items()},
                                              **{f"aux:{k}": v for k, v in aux.items()}})
        s, p = prefix + "-symbol.json", prefix + "-0003.params"
    path = mx.onnx.export_model(s, p, [(2, 5)], np.float32, onnx_file_path=str(tmp_path / "m.onnx"))
    assert path == str(tmp_path / "m.onnx")
    model = onnx.load(path)
    onnx.checker.check_model(model)
    assert [i.name for i in model.graph.input] == ["data"]  # the label is not an input
    assert [o.name for o in model.graph.output] == ["softmax"]  # MXNet's naming: softmax_output -> softmax
    np.testing.assert_allclose(run_onnx(path, {"data": x})[0], _expected(sym, args, aux, x), rtol=1e-5, atol=1e-6)


def test_old_argument_names_and_options(tmp_path):
    sym, args, aux = _mlp()
    path = mx.onnx.export_model(sym, {**args, **aux}, input_shape=[(1, 5)], input_type=np.float32,
                                onnx_file_path=str(tmp_path / "sub" / "m.onnx"), verbose=True,
                                run_shape_inference=True, opset_version=13)
    model = onnx.load(path)
    assert model.opset_import[0].version == 13
    assert len(model.graph.value_info) > 0  # shape inference annotated intermediate tensors


def test_dynamic_all_dims(tmp_path):
    sym, args, aux = _mlp()
    path = mx.onnx.export_model(sym, {**args, **aux}, [(2, 5)], onnx_file_path=str(tmp_path / "m.onnx"),
                                dynamic=True)
    model = onnx.load(path)
    dims = model.graph.input[0].type.tensor_type.shape.dim
    assert all(not d.HasField("dim_value") for d in dims)
    x = RNG.standard_normal((7, 5)).astype(np.float32)
    np.testing.assert_allclose(run_onnx(path, {"data": x})[0], _expected(sym, args, aux, x), rtol=1e-5, atol=1e-6)


def test_shape_from_variable_attribute(tmp_path):
    data = mx.sym.var("data", shape=(1, 4))
    out = mx.sym.relu(data, name="r")
    path = mx.onnx.export_model(out, {}, onnx_file_path=str(tmp_path / "m.onnx"))
    x = RNG.standard_normal((1, 4)).astype(np.float32)
    np.testing.assert_allclose(run_onnx(path, {"data": x})[0], np.maximum(x, 0))


def test_multiple_outputs_names(tmp_path):
    data = mx.sym.var("data")
    parts = mx.sym.split(data, num_outputs=2, axis=1, name="sp")
    out = mx.sym.Group([parts[0], parts[1], mx.sym.exp(data, name="e")])
    path = mx.onnx.export_model(out, {}, [(2, 4)], onnx_file_path=str(tmp_path / "m.onnx"))
    assert [o.name for o in onnx.load(path).graph.output] == ["sp0", "sp1", "e"]


def test_multiple_inputs_types(tmp_path):
    a, idx = mx.sym.var("a"), mx.sym.var("idx")
    out = mx.sym.take(a, idx, name="t")
    path = mx.onnx.export_model(out, {}, [(5, 3), (4,)], [np.float32, np.int64], onnx_file_path=str(tmp_path / "m"))
    x, i = RNG.standard_normal((5, 3)).astype(np.float32), np.array([0, 4, 2, 9], np.int64)
    np.testing.assert_allclose(run_onnx(path, {"a": x, "idx": i})[0], x[np.clip(i, 0, 4)])


def test_block_export_default_shapes(tmp_path):
    net = nn.HybridSequential()
    net.add(nn.Dense(4, activation="tanh"), nn.Dense(2))
    net.initialize()
    net.hybridize()
    x = RNG.standard_normal((3, 6)).astype(np.float32)
    want = net(mx.nd.array(x)).asnumpy()
    path = mx.onnx.export_model(net, onnx_file_path=str(tmp_path / "net.onnx"))
    np.testing.assert_allclose(run_onnx(path, {"data": x})[0], want, rtol=1e-5, atol=1e-6)


def test_errors(tmp_path):
    net = nn.Dense(3)
    net.initialize()
    with pytest.raises(GluonicValueError, match="run the block forward once"):
        mx.onnx.export_model(net, onnx_file_path=str(tmp_path / "m.onnx"))
    data = mx.sym.var("data")
    with pytest.raises(GluonicValueError, match="in_shapes is required"):
        mx.onnx.export_model(mx.sym.relu(data), {}, onnx_file_path=str(tmp_path / "m.onnx"))
    with pytest.raises(GluonicValueError, match="has 1 inputs"):
        mx.onnx.export_model(mx.sym.relu(data), {}, [(1, 2), (3,)], onnx_file_path=str(tmp_path / "m.onnx"))
    with pytest.raises(GluonicValueError, match="opset_version"):
        mx.onnx.export_model(mx.sym.relu(data), {}, [(1, 2)], onnx_file_path=str(tmp_path / "m.onnx"),
                             opset_version=9)
    with pytest.raises(GluonicValueError, match="dynamic=True"):
        mx.onnx.export_model(mx.sym.relu(data), {}, [(1, 2)], onnx_file_path=str(tmp_path / "m.onnx"),
                             dynamic_input_shapes=[(None, 2)])
    with pytest.raises(GluonicValueError, match=r"operator 'erfinv' \(node 'bad'\) has no ONNX conversion"):
        mx.onnx.export_model(mx.sym.erfinv(data, name="bad"), {}, [(1, 2)], onnx_file_path=str(tmp_path / "m"))
    with pytest.raises(GluonicValueError, match="projection_size"):
        rnn = mx.sym.RNN(data, mx.sym.var("p"), mx.sym.var("h"), mx.sym.var("c"), state_size=4, num_layers=1,
                         mode="lstm", projection_size=2, name="r")
        n = 4 * 4 * (3 + 2) + 2 * 4 * 4 + 2 * 4
        mx.onnx.export_model(rnn, {"p": mx.nd.zeros((n,))}, [(2, 1, 3), (1, 1, 2), (1, 1, 4)],
                             onnx_file_path=str(tmp_path / "m"))


def test_lazy_import():
    import subprocess
    import sys

    code = "import sys, gluonic; assert 'onnx' not in sys.modules and 'gluonic.onnx' not in sys.modules; " \
           "gluonic.onnx.export_model; assert 'onnx' not in sys.modules"
    subprocess.run([sys.executable, "-c", code], check=True, cwd=os.path.dirname(os.path.dirname(mx.__file__)))


def test_operator_support_list():
    ops = mx.onnx.get_operator_support()
    for name in ("Convolution", "BatchNorm", "RNN", "Reshape", "FullyConnected", "SliceChannel", "split"):
        assert name in ops


DATA = os.path.join(os.path.dirname(__file__), "data")


@pytest.mark.parametrize("name", ["cnn", "rnn"])
def test_checkpoint_written_by_mxnet(tmp_path, name):
    """Files exported by real MXNet 1.9.1 (HybridBlock.export), compared with MXNet's own outputs."""
    expected = np.load(os.path.join(DATA, "mx_expected.npz"))
    x, want = expected[f"{name}_x"], expected[f"{name}_y"]
    prefix = os.path.join(DATA, f"mx{name}")
    for dynamic in (False, True):
        dyn = [(None,) + x.shape[1:]] if name == "cnn" else [(x.shape[0], None, x.shape[2])]
        path = mx.onnx.export_model(prefix + "-symbol.json", prefix + "-0000.params", [x.shape], np.float32,
                                    str(tmp_path / "m.onnx"), dynamic=dynamic,
                                    dynamic_input_shapes=dyn if dynamic else None)
        np.testing.assert_allclose(run_onnx(path, {"data": x})[0], want, rtol=1e-4, atol=1e-5)
        if dynamic:  # one sample of the batch alone
            one = x[:1] if name == "cnn" else x[:, :1]
            got = run_onnx(path, {"data": one})[0]
            np.testing.assert_allclose(got, want[:1] if name == "cnn" else want[:, :1], rtol=1e-4, atol=1e-5)


def test_symbol_block_from_mxnet_files(tmp_path):
    expected = np.load(os.path.join(DATA, "mx_expected.npz"))
    x, want = expected["cnn_x"], expected["cnn_y"]
    prefix = os.path.join(DATA, "mxcnn")
    block = mx.gluon.SymbolBlock.imports(prefix + "-symbol.json", ["data"], prefix + "-0000.params")
    block.hybridize()
    block(mx.nd.array(x))
    path = mx.onnx.export_model(block, onnx_file_path=str(tmp_path / "m.onnx"))
    np.testing.assert_allclose(run_onnx(path, {"data": x})[0], want, rtol=1e-4, atol=1e-5)


def test_inputs_and_constants_as_outputs():
    d, w = mx.sym.var("data"), mx.sym.var("w")
    g = mx.sym.Group([d, w, mx.sym.relu(d, name="r"), mx.sym.relu(d, name="r")])
    model = mx.onnx.export_onnx_model(g, {"w": mx.nd.ones((2,))}, [(1, 3)])
    onnx.checker.check_model(model)
    assert [o.name for o in model.graph.output] == ["data_output", "w_output", "r", "r_1"]
