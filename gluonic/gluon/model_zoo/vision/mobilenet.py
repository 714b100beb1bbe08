"""MobileNet (https://arxiv.org/abs/1704.04861) and MobileNetV2 (https://arxiv.org/abs/1801.04381)
with MXNet 1.9's names.

Blocks, prefixes (``mobilenet0_conv0_weight``, ``mobilenetv20_features_linearbottleneck0_conv0_weight``)
and structural names are MXNet's, so MXNet's ``mobilenet*.params`` load unchanged. Any input size
works (global average pooling); 224x224 for the pretrained weights.

Example
-------
>>> import gluonic as mx
>>> from gluonic.gluon.model_zoo.vision import mobilenet0_25, mobilenet_v2_0_25
>>> net = mobilenet0_25(classes=10)
>>> net.initialize()
>>> net(mx.nd.ones((1, 3, 32, 32))).shape
(1, 10)
>>> net = mobilenet_v2_0_25(classes=10)
>>> net.initialize()
>>> net(mx.nd.ones((1, 3, 32, 32))).shape
(1, 10)
"""
from __future__ import annotations

from ....context import cpu
from ... import nn
from ...block import HybridBlock

__all__ = ["MobileNet", "MobileNetV2", "mobilenet1_0", "mobilenet_v2_1_0", "mobilenet0_75", "mobilenet_v2_0_75",
           "mobilenet0_5", "mobilenet_v2_0_5", "mobilenet0_25", "mobilenet_v2_0_25", "get_mobilenet",
           "get_mobilenet_v2"]


class RELU6(nn.HybridBlock):
    """ReLU6, ``min(max(x, 0), 6)`` (a ``clip`` node named ``relu6`` in exported graphs)."""

    def hybrid_forward(self, F, x):
        return F.clip(x, 0, 6, name="relu6")


def _add_conv(out, channels=1, kernel=1, stride=1, pad=0, num_group=1, active=True, relu6=False):
    """Append Conv2D (no bias) -> BatchNorm -> ReLU/ReLU6 (no activation when ``active`` is False)."""
    out.add(nn.Conv2D(channels, kernel, stride, pad, groups=num_group, use_bias=False))
    out.add(nn.BatchNorm(scale=True))
    if active:
        out.add(RELU6() if relu6 else nn.Activation("relu"))


def _add_conv_dw(out, dw_channels, channels, stride, relu6=False):
    """Append a depthwise 3x3 unit then a pointwise 1x1 unit."""
    _add_conv(out, channels=dw_channels, kernel=3, stride=stride, pad=1, num_group=dw_channels, relu6=relu6)
    _add_conv(out, channels=channels, relu6=relu6)


class LinearBottleneck(nn.HybridBlock):
    """MobileNetV2's inverted residual: 1x1 expand (x t) -> 3x3 depthwise -> 1x1 linear projection,
    plus the input when ``stride == 1`` and ``in_channels == channels``.

    Parameters
    ----------
    in_channels : int
        Input channels.
    channels : int
        Output channels.
    t : int
        Expansion ratio.
    stride : int
        Stride of the depthwise convolution.
    """

    def __init__(self, in_channels, channels, t, stride, **kwargs):
        super().__init__(**kwargs)
        self.use_shortcut = stride == 1 and in_channels == channels
        with self.name_scope():
            self.out = nn.HybridSequential()
            hidden = in_channels * t
            _add_conv(self.out, hidden, relu6=True)
            _add_conv(self.out, hidden, kernel=3, stride=stride, pad=1, num_group=hidden, relu6=True)
            _add_conv(self.out, channels, active=False, relu6=True)

    def hybrid_forward(self, F, x):
        out = self.out(x)
        return F.elemwise_add(out, x) if self.use_shortcut else out


def _scaled(multiplier, counts):
    """Expand ``[(channels, repeat), ...]`` and scale each by ``multiplier`` (truncated like MXNet)."""
    return [int(c * multiplier) for c, n in counts for _ in range(n)]


class MobileNet(HybridBlock):
    """MobileNet v1: a strided 3x3 convolution then 13 depthwise-separable units.

    Parameters
    ----------
    multiplier : float, default 1.0
        Width multiplier (channels are ``int(c * multiplier)``); MXNet publishes 1.0, 0.75, 0.5, 0.25.
    classes : int, default 1000
        Number of output classes.

    Input: (N, 3, H, W), any H, W >= 1. Output: (N, classes).
    """

    def __init__(self, multiplier=1.0, classes=1000, **kwargs):
        super().__init__(**kwargs)
        with self.name_scope():
            self.features = nn.HybridSequential(prefix="")
            with self.features.name_scope():
                _add_conv(self.features, channels=int(32 * multiplier), kernel=3, pad=1, stride=2)
                dw_channels = _scaled(multiplier, [(32, 1), (64, 1), (128, 2), (256, 2), (512, 6), (1024, 1)])
                channels = _scaled(multiplier, [(64, 1), (128, 2), (256, 2), (512, 6), (1024, 2)])
                strides = [1, 2, 1, 2, 1, 2, 1, 1, 1, 1, 1, 2, 1]
                for dwc, c, s in zip(dw_channels, channels, strides):
                    _add_conv_dw(self.features, dw_channels=dwc, channels=c, stride=s)
                self.features.add(nn.GlobalAvgPool2D())
                self.features.add(nn.Flatten())
            self.output = nn.Dense(classes)

    def hybrid_forward(self, F, x):
        return self.output(self.features(x))


class MobileNetV2(nn.HybridBlock):
    """MobileNetV2: 17 inverted-residual bottlenecks, a 1x1 convolution to 1280 channels and a 1x1
    convolution classifier.

    Parameters
    ----------
    multiplier : float, default 1.0
        Width multiplier (channels are ``int(c * multiplier)``; the last stage keeps 1280 channels
        unless ``multiplier > 1``).
    classes : int, default 1000
        Number of output classes.

    Input: (N, 3, H, W), any H, W >= 1. Output: (N, classes).
    """

    def __init__(self, multiplier=1.0, classes=1000, **kwargs):
        super().__init__(**kwargs)
        with self.name_scope():
            self.features = nn.HybridSequential(prefix="features_")
            with self.features.name_scope():
                _add_conv(self.features, int(32 * multiplier), kernel=3, stride=2, pad=1, relu6=True)
                in_channels = _scaled(multiplier, [(32, 1), (16, 1), (24, 2), (32, 3), (64, 4), (96, 3), (160, 3)])
                out_channels = _scaled(multiplier, [(16, 1), (24, 2), (32, 3), (64, 4), (96, 3), (160, 3), (320, 1)])
                expansions = [1] + [6] * 16
                strides = [1, 2, 1, 2, 1, 1, 2, 1, 1, 1, 1, 1, 1, 2, 1, 1, 1]
                for in_c, c, t, s in zip(in_channels, out_channels, expansions, strides):
                    self.features.add(LinearBottleneck(in_channels=in_c, channels=c, t=t, stride=s))
                last_channels = int(1280 * multiplier) if multiplier > 1.0 else 1280
                _add_conv(self.features, last_channels, relu6=True)
                self.features.add(nn.GlobalAvgPool2D())
            self.output = nn.HybridSequential(prefix="output_")
            with self.output.name_scope():
                self.output.add(nn.Conv2D(classes, 1, use_bias=False, prefix="pred_"), nn.Flatten())

    def hybrid_forward(self, F, x):
        return self.output(self.features(x))


def _version_suffix(multiplier) -> str:
    # MXNet's file names: 1.0, 0.75, 0.5, 0.25
    suffix = f"{multiplier:.2f}"
    return suffix[:-1] if suffix in ("1.00", "0.50") else suffix


def get_mobilenet(multiplier, pretrained=False, ctx=cpu(), root=None, **kwargs):  # noqa: B008
    """MobileNet with width ``multiplier``.

    Parameters
    ----------
    multiplier : float
        Width multiplier.
    pretrained : bool, default False
        Load ``<root>/mobilenet<multiplier>-<hash>.params`` (never downloaded: a missing file is an error).
    ctx : Context, default CPU
        Context of the loaded parameters.
    root : str, optional
        Directory of the parameter files; default ``$MXNET_HOME/models`` (``~/.mxnet/models``), read at call time.
    **kwargs
        Passed to :class:`MobileNet` (``classes``, ``prefix``...).
    """
    net = MobileNet(multiplier, **kwargs)
    if pretrained:
        from ..model_store import get_model_file
        net.load_parameters(get_model_file(f"mobilenet{_version_suffix(multiplier)}", root=root), ctx=ctx)
    return net


def get_mobilenet_v2(multiplier, pretrained=False, ctx=cpu(), root=None, **kwargs):  # noqa: B008
    """MobileNetV2 with width ``multiplier``.

    Parameters
    ----------
    multiplier : float
        Width multiplier.
    pretrained : bool, default False
        Load ``<root>/mobilenetv2_<multiplier>-<hash>.params`` (never downloaded: a missing file is an error).
    ctx : Context, default CPU
        Context of the loaded parameters.
    root : str, optional
        Directory of the parameter files; default ``$MXNET_HOME/models`` (``~/.mxnet/models``), read at call time.
    **kwargs
        Passed to :class:`MobileNetV2` (``classes``, ``prefix``...).
    """
    net = MobileNetV2(multiplier, **kwargs)
    if pretrained:
        from ..model_store import get_model_file
        net.load_parameters(get_model_file(f"mobilenetv2_{_version_suffix(multiplier)}", root=root), ctx=ctx)
    return net


def mobilenet1_0(**kwargs):
    """MobileNet, width 1.0 (``pretrained``, ``ctx``, ``root``, ``classes``... as in :func:`get_mobilenet`)."""
    return get_mobilenet(1.0, **kwargs)


def mobilenet0_75(**kwargs):
    """MobileNet, width 0.75 (``pretrained``, ``ctx``, ``root``, ``classes``... as in :func:`get_mobilenet`)."""
    return get_mobilenet(0.75, **kwargs)


def mobilenet0_5(**kwargs):
    """MobileNet, width 0.5 (``pretrained``, ``ctx``, ``root``, ``classes``... as in :func:`get_mobilenet`)."""
    return get_mobilenet(0.5, **kwargs)


def mobilenet0_25(**kwargs):
    """MobileNet, width 0.25 (``pretrained``, ``ctx``, ``root``, ``classes``... as in :func:`get_mobilenet`)."""
    return get_mobilenet(0.25, **kwargs)


def mobilenet_v2_1_0(**kwargs):
    """MobileNetV2, width 1.0 (``pretrained``, ``ctx``, ``root``, ``classes``... as in :func:`get_mobilenet_v2`)."""
    return get_mobilenet_v2(1.0, **kwargs)


def mobilenet_v2_0_75(**kwargs):
    """MobileNetV2, width 0.75 (``pretrained``, ``ctx``, ``root``, ``classes``... as in :func:`get_mobilenet_v2`)."""
    return get_mobilenet_v2(0.75, **kwargs)


def mobilenet_v2_0_5(**kwargs):
    """MobileNetV2, width 0.5 (``pretrained``, ``ctx``, ``root``, ``classes``... as in :func:`get_mobilenet_v2`)."""
    return get_mobilenet_v2(0.5, **kwargs)


def mobilenet_v2_0_25(**kwargs):
    """MobileNetV2, width 0.25 (``pretrained``, ``ctx``, ``root``, ``classes``... as in :func:`get_mobilenet_v2`)."""
    return get_mobilenet_v2(0.25, **kwargs)
