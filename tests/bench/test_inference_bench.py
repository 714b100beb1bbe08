"""bench/inference.py runs, and its PyTorch baselines are the model zoo's architectures."""
import importlib.util
import os
import sys

import numpy as np
import pytest
import torch

_BENCH = os.path.join(os.path.dirname(__file__), "..", "..", "bench")


def _load(name):
    if name not in sys.modules:
        spec = importlib.util.spec_from_file_location(name, os.path.join(_BENCH, f"{name}.py"))
        module = importlib.util.module_from_spec(spec)
        sys.modules[name] = module
        spec.loader.exec_module(module)
    return sys.modules[name]


tm = _load("_torch_models")
inference = _load("inference")


def _shapes(shapes):
    return sorted(tuple(s) for s in shapes)


@pytest.fixture(scope="module")
def resnet():
    import gluonic as mx

    return inference.make_net(mx, "resnet18_v1")


def test_torch_mobilenet_has_the_model_zoo_parameters():
    import gluonic as mx

    net = inference.make_net(mx, "mobilenet1.0")
    net(mx.nd.zeros((1, 3, 32, 32)))
    theirs = [p.shape for p in net.collect_params().values()]
    tnet = tm.mobilenet1_0()
    assert _shapes(p.shape for p in tnet.state_dict().values() if p.dim() > 0) == _shapes(theirs)
    assert tnet(torch.zeros(2, 3, 32, 32)).shape == (2, 1000)


def test_torch_resnet_computes_what_the_model_zoo_computes(resnet):
    """Same parameter shapes, and the same weights (matched by shape, in order) give the same predictions."""
    import gluonic as mx

    net = resnet
    x = inference.images(mx, 2, 32)
    ref = net(x).asnumpy()
    theirs = [p.shape for p in net.collect_params().values()]
    assert _shapes(p.shape for p in tm.resnet18_v1().state_dict().values() if p.dim() > 0) == _shapes(theirs)
    params = [p.data().asnumpy() for p in net.collect_params().values()]
    tnet = tm.resnet18_v1()
    # gluon registers gamma, beta, mean, var; torch weight, bias, running_mean, running_var: same order.
    # Both walk the body before the downsample branch, and the output Dense comes last.
    targets = [t for t in tnet.state_dict().values() if t.dim() > 0]
    pools = {}
    for p in params:
        pools.setdefault(p.shape, []).append(p)
    with torch.no_grad():
        for t in targets:
            t.copy_(torch.from_numpy(pools[tuple(t.shape)].pop(0)))
    out = tnet(torch.from_numpy(x.asnumpy())).detach().numpy()
    np.testing.assert_allclose(out, ref, rtol=1e-4, atol=1e-4)


def test_main_prints_a_table(capsys):
    inference.main(["--size", "32", "--batch", "1", "--models", "resnet18_v1", "--rounds", "1", "--min-time", "0.01",
                    "--skip", "inductor,onnx"])
    out = capsys.readouterr().out
    for row in ("gluonic eager", "gluonic hybrid", "gluonic hybrid, no fold", "torch eager", "hybrid / torch eager"):
        assert row in out
    assert "resnet18_v1/1" in out and "inductor" not in out


def test_format_table_marks_missing_cells():
    rows = {"gluonic hybrid": {"a/1": 2.0, "a/32": None}, "torch eager": {"a/1": 4.0, "a/32": 8.0}}
    table = inference.format_table(rows, ["a/1", "a/32"], 32, 1, 3)
    lines = table.splitlines()
    assert "3x32x32" in lines[0]
    assert lines[2].split("|")[2].strip() == "-"
    assert lines[4].split("|")[1].strip() == "0.50"  # hybrid / torch
    assert lines[5].split("|")[1].strip() == "500.0"  # images per second at batch 1


def test_unknown_model_is_an_error():
    with pytest.raises(SystemExit):
        inference.main(["--models", "vgg99"])
