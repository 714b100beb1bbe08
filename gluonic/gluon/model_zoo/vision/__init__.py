"""Predefined vision networks of MXNet 1.9's model zoo, by constructor or by name.

AlexNet, DenseNet-121/161/169/201, Inception V3, ResNet V1 and V2 (18 to 152 layers),
SqueezeNet 1.0/1.1, VGG-11/13/16/19 (with and without BatchNorm), MobileNet and
MobileNetV2 (width multipliers 1.0, 0.75, 0.5, 0.25). Parameter and structural names
equal MXNet's, so MXNet's pretrained ``.params`` files load unchanged.

``pretrained=True`` loads ``<root>/<name>-<short hash>.params`` (``root`` defaults to
``$MXNET_HOME/models``, i.e. ``~/.mxnet/models``); gluonic never downloads, a missing file
raises an error that names the path and the expected SHA-1. The pretrained models expect
RGB images in [0, 1] normalized with mean ``(0.485, 0.456, 0.406)`` and std
``(0.229, 0.224, 0.225)``, of at least 224x224 (299x299 for Inception V3).

Example
-------
>>> import gluonic as mx
>>> from gluonic.gluon.model_zoo import vision
>>> net = vision.get_model("resnet18_v1", classes=10)
>>> net.initialize()
>>> net(mx.nd.ones((1, 3, 32, 32))).shape
(1, 10)
"""
from __future__ import annotations

from ....base import GluonicValueError
from . import densenet, inception, mobilenet, resnet, squeezenet, vgg
from .alexnet import AlexNet, alexnet  # ``vision.alexnet`` is the function, as in MXNet
from .densenet import DenseNet, densenet121, densenet161, densenet169, densenet201
from .inception import Inception3, inception_v3
from .mobilenet import (
    MobileNet,
    MobileNetV2,
    get_mobilenet,
    get_mobilenet_v2,
    mobilenet0_5,
    mobilenet0_25,
    mobilenet0_75,
    mobilenet1_0,
    mobilenet_v2_0_5,
    mobilenet_v2_0_25,
    mobilenet_v2_0_75,
    mobilenet_v2_1_0,
)
from .resnet import (
    BasicBlockV1,
    BasicBlockV2,
    BottleneckV1,
    BottleneckV2,
    ResNetV1,
    ResNetV2,
    get_resnet,
    resnet18_v1,
    resnet18_v2,
    resnet34_v1,
    resnet34_v2,
    resnet50_v1,
    resnet50_v2,
    resnet101_v1,
    resnet101_v2,
    resnet152_v1,
    resnet152_v2,
)
from .squeezenet import SqueezeNet, squeezenet1_0, squeezenet1_1
from .vgg import VGG, get_vgg, vgg11, vgg11_bn, vgg13, vgg13_bn, vgg16, vgg16_bn, vgg19, vgg19_bn

__all__ = [
    "get_model", "AlexNet", "alexnet",
    "DenseNet", "densenet121", "densenet161", "densenet169", "densenet201",
    "Inception3", "inception_v3",
    "MobileNet", "MobileNetV2", "get_mobilenet", "get_mobilenet_v2",
    "mobilenet1_0", "mobilenet0_75", "mobilenet0_5", "mobilenet0_25",
    "mobilenet_v2_1_0", "mobilenet_v2_0_75", "mobilenet_v2_0_5", "mobilenet_v2_0_25",
    "ResNetV1", "ResNetV2", "BasicBlockV1", "BasicBlockV2", "BottleneckV1", "BottleneckV2", "get_resnet",
    "resnet18_v1", "resnet34_v1", "resnet50_v1", "resnet101_v1", "resnet152_v1",
    "resnet18_v2", "resnet34_v2", "resnet50_v2", "resnet101_v2", "resnet152_v2",
    "SqueezeNet", "squeezenet1_0", "squeezenet1_1",
    "VGG", "get_vgg", "vgg11", "vgg13", "vgg16", "vgg19", "vgg11_bn", "vgg13_bn", "vgg16_bn", "vgg19_bn",
    "densenet", "inception", "mobilenet", "resnet", "squeezenet", "vgg",
]

# get_model's names (MXNet's; the keys of the pretrained-file table) -> constructors
_models = {
    "resnet18_v1": resnet18_v1, "resnet34_v1": resnet34_v1, "resnet50_v1": resnet50_v1,
    "resnet101_v1": resnet101_v1, "resnet152_v1": resnet152_v1,
    "resnet18_v2": resnet18_v2, "resnet34_v2": resnet34_v2, "resnet50_v2": resnet50_v2,
    "resnet101_v2": resnet101_v2, "resnet152_v2": resnet152_v2,
    "vgg11": vgg11, "vgg13": vgg13, "vgg16": vgg16, "vgg19": vgg19,
    "vgg11_bn": vgg11_bn, "vgg13_bn": vgg13_bn, "vgg16_bn": vgg16_bn, "vgg19_bn": vgg19_bn,
    "alexnet": alexnet,
    "densenet121": densenet121, "densenet161": densenet161, "densenet169": densenet169, "densenet201": densenet201,
    "squeezenet1.0": squeezenet1_0, "squeezenet1.1": squeezenet1_1,
    "inceptionv3": inception_v3,
    "mobilenet1.0": mobilenet1_0, "mobilenet0.75": mobilenet0_75, "mobilenet0.5": mobilenet0_5,
    "mobilenet0.25": mobilenet0_25,
    "mobilenetv2_1.0": mobilenet_v2_1_0, "mobilenetv2_0.75": mobilenet_v2_0_75,
    "mobilenetv2_0.5": mobilenet_v2_0_5, "mobilenetv2_0.25": mobilenet_v2_0_25,
}


def get_model(name: str, **kwargs):
    """Build the model zoo's network ``name`` (case-insensitive), e.g. ``'resnet50_v2'``,
    ``'squeezenet1.1'``, ``'mobilenetv2_0.5'``, ``'inceptionv3'``.

    Parameters
    ----------
    name : str
        One of MXNet's model names (the error for an unknown name lists them).
    pretrained : bool, default False
        Load MXNet's ImageNet weights from ``<root>/<name>-<short hash>.params``.
    classes : int, default 1000
        Number of classes of the output layer.
    ctx : Context, default cpu()
        Where the pretrained weights are loaded.
    root : str, optional
        Directory of pretrained files; default ``$MXNET_HOME/models``.

    Returns
    -------
    HybridBlock

    Raises
    ------
    GluonicValueError
        For an unknown name (a ``ValueError``, as in MXNet).
    """
    key = name.lower()
    if key not in _models:
        options = "\n\t".join(sorted(_models))
        raise GluonicValueError(
            f"Model {key} is not supported. Available options are\n\t{options}\nReceived: name={name!r}")
    return _models[key](**kwargs)
