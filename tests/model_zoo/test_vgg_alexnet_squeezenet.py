"""VGG, AlexNet and SqueezeNet: MXNet's outputs on equal weights, hybridize/export, errors."""
import importlib

import numpy as np
import pytest

import gluonic as mx
from gluonic.base import GluonicValueError
from gluonic.gluon.model_zoo import model_store, vision
from gluonic.gluon.model_zoo.vision import squeezenet, vgg

from ..gluon.hybrid_harness import check_hybrid
from .zoo_checks import build, check_outputs, fake_pretrained, slow_unless

# ``vision.alexnet`` is the constructor (as in MXNet); the module is reached by its full name
alexnet_module = importlib.import_module("gluonic.gluon.model_zoo.vision.alexnet")
VGG_NAMES = [f"vgg{d}{bn}" for bn in ("", "_bn") for d in (11, 13, 16, 19)]


def test_public_names():
    for module in (vgg, alexnet_module, squeezenet):
        for name in module.__all__:
            assert getattr(vision, name) is getattr(module, name)
    assert vision.get_model("SqueezeNet1.1").__class__ is squeezenet.SqueezeNet
    assert vision.get_model("vgg16_bn").features[1].__class__.__name__ == "BatchNorm"


@pytest.mark.parametrize("name", slow_unless(VGG_NAMES, {"vgg11", "vgg11_bn"}))
def test_vgg_output_equals_mxnet(name):
    check_outputs(name)


@pytest.mark.parametrize("name", ["alexnet", "squeezenet1.0", "squeezenet1.1"])
def test_output_equals_mxnet(name):
    check_outputs(name)


def _hybrid(make, size, batch=2):
    x = np.random.RandomState(0).uniform(-1, 1, (batch, 3, size, size)).astype(np.float32)
    return check_hybrid(make, x, rtol=1e-4, atol=1e-5)


def test_vgg11_bn_hybridize_and_export():
    out = _hybrid(lambda: vision.vgg11_bn(classes=10), 32)
    assert out["out"][0].shape == (2, 10)


def test_alexnet_hybridize_and_export():
    out = _hybrid(lambda: vision.alexnet(classes=10), 63)
    assert out["out"][0].shape == (2, 10)


def test_squeezenet1_1_hybridize_and_export():
    out = _hybrid(lambda: vision.squeezenet1_1(classes=10), 209, batch=1)
    assert out["out"][0].shape == (1, 10)


@pytest.mark.slow
def test_squeezenet1_0_hybridize_and_export():
    _hybrid(lambda: vision.squeezenet1_0(classes=10), 213, batch=1)


def test_squeezenet_input_sizes_like_mxnet():
    net = build("squeezenet1.1", classes=3)
    net.initialize()
    assert net(mx.nd.ones((1, 3, 225, 225))).shape == (1, 3)  # 14x14 features, stride-13 pool
    with pytest.raises(ValueError):
        net(mx.nd.ones((1, 3, 200, 200)))  # 12x12 features: too small for the 13x13 pool


def test_squeezenet_bad_version():
    with pytest.raises(GluonicValueError, match="Unsupported SqueezeNet version 1.2") as info:
        vision.SqueezeNet("1.2")
    assert isinstance(info.value, ValueError)


def test_vgg_errors():
    with pytest.raises(ValueError, match="Invalid number of layers: 12"):
        vision.get_vgg(12)
    with pytest.raises(ValueError, match="same length"):
        vision.VGG([1, 1], [8])


@pytest.mark.parametrize("fn,file_name", [(vision.vgg11_bn, "vgg11_bn-ee79a809.params"),
                                          (vision.vgg19, "vgg19-ad2f660d.params"),
                                          (vision.alexnet, "alexnet-44335d1f.params"),
                                          (vision.squeezenet1_0, "squeezenet1.0-264ba497.params")])
def test_pretrained_file_names(tmp_path, fn, file_name):
    with pytest.raises(model_store.ModelFileNotFoundError, match=file_name.replace(".", r"\.")):
        fn(pretrained=True, root=str(tmp_path))


def test_pretrained_squeezenet_loads(tmp_path, monkeypatch):
    x = mx.nd.array(np.random.RandomState(0).uniform(-1, 1, (1, 3, 224, 224)).astype(np.float32))
    src = build("squeezenet1.1")
    src.initialize(mx.init.Xavier())
    want = src(x).asnumpy()
    fake_pretrained(monkeypatch, tmp_path, "squeezenet1.1", src)
    net = vision.squeezenet1_1(pretrained=True, root=str(tmp_path))
    np.testing.assert_allclose(net(x).asnumpy(), want, rtol=1e-5, atol=1e-6)
