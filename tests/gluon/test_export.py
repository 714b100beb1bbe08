"""export / SymbolBlock.imports: our round trip, MXNet's files in, our files into real MXNet."""
import os
import subprocess
import textwrap

import numpy as np
import pytest

import gluonic as mx
from gluonic import gluon
from gluonic.base import FileFormatError
from gluonic.gluon import nn

GOLDEN = os.path.join(os.path.dirname(os.path.dirname(__file__)), "golden", "export")
MXNET_PYTHON = os.environ.get("MXNET_PYTHON", "/work/mxvenv/bin/python")


def _cnn():
    net = nn.HybridSequential()
    with net.name_scope():
        net.add(nn.Conv2D(6, kernel_size=3, padding=1), nn.BatchNorm(), nn.Activation("relu"),
                nn.MaxPool2D(pool_size=3, strides=2, ceil_mode=True), nn.Conv2D(8, kernel_size=3),
                nn.LeakyReLU(0.1), nn.AvgPool2D(pool_size=2), nn.Flatten(), nn.Dropout(0.5),
                nn.Dense(10, activation="tanh"), nn.Dense(4))
    return net


def test_mxnet_export_loads_and_matches():
    block = gluon.SymbolBlock.imports(os.path.join(GOLDEN, "cnn-symbol.json"), ["data"],
                                      os.path.join(GOLDEN, "cnn-0003.params"))
    io = mx.nd.load(os.path.join(GOLDEN, "cnn-io.nd"))
    np.testing.assert_allclose(block(io["x"]).asnumpy(), io["y"].asnumpy(), rtol=1e-5, atol=1e-6)
    aux = [p for p in block.collect_params().values() if p.grad_req == "null"]
    assert {p.name.split("_")[-1] for p in aux} == {"mean", "var"}


def test_roundtrip_export_imports(tmp_path):
    net = _cnn()
    net.initialize(mx.init.Xavier())
    x = mx.nd.array(np.random.rand(2, 3, 9, 9))
    with mx.autograd.record():
        net(x)
    y = net(x)
    sym_file, params_file = net.export(str(tmp_path / "m"), epoch=7)
    assert params_file.endswith("m-0007.params")
    keys = mx.nd.load(params_file).keys()
    assert all(k.startswith(("arg:", "aux:")) for k in keys) and any(k.startswith("aux:") for k in keys)
    back = gluon.SymbolBlock.imports(sym_file, ["data"], params_file)
    np.testing.assert_allclose(back(x).asnumpy(), y.asnumpy(), rtol=1e-6, atol=1e-6)


def test_export_needs_a_forward_first(tmp_path):
    net = nn.Dense(2, in_units=2)
    net.initialize()
    with pytest.raises(ValueError, match="run forward with this block at least once"):
        net.export(str(tmp_path / "x"))


def test_imports_errors_name_file_node_and_op(tmp_path):
    bad = tmp_path / "bad-symbol.json"
    bad.write_text('{"nodes": [{"op": "null", "name": "data", "inputs": []}, '
                   '{"op": "NoSuchOp", "name": "n1", "inputs": [[0, 0, 0]]}], "heads": [[1, 0, 0]]}')
    with pytest.raises(ValueError, match=r"bad-symbol.json': node 'n1' uses operator 'NoSuchOp'"):
        gluon.SymbolBlock.imports(str(bad), ["data"])
    bad.write_text('{"nodes": [{"op": "null", "name": "data", "inputs": []}, {"op": "Activation", "name": "a", '
                   '"attrs": {"act_type": "relu", "bogus": "1"}, "inputs": [[0, 0, 0]]}], "heads": [[1, 0, 0]]}')
    with pytest.raises(ValueError, match=r"node 'a' \(Activation\).*bogus"):
        gluon.SymbolBlock.imports(str(bad), ["data"])
    bad.write_text("not json")
    with pytest.raises(FileFormatError, match="bad-symbol.json"):
        gluon.SymbolBlock.imports(str(bad), ["data"])
    with pytest.raises(ValueError, match="are not variables of the graph"):
        gluon.SymbolBlock.imports(os.path.join(GOLDEN, "cnn-symbol.json"), ["images"])


@pytest.mark.skipif(not os.path.exists(MXNET_PYTHON), reason="no Python with mxnet 1.9.1 (set MXNET_PYTHON)")
def test_our_export_loads_in_real_mxnet(tmp_path):
    net = _cnn()
    net.initialize(mx.init.Xavier())
    x = mx.nd.array(np.random.rand(2, 3, 9, 9))
    y = net(x)
    net.export(str(tmp_path / "ours"))
    mx.nd.save(str(tmp_path / "x.nd"), [x])
    script = textwrap.dedent(f"""
        import mxnet as mx
        b = mx.gluon.SymbolBlock.imports('{tmp_path}/ours-symbol.json', ['data'], '{tmp_path}/ours-0000.params')
        x = mx.nd.load('{tmp_path}/x.nd')[0]
        mx.nd.save('{tmp_path}/y.nd', [b(x)])
    """)
    subprocess.run([MXNET_PYTHON, "-c", script], check=True, capture_output=True)
    np.testing.assert_allclose(mx.nd.load(str(tmp_path / "y.nd"))[0].asnumpy(), y.asnumpy(), rtol=1e-5, atol=1e-6)


def test_symbolblock_nested_in_a_hybridized_net(tmp_path):
    inner = nn.HybridSequential()
    with inner.name_scope():
        inner.add(nn.Dense(4, activation="relu"), nn.Dense(3))
    inner.initialize()
    x = mx.nd.array(np.random.rand(2, 5))
    inner(x)
    sym_file, params_file = inner.export(str(tmp_path / "inner"))
    imported = gluon.SymbolBlock.imports(sym_file, ["data"], params_file)
    outer = nn.HybridSequential()
    outer.add(imported, nn.Activation("sigmoid"))
    want = outer(x).asnumpy()
    outer.hybridize()
    np.testing.assert_allclose(outer(x).asnumpy(), want, rtol=1e-6)
    np.testing.assert_allclose(want, 1 / (1 + np.exp(-inner(x).asnumpy())), rtol=1e-6)
