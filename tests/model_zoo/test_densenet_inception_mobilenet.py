"""DenseNet, Inception V3, MobileNet and MobileNetV2 of ``gluon.model_zoo.vision`` (MXNet 1.9 names).

Outputs against real MXNet on the same weights, for every variant, are in ``test_mxnet_files.py``;
here: the API (names, signatures, defaults), MXNet's parameter names and structure, imperative vs
hybridized vs exported, and ``pretrained=True``.
"""
import gzip
import hashlib
import inspect
import json
import os
import sys

import numpy as np
import pytest

import gluonic as mx
from gluonic import nd
from gluonic.base import MXNetError
from gluonic.gluon.model_zoo import model_store, vision
from gluonic.gluon.model_zoo.vision import densenet, inception, mobilenet

ZOO_GOLDEN = os.path.join(os.path.dirname(__file__), "..", "golden", "model_zoo")
sys.path.insert(0, os.path.join(os.path.dirname(__file__), "..", "golden"))
import zoo_params  # noqa: E402


def test_module_names_match_mxnet():
    assert densenet.__all__ == ["DenseNet", "densenet121", "densenet161", "densenet169", "densenet201",
                                "get_densenet"]
    assert inception.__all__ == ["Inception3", "inception_v3"]
    assert mobilenet.__all__ == ["MobileNet", "MobileNetV2", "mobilenet1_0", "mobilenet_v2_1_0", "mobilenet0_75",
                                 "mobilenet_v2_0_75", "mobilenet0_5", "mobilenet_v2_0_5", "mobilenet0_25",
                                 "mobilenet_v2_0_25", "get_mobilenet", "get_mobilenet_v2"]
    for name in mobilenet.__all__ + ["DenseNet", "densenet121", "Inception3", "inception_v3"]:
        assert hasattr(vision, name), name


def _defaults(f):
    return {k: p.default for k, p in inspect.signature(f).parameters.items()
            if p.kind is p.POSITIONAL_OR_KEYWORD}


def test_signatures_match_mxnet():
    empty = inspect.Parameter.empty
    assert _defaults(densenet.DenseNet) == {"num_init_features": empty, "growth_rate": empty, "block_config": empty,
                                            "bn_size": 4, "dropout": 0, "classes": 1000}
    assert _defaults(inception.Inception3) == {"classes": 1000}
    assert _defaults(mobilenet.MobileNet) == {"multiplier": 1.0, "classes": 1000}
    assert _defaults(mobilenet.MobileNetV2) == {"multiplier": 1.0, "classes": 1000}
    assert list(_defaults(densenet.get_densenet)) == ["num_layers", "pretrained", "ctx", "root"]
    assert list(_defaults(inception.inception_v3)) == ["pretrained", "ctx", "root"]
    assert list(_defaults(mobilenet.get_mobilenet)) == ["multiplier", "pretrained", "ctx", "root"]
    assert list(_defaults(mobilenet.get_mobilenet_v2)) == ["multiplier", "pretrained", "ctx", "root"]
    assert _defaults(mobilenet.get_mobilenet)["ctx"] == mx.cpu()


@pytest.mark.parametrize("name, prefix, first, count", [
    ("densenet121", "densenet0_", ("densenet0_conv0_weight", (64, 0, 7, 7)), 606),
    ("densenet161", "densenet0_", ("densenet0_conv0_weight", (96, 0, 7, 7)), 806),
    ("inceptionv3", "inception30_", ("inception30_conv0_weight", (32, 0, 3, 3)), 472),
    ("mobilenet0.75", "mobilenet0_", ("mobilenet0_conv0_weight", (24, 0, 3, 3)), 137),
    ("mobilenetv2_0.5", "mobilenetv20_", ("mobilenetv20_features_conv0_weight", (16, 0, 3, 3)), 266),
])
def test_parameter_names(name, prefix, first, count):
    with mx.name.NameManager():
        net = vision.get_model(name, classes=10)
    params = net.collect_params()
    assert net.prefix == prefix
    assert len(params.keys()) == count
    k, shape = first
    assert list(params.keys())[0] == k and params[k].shape == shape


def test_structural_names():
    """``save_parameters`` names (what MXNet's pretrained files hold)."""
    with mx.name.NameManager():
        dense = densenet.densenet121()
        v2 = mobilenet.mobilenet_v2_0_25()
        inc = inception.inception_v3()
    d = dense._collect_params_with_prefix()
    # features.4 = dense block 1; .0 = its first layer (Identity, branch); .1.2 = the branch's 1x1 conv
    assert d["features.4.0.1.2.weight"].name == "densenet0_stage1_conv0_weight"
    assert d["features.5.2.weight"].name == "densenet0_conv1_weight"  # first transition's conv
    assert d["output.weight"].name == "densenet0_dense0_weight"
    v = v2._collect_params_with_prefix()
    assert v["features.3.out.4.running_var"].name == "mobilenetv20_features_linearbottleneck0_batchnorm1_running_var"
    assert v["output.0.weight"].name == "mobilenetv20_output_pred_weight"
    i = inc._collect_params_with_prefix()
    # second Inception E block: branch 1 = 1x1 conv then the 1x3 / 3x1 split
    assert i["features.17.1.1.0.0.0.weight"].name == "inception30_E2_conv2_weight"
    assert i["features.17.1.1.1.0.1.gamma"].name == "inception30_E2_batchnorm3_gamma"


def test_densenet_config():
    net = densenet.DenseNet(8, 4, [2, 3], bn_size=2, dropout=0.5, classes=7)
    net.initialize()
    assert net(nd.ones((1, 3, 224, 224))).shape == (1, 7)
    block1 = net.features[4]
    assert len(block1) == 2 and isinstance(block1[0][1][-1], mx.gluon.nn.Dropout)
    assert block1[0][1][2].weight.shape == (8, 8, 1, 1)  # bn_size * growth_rate
    # transition: (8 + 2 * 4) // 2 channels
    assert net.features[5][2].weight.shape == (8, 16, 1, 1)
    assert net.output.weight.shape == (7, (8 + 3 * 4) * 4 * 4)  # 2 blocks: 4x4 left for the 7x7 pool
    with pytest.raises(MXNetError, match="num_layers must be one of"):
        densenet.get_densenet(100)


def test_mobilenet_widths():
    net = mobilenet.MobileNet(0.5, classes=3)
    convs = [b for b in net.features if isinstance(b, mx.gluon.nn.Conv2D)]
    assert [c.weight.shape[0] for c in convs[:3]] == [16, 16, 32]
    assert convs[1]._kwargs["num_group"] == 16  # depthwise
    v2 = mobilenet.MobileNetV2(0.25)
    assert v2.features[-4].weight.shape[0] == 1280  # last stage stays 1280 wide unless multiplier > 1
    assert mobilenet.MobileNetV2(1.5).features[-4].weight.shape[0] == 1920
    shortcut = [b.use_shortcut for b in v2.features if isinstance(b, mobilenet.LinearBottleneck)]
    assert shortcut == [False, False, True, False, True, True, False, True, True, True, False, True, True, False,
                        True, True, False]


def test_relu6_and_linear_bottleneck():
    relu6 = mobilenet.RELU6()
    x = nd.array([-3.0, 0.5, 6.5, 3.0])
    np.testing.assert_array_equal(relu6(x).asnumpy(), [0, 0.5, 6, 3])
    block = mobilenet.LinearBottleneck(in_channels=4, channels=4, t=2, stride=1)
    block.initialize(mx.init.Normal(0.5))
    x = nd.array(np.random.RandomState(0).randn(2, 4, 5, 5))
    np.testing.assert_allclose(block(x).asnumpy(), (block.out(x) + x).asnumpy(), rtol=1e-6)
    block = mobilenet.LinearBottleneck(in_channels=4, channels=6, t=2, stride=2)
    block.initialize()
    assert block(x).shape == (2, 6, 3, 3)


def _nodes(graph):
    ignored = ("__storage_type__", "__shape__")
    return [(n["op"], n["name"], {k: v for k, v in n.get("attrs", {}).items() if k not in ignored},
             [e[:2] for e in n["inputs"]]) for n in graph["nodes"]]


# densenet121 and inceptionv3 also run unmarked in test_mxnet_files.py (against MXNet's outputs and graphs)
@pytest.mark.parametrize("name, side", [("mobilenet0.25", 32), ("mobilenetv2_0.25", 32),
                                        pytest.param("densenet121", 221, marks=pytest.mark.slow),
                                        pytest.param("inceptionv3", 299, marks=pytest.mark.slow)])
def test_imperative_hybrid_export(name, side, tmp_path):
    """Same outputs imperative, hybridized and re-imported; the exported graph is MXNet's, node for node."""
    with mx.name.NameManager():
        net = vision.get_model(name, classes=10)
    net.initialize()
    x = nd.array(np.random.RandomState(1).uniform(-1, 1, (1, 3, side, side)))
    net(x)
    for pname, param in net.collect_params().items():  # weights that keep activations O(1)
        param.set_data(nd.array(zoo_params.param_value(pname, param.shape)))
    eager = net(x).asnumpy()
    net.hybridize()
    hybrid = net(x).asnumpy()
    np.testing.assert_allclose(hybrid, eager, rtol=1e-4, atol=1e-5 * np.abs(eager).max())
    prefix = str(tmp_path / name)
    net.export(prefix, 0)
    back = mx.gluon.SymbolBlock.imports(prefix + "-symbol.json", ["data"], prefix + "-0000.params")
    np.testing.assert_allclose(back(x).asnumpy(), hybrid, rtol=1e-4, atol=1e-5 * np.abs(hybrid).max())
    with open(prefix + "-symbol.json") as f:
        ours = json.load(f)
    with gzip.open(os.path.join(ZOO_GOLDEN, name + "-symbol.json.gz"), "rt") as f:
        theirs = json.load(f)
    assert _nodes(ours) == _nodes(theirs)
    assert ours["heads"] == theirs["heads"]


@pytest.mark.parametrize("make, file_name", [
    (densenet.densenet169, "densenet169"),
    (inception.inception_v3, "inceptionv3"),
    (mobilenet.mobilenet1_0, "mobilenet1.0"),
    (mobilenet.mobilenet0_5, "mobilenet0.5"),
    (mobilenet.mobilenet0_75, "mobilenet0.75"),
    (mobilenet.mobilenet_v2_0_5, "mobilenetv2_0.5"),
    (mobilenet.mobilenet_v2_0_25, "mobilenetv2_0.25"),
])
def test_pretrained_missing_file(make, file_name, tmp_path):
    sha1 = model_store._model_sha1[file_name]
    with pytest.raises(model_store.ModelFileNotFoundError) as err:
        make(pretrained=True, root=str(tmp_path))
    msg = str(err.value)
    assert f"{file_name}-{sha1[:8]}.params" in msg and sha1 in msg and str(tmp_path) in msg


def test_pretrained_loads_checked_file(tmp_path, monkeypatch):
    """A file whose SHA-1 is the table's loads, on ``ctx``; a damaged one is refused."""
    src = mobilenet.mobilenet0_25(classes=10)
    src.initialize(mx.init.Normal(0.1))
    x = nd.array(np.random.RandomState(2).uniform(-1, 1, (2, 3, 32, 32)))
    want = src(x).asnumpy()
    staging = str(tmp_path / "staging.params")
    src.save_parameters(staging)
    with open(staging, "rb") as f:
        data = f.read()
    sha1 = hashlib.sha1(data).hexdigest()
    monkeypatch.setitem(model_store._model_sha1, "mobilenet0.25", sha1)
    path = tmp_path / f"mobilenet0.25-{sha1[:8]}.params"
    path.write_bytes(data)
    net = mobilenet.mobilenet0_25(pretrained=True, root=str(tmp_path), ctx=mx.cpu(0), classes=10)
    assert net.output.weight.list_ctx() == [mx.cpu(0)]
    np.testing.assert_allclose(net(x).asnumpy(), want, rtol=1e-6)
    path.write_bytes(data[:-4] + b"\0\0\0\0")
    with pytest.raises(MXNetError, match="SHA-1"):
        mobilenet.mobilenet0_25(pretrained=True, root=str(tmp_path), classes=10)
