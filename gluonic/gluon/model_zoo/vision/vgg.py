"""VGG (Simonyan & Zisserman, 2014, https://arxiv.org/abs/1409.1556), with or without
BatchNorm, with MXNet 1.9's block structure, names and initializers.

Parameter names (``vgg0_conv0_weight``, ``vgg0_dense0_weight``) and structural names
(``features.0.weight``, ``output.weight``) are MXNet's, so MXNet's ``vgg*.params`` load
unchanged. The first Dense layer infers its input size: 25088 for 224x224 images (the
pretrained weights), 512 for 32x32 ones.

Example
-------
>>> import gluonic as mx
>>> from gluonic.gluon.model_zoo import vision
>>> net = vision.vgg11(classes=10)
>>> net.initialize()
>>> net(mx.nd.ones((1, 3, 32, 32))).shape
(1, 10)
"""
from __future__ import annotations

from ....base import GluonicValueError
from ....context import cpu
from ....initializer import Xavier
from ... import nn
from ...block import HybridBlock

__all__ = ["VGG", "vgg11", "vgg13", "vgg16", "vgg19", "vgg11_bn", "vgg13_bn", "vgg16_bn", "vgg19_bn", "get_vgg"]


class VGG(HybridBlock):
    """VGG: groups of 3x3 convolutions (each group ending in a 2x2 max-pool), two Dense-4096
    layers with dropout, and a Dense classifier.

    Parameters
    ----------
    layers : list of int
        Convolutions per group.
    filters : list of int
        Channels of each group (same length as ``layers``).
    classes : int, default 1000
        Number of classes.
    batch_norm : bool, default False
        Insert BatchNorm after every convolution.

    Shapes: input (N, 3, H, W), H and W multiples of 2 ** len(layers) → output (N, classes).
    Children: ``features`` (convolutions and the two hidden Dense layers) and ``output``.
    """

    def __init__(self, layers, filters, classes=1000, batch_norm=False, **kwargs):
        super().__init__(**kwargs)
        if len(layers) != len(filters):
            raise GluonicValueError(
                f"VGG: layers and filters must have the same length. Received: layers={list(layers)}, "
                f"filters={list(filters)}")
        with self.name_scope():
            self.features = self._make_features(layers, filters, batch_norm)
            for _ in range(2):
                self.features.add(nn.Dense(4096, activation="relu", weight_initializer="normal",
                                           bias_initializer="zeros"))
                self.features.add(nn.Dropout(rate=0.5))
            self.output = nn.Dense(classes, weight_initializer="normal", bias_initializer="zeros")

    def _make_features(self, layers, filters, batch_norm) -> nn.HybridSequential:
        features = nn.HybridSequential(prefix="")
        for num_convs, channels in zip(layers, filters):
            for _ in range(num_convs):
                features.add(nn.Conv2D(channels, kernel_size=3, padding=1,
                                       weight_initializer=Xavier(rnd_type="gaussian", factor_type="out", magnitude=2),
                                       bias_initializer="zeros"))
                if batch_norm:
                    features.add(nn.BatchNorm())
                features.add(nn.Activation("relu"))
            features.add(nn.MaxPool2D(strides=2))
        return features

    def hybrid_forward(self, F, x):
        return self.output(self.features(x))


# depth -> (convolutions per group, channels per group)
vgg_spec = {11: ([1, 1, 2, 2, 2], [64, 128, 256, 512, 512]),
            13: ([2, 2, 2, 2, 2], [64, 128, 256, 512, 512]),
            16: ([2, 2, 3, 3, 3], [64, 128, 256, 512, 512]),
            19: ([2, 2, 4, 4, 4], [64, 128, 256, 512, 512])}


def get_vgg(num_layers, pretrained=False, ctx=cpu(), root=None, **kwargs):  # noqa: B008
    """VGG-11, 13, 16 or 19 (``batch_norm=True`` for the BatchNorm variants).

    Parameters
    ----------
    num_layers : int
        11, 13, 16 or 19.
    pretrained : bool, default False
        Load MXNet's ImageNet weights from ``<root>/vgg<num_layers>[_bn]-<hash>.params``
        (never downloaded: a missing file raises an error that says where to put it).
    ctx : Context, default cpu()
        Where the pretrained weights are loaded.
    root : str, optional
        Directory of pretrained files; default ``$MXNET_HOME/models`` (``~/.mxnet/models``).
    **kwargs
        ``classes``, ``batch_norm``, ``prefix``, ``params`` for :class:`VGG`.

    Returns
    -------
    VGG
    """
    if num_layers not in vgg_spec:
        raise GluonicValueError(
            f"Invalid number of layers: {num_layers}. Options are {sorted(vgg_spec)}. "
            f"Received: num_layers={num_layers!r}")
    layers, filters = vgg_spec[num_layers]
    net = VGG(layers, filters, **kwargs)
    if pretrained:
        from ..model_store import get_model_file

        suffix = "_bn" if kwargs.get("batch_norm") else ""
        net.load_parameters(get_model_file(f"vgg{num_layers}{suffix}", root=root), ctx=ctx)
    return net


def _vgg_constructor(depth: int, batch_norm: bool):
    def make(**kwargs):
        if batch_norm:
            kwargs["batch_norm"] = True
        return get_vgg(depth, **kwargs)

    name = f"vgg{depth}_bn" if batch_norm else f"vgg{depth}"
    make.__name__ = make.__qualname__ = name
    make.__doc__ = (f"VGG-{depth}{' with BatchNorm' if batch_norm else ''}; ``pretrained``, ``ctx``, ``root`` "
                    "and ``classes`` as in :func:`get_vgg`.")
    return make


vgg11 = _vgg_constructor(11, False)
vgg13 = _vgg_constructor(13, False)
vgg16 = _vgg_constructor(16, False)
vgg19 = _vgg_constructor(19, False)
vgg11_bn = _vgg_constructor(11, True)
vgg13_bn = _vgg_constructor(13, True)
vgg16_bn = _vgg_constructor(16, True)
vgg19_bn = _vgg_constructor(19, True)
