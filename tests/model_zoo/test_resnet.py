"""ResNet V1/V2: MXNet's outputs on equal weights, hybridize/export, errors, pretrained files."""
import numpy as np
import pytest

import gluonic as mx
from gluonic.base import GluonicValueError
from gluonic.gluon.model_zoo import model_store, vision
from gluonic.gluon.model_zoo.vision import resnet

from ..gluon.hybrid_harness import check_hybrid
from .zoo_checks import build, check_outputs, fake_pretrained, slow_unless

NAMES = [f"resnet{d}_v{v}" for v in (1, 2) for d in (18, 34, 50, 101, 152)]


def test_public_names():
    for name in resnet.__all__:
        assert getattr(vision, name) is getattr(resnet, name)
    for name in NAMES:
        assert getattr(vision, name).__name__ == name
        assert vision.get_model(name.upper()).__class__.__name__ == f"ResNetV{name[-1]}"


@pytest.mark.parametrize("name", slow_unless(NAMES, {"resnet18_v1", "resnet18_v2", "resnet50_v1", "resnet50_v2"}))
def test_output_equals_mxnet(name):
    check_outputs(name)


@pytest.mark.parametrize("version,block,thumbnail", [(1, "BasicBlockV1", True), (1, "BottleneckV1", False),
                                                     (2, "BasicBlockV2", False), (2, "BottleneckV2", True)])
def test_small_resnets_hybridize_and_export(version, block, thumbnail):
    net_class = resnet.ResNetV1 if version == 1 else resnet.ResNetV2
    widths = [8, 8, 16] if block.startswith("Basic") else [8, 16, 32]

    def make():
        return net_class(getattr(resnet, block), [2, 1], widths, classes=5, thumbnail=thumbnail)

    x = np.random.RandomState(0).uniform(-1, 1, (2, 3, 12, 12)).astype(np.float32)
    out = check_hybrid(make, x, rtol=1e-4, atol=1e-5)
    assert out["out"][0].shape == (2, 5)


def test_resnet18_v1_hybridize_and_export():
    x = np.random.RandomState(0).uniform(-1, 1, (2, 3, 32, 32)).astype(np.float32)
    check_hybrid(lambda: vision.resnet18_v1(classes=10), x, rtol=1e-4, atol=1e-5)


@pytest.mark.slow
def test_resnet50_v2_hybridize_and_export():
    x = np.random.RandomState(0).uniform(-1, 1, (2, 3, 32, 32)).astype(np.float32)
    check_hybrid(lambda: vision.resnet50_v2(classes=10), x, rtol=1e-4, atol=1e-5)


def test_thumbnail_stem():
    net = build("resnet18_v2", thumbnail=True, classes=7)
    assert [k for k in net._collect_params_with_prefix()][:5] == [
        "features.0.gamma", "features.0.beta", "features.0.running_mean", "features.0.running_var",
        "features.1.weight"]
    net.initialize()
    assert net(mx.nd.ones((1, 3, 8, 8))).shape == (1, 7)
    assert net.features[1].weight.shape == (64, 3, 3, 3)


def test_bottleneck_v1_body_convs_have_biases_like_mxnet():
    block = resnet.BottleneckV1(64, 2, downsample=True, in_channels=32, prefix="b_")
    biases = [k for k in block._collect_params_with_prefix() if k.endswith(".bias")]
    assert biases == ["body.0.bias", "body.6.bias"]
    assert "downsample.0.weight" in block._collect_params_with_prefix()


@pytest.mark.parametrize("args,match", [((1, 20), "Invalid number of layers: 20"),
                                        ((3, 18), "Invalid resnet version: 3")])
def test_get_resnet_errors(args, match):
    with pytest.raises(GluonicValueError, match=match) as info:
        vision.get_resnet(*args)
    assert isinstance(info.value, ValueError)


def test_mismatched_spec_error():
    with pytest.raises(ValueError, match="one entry more than layers"):
        resnet.ResNetV1(resnet.BasicBlockV1, [2, 2], [64, 64])


def test_pretrained_missing_file_never_downloads(tmp_path):
    with pytest.raises(model_store.ModelFileNotFoundError) as info:
        vision.resnet34_v2(pretrained=True, root=str(tmp_path))
    msg = str(info.value)
    assert str(tmp_path / "resnet34_v2-9d6b80bb.params") in msg
    assert "9d6b80bbc35169de6b6edecffdd6047c56fdd322" in msg
    assert isinstance(info.value, FileNotFoundError)


def test_pretrained_loads_mxnet_named_file_on_ctx(tmp_path, monkeypatch):
    x = mx.nd.array(np.random.RandomState(0).uniform(-1, 1, (1, 3, 32, 32)).astype(np.float32))
    src = build("resnet18_v1")
    src.initialize(mx.init.Xavier())
    want = src(x).asnumpy()
    fake_pretrained(monkeypatch, tmp_path, "resnet18_v1", src)
    net = vision.get_model("resnet18_v1", pretrained=True, root=str(tmp_path), ctx=mx.cpu(1))
    assert all(p.list_ctx() == [mx.cpu(1)] for p in net.collect_params().values())
    np.testing.assert_allclose(net(x.as_in_context(mx.cpu(1))).asnumpy(), want, rtol=1e-5, atol=1e-6)
