"""SqueezeNet 1.0 (Iandola et al., 2016, https://arxiv.org/abs/1602.07360) and 1.1 (the
SqueezeNet authors' cheaper revision), with MXNet 1.9's block structure and names.

Parameter names (``squeezenet0_conv0_weight``) and structural names
(``features.3.1.0.0.weight``) are MXNet's, so MXNet's ``squeezenet1.*.params`` load
unchanged. The classifier ends in a 13x13 average pool (stride 13), so the features must be
at least 13x13: inputs of at least 213x213 (1.0) or 209x209 (1.1); 224x224 is the pretrained
size. Features of 26x26 or more (inputs above ~420) give (N, classes * k) after the final
Flatten, as in MXNet.

Example
-------
>>> import gluonic as mx
>>> from gluonic.gluon.model_zoo import vision
>>> net = vision.squeezenet1_1(classes=10)
>>> net.initialize()
>>> net(mx.nd.ones((1, 3, 224, 224))).shape
(1, 10)
"""
from __future__ import annotations

from ....base import GluonicValueError
from ....context import cpu
from ... import nn
from ...block import HybridBlock
from ...contrib.nn import HybridConcurrent

__all__ = ["SqueezeNet", "squeezenet1_0", "squeezenet1_1"]


def _conv_relu(channels: int, kernel_size: int, padding: int = 0) -> nn.HybridSequential:
    seq = nn.HybridSequential(prefix="")
    seq.add(nn.Conv2D(channels, kernel_size, padding=padding), nn.Activation("relu"))
    return seq


def _fire(squeeze: int, expand1x1: int, expand3x3: int) -> nn.HybridSequential:
    """Fire module: a 1x1 squeeze convolution, then 1x1 and 3x3 expand convolutions concatenated."""
    fire = nn.HybridSequential(prefix="")
    fire.add(_conv_relu(squeeze, 1))
    expand = HybridConcurrent(axis=1, prefix="")
    expand.add(_conv_relu(expand1x1, 1), _conv_relu(expand3x3, 3, 1))
    fire.add(expand)
    return fire


def _pool() -> nn.MaxPool2D:
    return nn.MaxPool2D(pool_size=3, strides=2, ceil_mode=True)


# version -> (stem channels, stem kernel, feature layout after the stem's ReLU and max-pool):
# a tuple is a Fire module's (squeeze, expand1x1, expand3x3), "pool" a 3x3/2 max-pool.
_layouts = {
    "1.0": (96, 7, [(16, 64, 64), (16, 64, 64), (32, 128, 128), "pool", (32, 128, 128), (48, 192, 192),
                    (48, 192, 192), (64, 256, 256), "pool", (64, 256, 256)]),
    "1.1": (64, 3, [(16, 64, 64), (16, 64, 64), "pool", (32, 128, 128), (32, 128, 128), "pool",
                    (48, 192, 192), (48, 192, 192), (64, 256, 256), (64, 256, 256)]),
}


class SqueezeNet(HybridBlock):
    """SqueezeNet: a strided stem convolution, Fire modules with max-pools, dropout, and a
    1x1-convolution classifier followed by 13x13 average pooling.

    Parameters
    ----------
    version : str
        ``'1.0'`` or ``'1.1'``.
    classes : int, default 1000
        Number of classes.

    Shapes: input (N, 3, H, W), 213 <= H, W < ~420 (209 for 1.1) → output (N, classes). Children: ``features`` and ``output``.

    Raises
    ------
    GluonicValueError
        For another version.
    """

    def __init__(self, version, classes=1000, **kwargs):
        super().__init__(**kwargs)
        if version not in _layouts:
            raise GluonicValueError(
                f"Unsupported SqueezeNet version {version}: 1.0 or 1.1 expected. Received: version={version!r}")
        stem_channels, stem_kernel, layout = _layouts[version]
        with self.name_scope():
            self.features = nn.HybridSequential(prefix="")
            self.features.add(nn.Conv2D(stem_channels, kernel_size=stem_kernel, strides=2), nn.Activation("relu"),
                              _pool())
            for item in layout:
                self.features.add(_pool() if item == "pool" else _fire(*item))
            self.features.add(nn.Dropout(0.5))

            self.output = nn.HybridSequential(prefix="")
            self.output.add(nn.Conv2D(classes, kernel_size=1), nn.Activation("relu"), nn.AvgPool2D(13),
                            nn.Flatten())

    def hybrid_forward(self, F, x):
        return self.output(self.features(x))


def get_squeezenet(version, pretrained=False, ctx=cpu(), root=None, **kwargs):  # noqa: B008
    """SqueezeNet ``version`` ``'1.0'`` or ``'1.1'``.

    Parameters
    ----------
    version : str
        ``'1.0'`` or ``'1.1'``.
    pretrained : bool, default False
        Load MXNet's ImageNet weights from ``<root>/squeezenet<version>-<hash>.params``
        (never downloaded: a missing file raises an error that says where to put it).
    ctx : Context, default cpu()
        Where the pretrained weights are loaded.
    root : str, optional
        Directory of pretrained files; default ``$MXNET_HOME/models`` (``~/.mxnet/models``).
    **kwargs
        ``classes``, ``prefix``, ``params`` for :class:`SqueezeNet`.

    Returns
    -------
    SqueezeNet
    """
    net = SqueezeNet(version, **kwargs)
    if pretrained:
        from ..model_store import get_model_file

        net.load_parameters(get_model_file(f"squeezenet{version}", root=root), ctx=ctx)
    return net


def squeezenet1_0(**kwargs):
    """SqueezeNet 1.0; ``pretrained``, ``ctx``, ``root`` and ``classes`` as in :func:`get_squeezenet`."""
    return get_squeezenet("1.0", **kwargs)


def squeezenet1_1(**kwargs):
    """SqueezeNet 1.1 (2.4x less computation than 1.0, as accurate); arguments as in :func:`get_squeezenet`."""
    return get_squeezenet("1.1", **kwargs)
