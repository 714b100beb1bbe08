"""Checks shared by the model-zoo tests: MXNet's names/shapes (manifest) and outputs (golden)."""
import importlib
import json
import os

import numpy as np
import pytest

import gluonic as mx

from .zoo_weights import INPUT_SIZES, fill, input_batch

GOLDEN = os.path.join(os.path.dirname(__file__), "..", "golden", "model_zoo")

# get_model name -> module of gluonic.gluon.model_zoo.vision that defines it
FAMILY = {**{n: "resnet" for n in INPUT_SIZES if n.startswith("resnet")},
          **{n: "vgg" for n in INPUT_SIZES if n.startswith("vgg")},
          **{n: "densenet" for n in INPUT_SIZES if n.startswith("densenet")},
          **{n: "mobilenet" for n in INPUT_SIZES if n.startswith("mobilenet")},
          "alexnet": "alexnet", "squeezenet1.0": "squeezenet", "squeezenet1.1": "squeezenet",
          "inceptionv3": "inception"}


def manifest() -> dict:
    with open(os.path.join(GOLDEN, "manifest.json")) as f:
        return json.load(f)["models"]


def vision_or_skip(name: str):
    """The vision package; skips the test when the module defining ``name`` does not exist yet."""
    pytest.importorskip(f"gluonic.gluon.model_zoo.vision.{FAMILY[name]}")
    return importlib.import_module("gluonic.gluon.model_zoo.vision")


def build(name: str, **kwargs):
    vision = vision_or_skip(name)
    with mx.name.NameManager():  # prefixes start at 0 (resnetv10_), as in the manifest
        return vision.get_model(name, **kwargs)


def check_names(name: str, entry: dict) -> None:
    """Prefix names, shapes, structural names and repr equal MXNet's after shape inference."""
    net = build(name)
    assert net.prefix == entry["prefix"]
    net.infer_shape(mx.nd.zeros(tuple(entry["input_shape"])))
    got = [[k, list(p.shape)] for k, p in net.collect_params().items()]
    want = entry["params"]
    assert len(got) == len(want), f"{name}: {len(got)} parameters, MXNet has {len(want)}"
    for g, w in zip(got, want):
        assert g == w, f"{name}: parameter {g} where MXNet has {w}"
    structural = [[k, p.name] for k, p in net._collect_params_with_prefix().items()]
    assert structural == entry["structural"], f"{name}: structural names differ from MXNet's"
    assert repr(net) == entry["repr"]


def check_outputs(name: str, rtol: float = 2e-5) -> None:
    """Inference output on deterministic weights equals real MXNet's (tests/golden/model_zoo/outputs.npz)."""
    net = build(name)
    x = mx.nd.array(input_batch(INPUT_SIZES[name]))
    net.infer_shape(x)
    net.initialize(mx.init.Zero())
    fill(net, mx)
    got = net(x).asnumpy()
    want = np.load(os.path.join(GOLDEN, "outputs.npz"))[name]
    assert got.shape == want.shape
    scale = float(np.abs(want).max())
    np.testing.assert_allclose(got, want, rtol=0, atol=rtol * scale, err_msg=f"{name} vs MXNet")


def slow_unless(names, fast):
    """pytest params over ``names``, marked slow except those in ``fast``."""
    return [n if n in fast else pytest.param(n, marks=pytest.mark.slow) for n in names]


def fake_pretrained(monkeypatch, root, name: str, net) -> str:
    """Save ``net``'s parameters as ``<root>/<name>-<hash>.params`` and make the SHA-1 table
    expect that file (a real pretrained file cannot be shipped in the tests)."""
    import hashlib

    from gluonic.gluon.model_zoo import model_store

    tmp = os.path.join(str(root), "tmp.params")
    net.save_parameters(tmp)
    with open(tmp, "rb") as f:
        sha1 = hashlib.sha1(f.read()).hexdigest()
    monkeypatch.setitem(model_store._model_sha1, name, sha1)
    path = os.path.join(str(root), f"{name}-{sha1[:8]}.params")
    os.replace(tmp, path)
    return path
