"""``gluonic inspect`` and ``gluonic convert onnx`` on exported models, and their errors (exit code 2)."""
import os
import subprocess
import sys

import numpy as np
import pytest

import gluonic as mx
from gluonic.__main__ import main
from gluonic.gluon import nn

_ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))


@pytest.fixture(scope="module")
def model(tmp_path_factory):
    """A small conv net exported as prefix-symbol.json + prefix-0000.params, and its predictions."""
    net = nn.HybridSequential()
    net.add(nn.Conv2D(4, 3, padding=1, use_bias=False), nn.BatchNorm(), nn.Activation("relu"), nn.MaxPool2D(2),
            nn.Flatten(), nn.Dense(3))
    net.initialize(mx.init.Xavier())
    net.hybridize()
    x = mx.nd.array(np.random.RandomState(0).randn(2, 3, 8, 8))
    y = net(x).asnumpy()
    prefix = str(tmp_path_factory.mktemp("cli") / "small")
    net.export(prefix)
    return prefix + "-symbol.json", prefix + "-0000.params", x.asnumpy(), y


def _run(capsys, *argv):
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


def test_inspect_with_input_shape(model, capsys):
    sym, _, _, _ = model
    code, out, err = _run(capsys, "inspect", sym, "--input-shape", "2,3,8,8")
    assert code == 0 and err == ""
    assert "data inputs: data" in out
    lines = out.splitlines()
    ops = lines[lines.index("operators:") + 1:]
    assert any(line.split() == ["Convolution", "1"] for line in ops)
    assert any(line.split() == ["BatchNorm", "1"] for line in ops)
    # 4*3*3*3 conv + 4*4 BN (gamma, beta, mean, var) + 3*64 + 3 dense
    assert "parameters: 319 values in 7 arrays (inferred from the input shapes)" in out
    assert out.rstrip().endswith(": (2, 3)")


def test_inspect_with_params_and_named_shape(model, capsys):
    sym, params, _, _ = model
    code, out, _ = _run(capsys, "inspect", sym, params, "--input-shape", "data=5,3,8,8")
    assert code == 0
    assert "parameters: 319 values in 7 arrays (from " in out
    assert out.rstrip().endswith(": (5, 3)")


def test_inspect_without_shapes_says_what_is_unknown(model, capsys):
    code, out, _ = _run(capsys, "inspect", model[0])
    assert code == 0 and "parameters: unknown" in out and "output shapes" not in out


def test_convert_onnx_matches_the_model(model, capsys, tmp_path):
    ort = pytest.importorskip("onnxruntime")
    sym, params, x, y = model
    path = str(tmp_path / "small.onnx")
    code, out, err = _run(capsys, "convert", "onnx", sym, params, "--input-shape", "2,3,8,8", "-o", path)
    assert code == 0, err
    assert f"wrote {path}" in out
    sess = ort.InferenceSession(path, providers=["CPUExecutionProvider"])
    got = sess.run(None, {sess.get_inputs()[0].name: x.astype(np.float32)})[0]
    np.testing.assert_allclose(got, y, rtol=1e-4, atol=1e-5)


def test_convert_onnx_default_output_and_dynamic_batch(model, capsys, tmp_path):
    ort = pytest.importorskip("onnxruntime")
    sym, params, x, y = model
    local_sym, local_params = tmp_path / "m-symbol.json", tmp_path / "m-0000.params"
    local_sym.write_bytes(open(sym, "rb").read())
    local_params.write_bytes(open(params, "rb").read())
    code, _, err = _run(capsys, "convert", "onnx", str(local_sym), str(local_params), "--input-shape", "1,3,8,8",
                        "--dynamic-batch")
    assert code == 0, err
    sess = ort.InferenceSession(str(tmp_path / "m.onnx"), providers=["CPUExecutionProvider"])
    got = sess.run(None, {sess.get_inputs()[0].name: x.astype(np.float32)})[0]  # batch 2 on a batch-1 export
    np.testing.assert_allclose(got, y, rtol=1e-4, atol=1e-5)


@pytest.mark.parametrize("argv, message", [
    (["inspect", "{tmp}/missing-symbol.json"], "no such symbol file"),
    (["inspect", "{bad_json}"], "cannot read the symbol file"),
    (["inspect", "{sym}", "{bad_params}"], "cannot read the params file"),
    (["inspect", "{sym}", "{tmp}/missing.params"], "no such params file"),
    (["inspect", "{sym}", "--input-shape", "1,x,3"], "positive integers"),
    (["inspect", "{sym}", "--input-shape", "1,0,3"], "positive integers"),
    (["inspect", "{sym}", "--input-shape", "img=1,3,8,8"], "not a data input"),
    (["inspect", "{sym}", "--input-shape", "1,3,8,8", "--input-shape", "1,3,8,8"], "more --input-shape"),
    (["inspect", "{sym}", "--input-shape", "1,3"], "shape inference failed"),
    (["inspect", "{tmp}"], "not a file"),
    (["convert", "onnx", "{sym}", "{bad_params}", "--input-shape", "1,3,8,8"], "cannot read the params file"),
    (["convert", "onnx", "{sym}", "{params}", "--input-shape", "1,3,8,8", "--input-type", "flot"], "--input-type"),
    (["convert", "onnx", "{sym}", "{list_params}", "--input-shape", "1,3,8,8"], "list of arrays"),
])
def test_errors_are_one_line_and_exit_2(argv, message, model, capsys, tmp_path):
    sym, params, _, _ = model
    (tmp_path / "bad.json").write_text("{not json")
    (tmp_path / "bad.params").write_bytes(b"\x12\x01\x00")
    mx.nd.save(str(tmp_path / "list.params"), [mx.nd.ones((2,))])
    paths = dict(tmp=str(tmp_path), bad_json=str(tmp_path / "bad.json"), bad_params=str(tmp_path / "bad.params"),
                 list_params=str(tmp_path / "list.params"), sym=sym, params=params)
    code, _, err = _run(capsys, *[a.format(**paths) for a in argv])
    assert code == 2
    assert message in err and err.count("\n") == 1 and err.startswith("gluonic ")


def test_missing_arguments_are_usage_errors(capsys):
    with pytest.raises(SystemExit) as e:
        main(["convert", "onnx", "only-symbol.json"])
    assert e.value.code == 2
    assert "--input-shape" in capsys.readouterr().err


def test_command_line_prints_no_traceback(tmp_path):
    (tmp_path / "bad-symbol.json").write_text("[1, 2")
    env = dict(os.environ, PYTHONPATH=_ROOT + os.pathsep + os.environ.get("PYTHONPATH", ""))
    proc = subprocess.run([sys.executable, "-m", "gluonic", "inspect", str(tmp_path / "bad-symbol.json")],
                          capture_output=True, text=True, env=env)
    assert proc.returncode == 2
    assert "Traceback" not in proc.stderr and "cannot read the symbol file" in proc.stderr
