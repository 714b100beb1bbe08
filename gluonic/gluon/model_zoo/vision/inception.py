"""Inception v3 (Szegedy et al., 2016, https://arxiv.org/abs/1512.00567) with MXNet 1.9's names.

Blocks, prefixes (``inception30_A1_conv0_weight``) and structural names are MXNet's, so
MXNet's ``inceptionv3-*.params`` load unchanged. The input must be at least 299x299.

Example
-------
>>> import gluonic as mx
>>> from gluonic.gluon.model_zoo.vision import inception_v3
>>> with mx.name.NameManager():  # fresh name counters, as in a new MXNet process
...     net = inception_v3(classes=10)
>>> net.collect_params()["inception30_A1_conv0_weight"].shape  # (out, in, kh, kw); in is set at the first call
(64, 0, 1, 1)
"""
from __future__ import annotations

from ....context import cpu
from ... import nn
from ...block import HybridBlock
from ...contrib.nn import HybridConcurrent

__all__ = ["Inception3", "inception_v3"]


def _conv_bn_relu(channels, kernel_size, strides=None, padding=None) -> nn.HybridSequential:
    """Conv2D (no bias) -> BatchNorm(eps=1e-3) -> ReLU; ``None`` keeps Conv2D's default."""
    conv_kwargs = {"channels": channels, "kernel_size": kernel_size}
    if strides is not None:
        conv_kwargs["strides"] = strides
    if padding is not None:
        conv_kwargs["padding"] = padding
    seq = nn.HybridSequential(prefix="")
    seq.add(nn.Conv2D(use_bias=False, **conv_kwargs))
    seq.add(nn.BatchNorm(epsilon=0.001))
    seq.add(nn.Activation("relu"))
    return seq


def _branch(pool: str | None, *convs) -> nn.HybridSequential:
    """An optional 3x3 pooling ('avg': stride 1 pad 1; 'max': stride 2) then conv-bn-relu units.

    Each conv is ``(channels, kernel_size, strides, padding)``, ``None`` meaning the default.
    """
    seq = nn.HybridSequential(prefix="")
    if pool == "avg":
        seq.add(nn.AvgPool2D(pool_size=3, strides=1, padding=1))
    elif pool == "max":
        seq.add(nn.MaxPool2D(pool_size=3, strides=2))
    for conv in convs:
        seq.add(_conv_bn_relu(*conv))
    return seq


def _concurrent(prefix: str, *branches) -> HybridConcurrent:
    out = HybridConcurrent(axis=1, prefix=prefix)
    with out.name_scope():
        for make in branches:
            out.add(make())
    return out


def _block_a(pool_features: int, prefix: str) -> HybridConcurrent:
    return _concurrent(
        prefix,
        lambda: _branch(None, (64, 1)),
        lambda: _branch(None, (48, 1), (64, 5, None, 2)),
        lambda: _branch(None, (64, 1), (96, 3, None, 1), (96, 3, None, 1)),
        lambda: _branch("avg", (pool_features, 1)))


def _block_b(prefix: str) -> HybridConcurrent:
    return _concurrent(
        prefix,
        lambda: _branch(None, (384, 3, 2)),
        lambda: _branch(None, (64, 1), (96, 3, None, 1), (96, 3, 2)),
        lambda: _branch("max"))


def _block_c(c7: int, prefix: str) -> HybridConcurrent:
    return _concurrent(
        prefix,
        lambda: _branch(None, (192, 1)),
        lambda: _branch(None, (c7, 1), (c7, (1, 7), None, (0, 3)), (192, (7, 1), None, (3, 0))),
        lambda: _branch(None, (c7, 1), (c7, (7, 1), None, (3, 0)), (c7, (1, 7), None, (0, 3)),
                        (c7, (7, 1), None, (3, 0)), (192, (1, 7), None, (0, 3))),
        lambda: _branch("avg", (192, 1)))


def _block_d(prefix: str) -> HybridConcurrent:
    return _concurrent(
        prefix,
        lambda: _branch(None, (192, 1), (320, 3, 2)),
        lambda: _branch(None, (192, 1), (192, (1, 7), None, (0, 3)), (192, (7, 1), None, (3, 0)), (192, 3, 2)),
        lambda: _branch("max"))


def _split_1x3_3x1() -> HybridConcurrent:
    split = HybridConcurrent(axis=1, prefix="")
    split.add(_branch(None, (384, (1, 3), None, (0, 1))))
    split.add(_branch(None, (384, (3, 1), None, (1, 0))))
    return split


def _block_e(prefix: str) -> HybridConcurrent:
    def expanded(*stem):
        seq = nn.HybridSequential(prefix="")
        seq.add(_branch(None, *stem))
        seq.add(_split_1x3_3x1())
        return seq

    return _concurrent(
        prefix,
        lambda: _branch(None, (320, 1)),
        lambda: expanded((384, 1)),
        lambda: expanded((448, 1), (384, 3, None, 1)),
        lambda: _branch("avg", (192, 1)))


def make_aux(classes):
    """The auxiliary classifier head of the paper (MXNet defines it; Inception3 does not use it)."""
    out = nn.HybridSequential(prefix="")
    out.add(nn.AvgPool2D(pool_size=5, strides=3))
    out.add(_conv_bn_relu(128, 1))
    out.add(_conv_bn_relu(768, 5))
    out.add(nn.Flatten())
    out.add(nn.Dense(classes))
    return out


class Inception3(HybridBlock):
    """Inception v3 without the auxiliary head.

    Parameters
    ----------
    classes : int, default 1000
        Number of output classes.

    Input: (N, 3, H, W) with H, W >= 299 (the final 8x8 average pool needs an 8x8 feature map).
    Output: (N, classes).
    """

    def __init__(self, classes=1000, **kwargs):
        super().__init__(**kwargs)
        with self.name_scope():
            self.features = nn.HybridSequential(prefix="")
            for unit in (_conv_bn_relu(32, 3, 2), _conv_bn_relu(32, 3), _conv_bn_relu(64, 3, None, 1),
                         nn.MaxPool2D(pool_size=3, strides=2),
                         _conv_bn_relu(80, 1), _conv_bn_relu(192, 3),
                         nn.MaxPool2D(pool_size=3, strides=2)):
                self.features.add(unit)
            self.features.add(_block_a(32, "A1_"))
            self.features.add(_block_a(64, "A2_"))
            self.features.add(_block_a(64, "A3_"))
            self.features.add(_block_b("B_"))
            for i, c7 in enumerate((128, 160, 160, 192)):
                self.features.add(_block_c(c7, f"C{i + 1}_"))
            self.features.add(_block_d("D_"))
            self.features.add(_block_e("E1_"))
            self.features.add(_block_e("E2_"))
            self.features.add(nn.AvgPool2D(pool_size=8))
            self.features.add(nn.Dropout(0.5))
            self.output = nn.Dense(classes)

    def hybrid_forward(self, F, x):
        return self.output(self.features(x))


def inception_v3(pretrained=False, ctx=cpu(), root=None, **kwargs):  # noqa: B008
    """Inception v3.

    Parameters
    ----------
    pretrained : bool, default False
        Load ``<root>/inceptionv3-<hash>.params`` (never downloaded: a missing file is an error).
    ctx : Context, default CPU
        Context of the loaded parameters.
    root : str, optional
        Directory of the parameter files; default ``$MXNET_HOME/models`` (``~/.mxnet/models``), read at call time.
    **kwargs
        Passed to :class:`Inception3` (``classes``, ``prefix``...).
    """
    net = Inception3(**kwargs)
    if pretrained:
        from ..model_store import get_model_file
        net.load_parameters(get_model_file("inceptionv3", root=root), ctx=ctx)
    return net
