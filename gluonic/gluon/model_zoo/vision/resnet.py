"""ResNet V1 (He et al., 2015, https://arxiv.org/abs/1512.03385) and V2 (He et al., 2016,
https://arxiv.org/abs/1603.05027), with MXNet 1.9's block structure and names.

Parameter names (``resnetv10_stage1_conv0_weight``) and structural names
(``features.4.0.body.0.weight``) are MXNet's, so MXNet's ``resnet*_v*.params`` files load
unchanged.

Example
-------
>>> import gluonic as mx
>>> from gluonic.gluon.model_zoo import vision
>>> net = vision.resnet18_v1(classes=10)
>>> net.initialize()
>>> net(mx.nd.ones((1, 3, 32, 32))).shape
(1, 10)
"""
from __future__ import annotations

from ....base import GluonicValueError
from ....context import cpu
from ... import nn
from ...block import HybridBlock

__all__ = ["ResNetV1", "ResNetV2", "BasicBlockV1", "BasicBlockV2", "BottleneckV1", "BottleneckV2",
           "resnet18_v1", "resnet34_v1", "resnet50_v1", "resnet101_v1", "resnet152_v1",
           "resnet18_v2", "resnet34_v2", "resnet50_v2", "resnet101_v2", "resnet152_v2",
           "get_resnet"]


def _conv3x3(channels: int, stride: int, in_channels: int) -> nn.Conv2D:
    return nn.Conv2D(channels, kernel_size=3, strides=stride, padding=1, use_bias=False, in_channels=in_channels)


def _projection_v1(channels: int, stride: int, in_channels: int) -> nn.HybridSequential:
    """1x1 strided convolution + BatchNorm that brings the shortcut to the body's shape."""
    proj = nn.HybridSequential(prefix="")
    proj.add(nn.Conv2D(channels, kernel_size=1, strides=stride, use_bias=False, in_channels=in_channels))
    proj.add(nn.BatchNorm())
    return proj


def _projection_v2(channels: int, stride: int, in_channels: int) -> nn.Conv2D:
    """1x1 strided convolution (no BatchNorm: V2 shortcuts read the pre-activated input)."""
    return nn.Conv2D(channels, 1, stride, use_bias=False, in_channels=in_channels)


class BasicBlockV1(HybridBlock):
    """Two 3x3 convolutions with a shortcut, ReLU after the sum (ResNet-18/34 V1).

    Parameters
    ----------
    channels : int
        Output channels.
    stride : int
        Stride of the first convolution (and of the projection shortcut).
    downsample : bool, default False
        Use a 1x1 convolution + BatchNorm on the shortcut (when shape changes).
    in_channels : int, default 0
        Input channels; 0 infers them at the first forward pass.

    Shapes: (N, in_channels, H, W) → (N, channels, ceil(H / stride), ceil(W / stride)).
    """

    def __init__(self, channels, stride, downsample=False, in_channels=0, **kwargs):
        super().__init__(**kwargs)
        self.body = nn.HybridSequential(prefix="")
        self.body.add(_conv3x3(channels, stride, in_channels), nn.BatchNorm(), nn.Activation("relu"),
                      _conv3x3(channels, 1, channels), nn.BatchNorm())
        self.downsample = _projection_v1(channels, stride, in_channels) if downsample else None

    def hybrid_forward(self, F, x):
        shortcut = x if self.downsample is None else self.downsample(x)
        return F.Activation(shortcut + self.body(x), act_type="relu")


class BottleneckV1(HybridBlock):
    """1x1 → 3x3 → 1x1 convolutions (``channels // 4`` wide inside) with a shortcut, ResNet-50+ V1.

    As in MXNet, the stride sits on the first 1x1 convolution, and the two 1x1
    convolutions of the body have biases.

    Parameters
    ----------
    channels, stride, downsample, in_channels
        As in :class:`BasicBlockV1`.

    Shapes: (N, in_channels, H, W) → (N, channels, ceil(H / stride), ceil(W / stride)).
    """

    def __init__(self, channels, stride, downsample=False, in_channels=0, **kwargs):
        super().__init__(**kwargs)
        inner = channels // 4
        self.body = nn.HybridSequential(prefix="")
        self.body.add(nn.Conv2D(inner, kernel_size=1, strides=stride), nn.BatchNorm(), nn.Activation("relu"),
                      _conv3x3(inner, 1, inner), nn.BatchNorm(), nn.Activation("relu"),
                      nn.Conv2D(channels, kernel_size=1, strides=1), nn.BatchNorm())
        self.downsample = _projection_v1(channels, stride, in_channels) if downsample else None

    def hybrid_forward(self, F, x):
        shortcut = x if self.downsample is None else self.downsample(x)
        return F.Activation(self.body(x) + shortcut, act_type="relu")


class BasicBlockV2(HybridBlock):
    """Pre-activation basic block (BN → ReLU → 3x3 conv, twice) of ResNet-18/34 V2.

    The identity shortcut carries the raw input; the projection shortcut (a 1x1 convolution,
    no BatchNorm) reads the pre-activated one.

    Parameters
    ----------
    channels, stride, downsample, in_channels
        As in :class:`BasicBlockV1`.

    Shapes: (N, in_channels, H, W) → (N, channels, ceil(H / stride), ceil(W / stride)).
    """

    def __init__(self, channels, stride, downsample=False, in_channels=0, **kwargs):
        super().__init__(**kwargs)
        self.bn1 = nn.BatchNorm()
        self.conv1 = _conv3x3(channels, stride, in_channels)
        self.bn2 = nn.BatchNorm()
        self.conv2 = _conv3x3(channels, 1, channels)
        self.downsample = _projection_v2(channels, stride, in_channels) if downsample else None

    def hybrid_forward(self, F, x):
        shortcut = x
        x = F.Activation(self.bn1(x), act_type="relu")
        if self.downsample is not None:
            shortcut = self.downsample(x)
        x = self.conv1(x)
        x = self.conv2(F.Activation(self.bn2(x), act_type="relu"))
        return x + shortcut


class BottleneckV2(HybridBlock):
    """Pre-activation bottleneck block (1x1 → 3x3 → 1x1, stride on the 3x3) of ResNet-50+ V2.

    Parameters
    ----------
    channels, stride, downsample, in_channels
        As in :class:`BasicBlockV1`.

    Shapes: (N, in_channels, H, W) → (N, channels, ceil(H / stride), ceil(W / stride)).
    """

    def __init__(self, channels, stride, downsample=False, in_channels=0, **kwargs):
        super().__init__(**kwargs)
        inner = channels // 4
        self.bn1 = nn.BatchNorm()
        self.conv1 = nn.Conv2D(inner, kernel_size=1, strides=1, use_bias=False)
        self.bn2 = nn.BatchNorm()
        self.conv2 = _conv3x3(inner, stride, inner)
        self.bn3 = nn.BatchNorm()
        self.conv3 = nn.Conv2D(channels, kernel_size=1, strides=1, use_bias=False)
        self.downsample = _projection_v2(channels, stride, in_channels) if downsample else None

    def hybrid_forward(self, F, x):
        shortcut = x
        x = F.Activation(self.bn1(x), act_type="relu")
        if self.downsample is not None:
            shortcut = self.downsample(x)
        x = self.conv1(x)
        x = self.conv2(F.Activation(self.bn2(x), act_type="relu"))
        x = self.conv3(F.Activation(self.bn3(x), act_type="relu"))
        return x + shortcut


def _check_spec(cls_name: str, layers, channels) -> None:
    if len(layers) != len(channels) - 1:
        raise GluonicValueError(
            f"{cls_name}: channels must have one entry more than layers (the stem's width first). "
            f"Received: layers={list(layers)}, channels={list(channels)}")


def _stage(block, num_blocks: int, channels: int, stride: int, index: int, in_channels: int) -> nn.HybridSequential:
    """Stage ``index``: one block that may change shape, then ``num_blocks - 1`` identity-shaped ones."""
    stage = nn.HybridSequential(prefix=f"stage{index}_")
    with stage.name_scope():
        stage.add(block(channels, stride, channels != in_channels, in_channels=in_channels, prefix=""))
        for _ in range(num_blocks - 1):
            stage.add(block(channels, 1, False, in_channels=channels, prefix=""))
    return stage


def _stem(features: nn.HybridSequential, width: int, thumbnail: bool) -> None:
    """A 3x3 convolution for small images (``thumbnail``), else 7x7/2 conv, BN, ReLU, 3x3/2 max-pool."""
    if thumbnail:
        features.add(_conv3x3(width, 1, 0))
    else:
        features.add(nn.Conv2D(width, 7, 2, 3, use_bias=False), nn.BatchNorm(), nn.Activation("relu"),
                     nn.MaxPool2D(3, 2, 1))


class ResNetV1(HybridBlock):
    """ResNet V1: stem, four stages of residual blocks, global average pooling, a Dense classifier.

    Parameters
    ----------
    block : type
        :class:`BasicBlockV1` or :class:`BottleneckV1`.
    layers : list of int
        Blocks per stage.
    channels : list of int
        Stem width followed by each stage's width (one entry more than ``layers``).
    classes : int, default 1000
        Number of classes.
    thumbnail : bool, default False
        Replace the 7x7/2 stem and max-pool by one 3x3 convolution (for e.g. 32x32 inputs).

    Shapes: input (N, 3, H, W) → output (N, classes). Children: ``features`` and ``output``.
    """

    def __init__(self, block, layers, channels, classes=1000, thumbnail=False, **kwargs):
        super().__init__(**kwargs)
        _check_spec("ResNetV1", layers, channels)
        with self.name_scope():
            self.features = nn.HybridSequential(prefix="")
            _stem(self.features, channels[0], thumbnail)
            for i, num_blocks in enumerate(layers):
                self.features.add(_stage(block, num_blocks, channels[i + 1], 1 if i == 0 else 2, i + 1,
                                         in_channels=channels[i]))
            self.features.add(nn.GlobalAvgPool2D())
            self.output = nn.Dense(classes, in_units=channels[-1])

    def hybrid_forward(self, F, x):
        return self.output(self.features(x))


class ResNetV2(HybridBlock):
    """ResNet V2 (pre-activation): input BatchNorm, stem, four stages, BN-ReLU, pooling, Dense.

    Parameters
    ----------
    block : type
        :class:`BasicBlockV2` or :class:`BottleneckV2`.
    layers, channels, classes, thumbnail
        As in :class:`ResNetV1`.

    Shapes: input (N, 3, H, W) → output (N, classes). Children: ``features`` and ``output``.
    """

    def __init__(self, block, layers, channels, classes=1000, thumbnail=False, **kwargs):
        super().__init__(**kwargs)
        _check_spec("ResNetV2", layers, channels)
        with self.name_scope():
            self.features = nn.HybridSequential(prefix="")
            self.features.add(nn.BatchNorm(scale=False, center=False))  # normalizes the raw input
            _stem(self.features, channels[0], thumbnail)
            in_channels = channels[0]
            for i, num_blocks in enumerate(layers):
                self.features.add(_stage(block, num_blocks, channels[i + 1], 1 if i == 0 else 2, i + 1,
                                         in_channels=in_channels))
                in_channels = channels[i + 1]
            self.features.add(nn.BatchNorm(), nn.Activation("relu"), nn.GlobalAvgPool2D(), nn.Flatten())
            self.output = nn.Dense(classes, in_units=in_channels)

    def hybrid_forward(self, F, x):
        return self.output(self.features(x))


# depth -> (block kind, blocks per stage, stem width + stage widths)
resnet_spec = {18: ("basic_block", [2, 2, 2, 2], [64, 64, 128, 256, 512]),
               34: ("basic_block", [3, 4, 6, 3], [64, 64, 128, 256, 512]),
               50: ("bottle_neck", [3, 4, 6, 3], [64, 256, 512, 1024, 2048]),
               101: ("bottle_neck", [3, 4, 23, 3], [64, 256, 512, 1024, 2048]),
               152: ("bottle_neck", [3, 8, 36, 3], [64, 256, 512, 1024, 2048])}

resnet_net_versions = [ResNetV1, ResNetV2]
resnet_block_versions = [{"basic_block": BasicBlockV1, "bottle_neck": BottleneckV1},
                         {"basic_block": BasicBlockV2, "bottle_neck": BottleneckV2}]


def get_resnet(version, num_layers, pretrained=False, ctx=cpu(), root=None, **kwargs):  # noqa: B008
    """ResNet V1 or V2 of depth 18, 34, 50, 101 or 152.

    Parameters
    ----------
    version : int
        1 or 2.
    num_layers : int
        18, 34, 50, 101 or 152.
    pretrained : bool, default False
        Load MXNet's ImageNet weights from ``<root>/resnet<num_layers>_v<version>-<hash>.params``
        (never downloaded: a missing file raises an error that says where to put it).
    ctx : Context, default cpu()
        Where the pretrained weights are loaded.
    root : str, optional
        Directory of pretrained files; default ``$MXNET_HOME/models`` (``~/.mxnet/models``).
    **kwargs
        ``classes``, ``thumbnail``, ``prefix``, ``params`` for the network's class.

    Returns
    -------
    ResNetV1 or ResNetV2

    Raises
    ------
    GluonicValueError
        For an unknown depth or version.
    """
    if num_layers not in resnet_spec:
        raise GluonicValueError(
            f"Invalid number of layers: {num_layers}. Options are {sorted(resnet_spec)}. "
            f"Received: num_layers={num_layers!r}")
    if version not in (1, 2):
        raise GluonicValueError(f"Invalid resnet version: {version}. Options are 1 and 2. Received: version={version!r}")
    kind, layers, channels = resnet_spec[num_layers]
    net = resnet_net_versions[version - 1](resnet_block_versions[version - 1][kind], layers, channels, **kwargs)
    if pretrained:
        from ..model_store import get_model_file

        net.load_parameters(get_model_file(f"resnet{num_layers}_v{version}", root=root), ctx=ctx)
    return net


def _resnet_constructor(version: int, depth: int):
    def make(**kwargs):
        return get_resnet(version, depth, **kwargs)

    make.__name__ = make.__qualname__ = f"resnet{depth}_v{version}"
    make.__doc__ = (f"ResNet-{depth} V{version}; ``pretrained``, ``ctx``, ``root`` and the network's arguments "
                    f"(``classes``, ``thumbnail``...) as in :func:`get_resnet`.")
    return make


resnet18_v1 = _resnet_constructor(1, 18)
resnet34_v1 = _resnet_constructor(1, 34)
resnet50_v1 = _resnet_constructor(1, 50)
resnet101_v1 = _resnet_constructor(1, 101)
resnet152_v1 = _resnet_constructor(1, 152)
resnet18_v2 = _resnet_constructor(2, 18)
resnet34_v2 = _resnet_constructor(2, 34)
resnet50_v2 = _resnet_constructor(2, 50)
resnet101_v2 = _resnet_constructor(2, 101)
resnet152_v2 = _resnet_constructor(2, 152)
