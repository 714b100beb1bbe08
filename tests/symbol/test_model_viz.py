"""mx.model checkpoints (ours and real MXNet's) and mx.viz (print_summary, plot_network) against MXNet 1.9.1."""
import contextlib
import io
import os
import subprocess
import sys
import textwrap

import numpy as np
import pytest

import gluonic as mx
from gluonic import model, nd
from gluonic import visualization as viz
from gluonic.base import FileFormatError

GOLDEN = os.path.join(os.path.dirname(os.path.dirname(__file__)), "golden", "checkpoint")
PREFIX = os.path.join(GOLDEN, "convnet")
DATA_SHAPE = (2, 3, 6, 6)
MXNET_PYTHON = os.environ.get("MXNET_PYTHON", "/work/mxvenv/bin/python")


def _convnet():
    """The network of tests/golden/make_golden_checkpoint.py, built with gluonic."""
    data = mx.sym.var("data")
    net = mx.sym.Convolution(data, num_filter=4, kernel=(3, 3), pad=(1, 1), name="conv1")
    net = mx.sym.BatchNorm(net, fix_gamma=False, name="bn1")
    net = mx.sym.Activation(net, act_type="relu", name="relu1")
    net = mx.sym.Pooling(net, kernel=(2, 2), stride=(2, 2), pool_type="max", name="pool1")
    net = mx.sym.Flatten(net, name="flat")
    net = mx.sym.FullyConnected(net, num_hidden=5, name="fc1")
    return mx.sym.SoftmaxOutput(net, name="softmax")


def _mlp():
    mlp = mx.sym.FullyConnected(mx.sym.var("data"), num_hidden=8, name="fc1")
    mlp = mx.sym.Activation(mlp, act_type="relu", name="relu1")
    return mx.sym.FullyConnected(mlp, num_hidden=3, name="fc2")


def _printed(fn, *args, **kwargs) -> str:
    buf = io.StringIO()
    with contextlib.redirect_stdout(buf):
        fn(*args, **kwargs)
    return buf.getvalue()


# ---------------------------------------------------------------------- checkpoints
def test_checkpoint_round_trip(tmp_path):
    sym = _convnet()
    arg_shapes, _, aux_shapes = sym.infer_shape(data=DATA_SHAPE)
    rng = np.random.RandomState(1)
    args = {n: nd.array(rng.rand(*s)) for n, s in zip(sym.list_arguments(), arg_shapes) if n != "data"}
    auxs = {n: nd.array(rng.rand(*s)) for n, s in zip(sym.list_auxiliary_states(), aux_shapes)}
    prefix = str(tmp_path / "net")
    model.save_checkpoint(prefix, 12, sym, args, auxs)
    assert sorted(os.listdir(tmp_path)) == ["net-0012.params", "net-symbol.json"]
    keys = set(nd.load(prefix + "-0012.params"))
    assert keys == {f"arg:{k}" for k in args} | {f"aux:{k}" for k in auxs}
    sym2, args2, auxs2 = model.load_checkpoint(prefix, 12)
    assert sym2.tojson() == sym.tojson()
    assert args2.keys() == args.keys() and auxs2.keys() == auxs.keys()
    for k in args:
        np.testing.assert_array_equal(args2[k].asnumpy(), args[k].asnumpy())
    os.remove(prefix + "-symbol.json")
    model.save_checkpoint(prefix, 13, None, args, {})  # symbol=None writes only the params
    assert sorted(os.listdir(tmp_path)) == ["net-0012.params", "net-0013.params"]
    args3, auxs3 = model.load_params(prefix, 13)
    assert args3.keys() == args.keys() and auxs3 == {}


def test_load_params_rejects_files_that_are_not_checkpoints(tmp_path):
    nd.save(str(tmp_path / "a-0000.params"), {"weight": nd.ones(2)})
    with pytest.raises(FileFormatError, match="key 'weight' is not 'arg:<name>'"):
        model.load_params(str(tmp_path / "a"), 0)
    nd.save(str(tmp_path / "b-0000.params"), [nd.ones(2)])
    with pytest.raises(FileFormatError, match="list of 1 unnamed arrays"):
        model.load_params(str(tmp_path / "b"), 0)


def test_mxnet_checkpoint_loads():
    sym, args, auxs = model.load_checkpoint(PREFIX, 3)
    assert sym.list_arguments() == _convnet().list_arguments()
    assert sym.list_auxiliary_states() == ["bn1_moving_mean", "bn1_moving_var"]
    assert sorted(args) == ["bn1_beta", "bn1_gamma", "conv1_bias", "conv1_weight", "fc1_bias", "fc1_weight"]
    assert args["conv1_weight"].shape == (4, 3, 3, 3) and auxs["bn1_moving_var"].shape == (4,)


def test_simple_bind_on_mxnet_checkpoint_matches_mxnet():
    """simple_bind + copy_params_from + forward(is_train=True) + backward vs numbers MXNet 1.9.1 computed."""
    sym, args, auxs = model.load_checkpoint(PREFIX, 3)
    golden = nd.load(PREFIX + "-results.nd")
    ex = sym.simple_bind(mx.cpu(), data=DATA_SHAPE)  # the label's shape is inferred, as in MXNet
    ex.copy_params_from(args, auxs)
    out = ex.forward(is_train=True, data=golden["data"], softmax_label=golden["label"])[0]
    np.testing.assert_allclose(out.asnumpy(), golden["out_train"].asnumpy(), rtol=1e-5, atol=1e-6)
    ex.backward()
    for name, grad in ex.grad_dict.items():
        np.testing.assert_allclose(grad.asnumpy(), golden[f"grad:{name}"].asnumpy(), rtol=1e-4, atol=1e-5,
                                   err_msg=name)
    # MXNet updates BatchNorm's moving statistics in backward, gluonic in the training forward:
    # after forward + backward both hold the same values.
    for name, arr in ex.aux_dict.items():
        np.testing.assert_allclose(arr.asnumpy(), golden[f"aux:{name}"].asnumpy(), rtol=1e-5, atol=1e-6)
        assert not np.allclose(arr.asnumpy(), golden[f"aux_forward:{name}"].asnumpy())
    out = ex.forward(is_train=False)[0]
    np.testing.assert_allclose(out.asnumpy(), golden["out_predict"].asnumpy(), rtol=1e-5, atol=1e-6)


@pytest.mark.skipif(not os.path.exists(MXNET_PYTHON), reason="no Python with mxnet 1.9.1 (set MXNET_PYTHON)")
def test_our_checkpoint_runs_in_real_mxnet(tmp_path):
    sym, args, auxs = model.load_checkpoint(PREFIX, 3)
    prefix = str(tmp_path / "ours")
    model.save_checkpoint(prefix, 0, sym, args, auxs)
    x = nd.load(PREFIX + "-results.nd")["data"]
    ex = sym.simple_bind(mx.cpu(), grad_req="null", data=DATA_SHAPE)
    ex.copy_params_from(args, auxs)
    y = ex.forward(data=x)[0]
    nd.save(str(tmp_path / "x.nd"), [x])
    script = textwrap.dedent(f"""
        import mxnet as mx
        sym, args, auxs = mx.model.load_checkpoint({prefix!r}, 0)
        ex = sym.simple_bind(mx.cpu(), grad_req="null", data={DATA_SHAPE})
        ex.copy_params_from(args, auxs)
        y = ex.forward(data=mx.nd.load({str(tmp_path / "x.nd")!r})[0])[0]
        mx.nd.save({str(tmp_path / "y.nd")!r}, [y])
    """)
    subprocess.run([MXNET_PYTHON, "-c", script], check=True, capture_output=True)
    np.testing.assert_allclose(nd.load(str(tmp_path / "y.nd"))[0].asnumpy(), y.asnumpy(), rtol=1e-5, atol=1e-6)


# ---------------------------------------------------------------------- print_summary
# MXNet 1.9.1: mx.viz.print_summary(mlp, shape={'data': (4, 10)}, line_length=80)
MXNET_MLP_SUMMARY = """\
________________________________________________________________________________
Layer (type)                       Output Shape    Param # Previous Layer       
================================================================================
data(null)                         10              0                            
________________________________________________________________________________
fc1(FullyConnected)                8               88      data                 
________________________________________________________________________________
relu1(Activation)                  8               0       fc1                  
________________________________________________________________________________
fc2(FullyConnected)                3               27      relu1                
================================================================================
Total params: 115
________________________________________________________________________________
"""  # noqa: W291 (MXNet pads every row)

# MXNet 1.9.1: mx.viz.print_summary(convnet) (no shapes: only biases' sizes are known)
MXNET_CONVNET_NO_SHAPE_ROWS = [
    ("data(null)", "0", ""), ("conv1(Convolution)", "4", "data"), ("bn1(BatchNorm)", "0", "conv1"),
    ("relu1(Activation)", "0", "bn1"), ("pool1(Pooling)", "0", "relu1"), ("flat(Flatten)", "0", "pool1"),
    ("fc1(FullyConnected)", "5", "flat"), ("softmax(SoftmaxOutput)", "0", "fc1"),
]


def test_print_summary_matches_mxnet():
    assert _printed(viz.print_summary, _mlp(), shape={"data": (4, 10)}, line_length=80) == MXNET_MLP_SUMMARY
    with open(PREFIX + "-summary.txt") as f:
        assert _printed(viz.print_summary, _convnet(), shape={"data": DATA_SHAPE}) == f.read()
    lines = _printed(viz.print_summary, _convnet()).splitlines()
    rows = [line.split() for line in lines if "(" in line and "Layer (type)" not in line]
    assert [(r[0], r[1], r[2] if len(r) > 2 else "") for r in rows] == MXNET_CONVNET_NO_SHAPE_ROWS
    assert lines[-2] == "Total params: 9"


def test_print_summary_counts_real_parameter_sizes():
    # MXNet counted FullyConnected on 4-d input as (channels + 1) * num_hidden; gluonic counts the weight.
    net = mx.sym.FullyConnected(mx.sym.var("data"), num_hidden=2, name="fc")
    text = _printed(viz.print_summary, net, shape={"data": (1, 3, 4, 4)})
    assert "Total params: 98" in text
    with pytest.raises(TypeError, match="symbol must be Symbol"):
        viz.print_summary("net")


# ---------------------------------------------------------------------- plot_network
def test_plot_network_matches_mxnet_source():
    pytest.importorskip("graphviz")
    dot = viz.plot_network(_convnet(), shape={"data": DATA_SHAPE})
    with open(PREFIX + "-plot.gv") as f:
        assert dot.source == f.read()
    for node in ("data", "conv1", "bn1", "relu1", "pool1", "flat", "fc1", "softmax"):
        assert f"\t{node} [label=" in dot.source
    assert "conv1_weight" not in dot.source
    assert dot.name == "plot" and dot.format == "pdf"


def test_plot_network_dtype_labels_and_weights():
    pytest.importorskip("graphviz")
    dot = viz.plot_network(_mlp(), title="mlp", save_format="png", dtype={"data": "float64"}, hide_weights=False,
                           node_attrs={"shape": "oval"})
    src = dot.source
    assert "fc1 -> fc1_weight [label=\"(float64)\"" in src and "fc2 -> relu1" in src
    assert "shape=oval" in src and "shape=box" not in src
    with pytest.raises(ValueError, match="Input shape is incomplete"), pytest.warns(UserWarning):
        viz.plot_network(mx.sym.var("a") + mx.sym.var("b"), shape={})


def test_plot_network_without_graphviz_says_how_to_install(monkeypatch):
    monkeypatch.setitem(sys.modules, "graphviz", None)
    with pytest.raises(ImportError, match="pip install graphviz"):
        viz.plot_network(_mlp())
