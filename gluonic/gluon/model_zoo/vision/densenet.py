"""DenseNet-BC (Huang et al., 2017, https://arxiv.org/abs/1608.06993) with MXNet 1.9's names.

The block structure, prefixes (``densenet0_stage1_conv0_weight``) and structural names
(``features.4.0.1.2.weight``) are MXNet's, so MXNet's ``densenet121-*.params`` load unchanged.

Example
-------
>>> import gluonic as mx
>>> from gluonic.gluon.model_zoo.vision import DenseNet, densenet121
>>> len(densenet121().collect_params().keys())  # conv, BatchNorm and dense parameters
606
>>> tiny = DenseNet(num_init_features=8, growth_rate=4, block_config=[1, 1, 1, 1], classes=10)
>>> tiny.initialize()
>>> tiny(mx.nd.ones((1, 3, 224, 224))).shape
(1, 10)
"""
from __future__ import annotations

from ....base import GluonicValueError
from ....context import cpu
from ... import nn
from ...block import HybridBlock
from ...contrib.nn import HybridConcurrent, Identity

__all__ = ["DenseNet", "densenet121", "densenet161", "densenet169", "densenet201", "get_densenet"]

# num_layers -> (num_init_features, growth_rate, layers per dense block)
densenet_spec = {121: (64, 32, [6, 12, 24, 16]),
                 161: (96, 48, [6, 12, 36, 24]),
                 169: (64, 32, [6, 12, 32, 32]),
                 201: (64, 32, [6, 12, 48, 32])}


def _bn_relu_conv(seq: nn.HybridSequential, channels: int, kernel: int, padding: int = 0) -> None:
    seq.add(nn.BatchNorm())
    seq.add(nn.Activation("relu"))
    seq.add(nn.Conv2D(channels, kernel_size=kernel, padding=padding, use_bias=False))


def _dense_layer(growth_rate: int, bn_size: int, dropout: float) -> HybridConcurrent:
    """x -> concat(x, BN-ReLU-Conv1x1-BN-ReLU-Conv3x3(x)) along channels."""
    branch = nn.HybridSequential(prefix="")
    _bn_relu_conv(branch, bn_size * growth_rate, 1)
    _bn_relu_conv(branch, growth_rate, 3, padding=1)
    if dropout:
        branch.add(nn.Dropout(dropout))
    layer = HybridConcurrent(axis=1, prefix="")
    layer.add(Identity())
    layer.add(branch)
    return layer


def _dense_block(num_layers: int, bn_size: int, growth_rate: int, dropout: float, stage: int) -> nn.HybridSequential:
    block = nn.HybridSequential(prefix=f"stage{stage}_")
    with block.name_scope():
        for _ in range(num_layers):
            block.add(_dense_layer(growth_rate, bn_size, dropout))
    return block


def _transition(channels: int) -> nn.HybridSequential:
    seq = nn.HybridSequential(prefix="")
    _bn_relu_conv(seq, channels, 1)
    seq.add(nn.AvgPool2D(pool_size=2, strides=2))
    return seq


class DenseNet(HybridBlock):
    """DenseNet-BC: dense blocks joined by 1x1-conv + 2x2-average-pool transitions.

    Parameters
    ----------
    num_init_features : int
        Channels of the first 7x7 convolution.
    growth_rate : int
        Channels each dense layer adds (``k`` in the paper).
    block_config : list of int
        Number of dense layers in each dense block.
    bn_size : int, default 4
        The bottleneck 1x1 convolution has ``bn_size * growth_rate`` channels.
    dropout : float, default 0
        Dropout rate after each dense layer (none when 0).
    classes : int, default 1000
        Number of output classes.

    Input: (N, 3, H, W) with H, W >= 221 (the final 7x7 average pool needs a 7x7 feature map);
    224x224 for the pretrained weights. Output: (N, classes).
    """

    def __init__(self, num_init_features, growth_rate, block_config, bn_size=4, dropout=0, classes=1000, **kwargs):
        super().__init__(**kwargs)
        with self.name_scope():
            self.features = nn.HybridSequential(prefix="")
            self.features.add(nn.Conv2D(num_init_features, kernel_size=7, strides=2, padding=3, use_bias=False))
            self.features.add(nn.BatchNorm())
            self.features.add(nn.Activation("relu"))
            self.features.add(nn.MaxPool2D(pool_size=3, strides=2, padding=1))
            channels = num_init_features
            for i, num_layers in enumerate(block_config):
                self.features.add(_dense_block(num_layers, bn_size, growth_rate, dropout, i + 1))
                channels += num_layers * growth_rate
                if i + 1 < len(block_config):
                    channels //= 2
                    self.features.add(_transition(channels))
            self.features.add(nn.BatchNorm())
            self.features.add(nn.Activation("relu"))
            self.features.add(nn.AvgPool2D(pool_size=7))
            self.features.add(nn.Flatten())
            self.output = nn.Dense(classes)

    def hybrid_forward(self, F, x):
        return self.output(self.features(x))


def get_densenet(num_layers, pretrained=False, ctx=cpu(), root=None, **kwargs):  # noqa: B008
    """DenseNet-BC with ``num_layers`` in (121, 161, 169, 201).

    Parameters
    ----------
    num_layers : int
        121, 161, 169 or 201.
    pretrained : bool, default False
        Load ``<root>/densenet<num_layers>-<hash>.params`` (never downloaded: a missing file is an error).
    ctx : Context, default CPU
        Context of the loaded parameters.
    root : str, optional
        Directory of the parameter files; default ``$MXNET_HOME/models`` (``~/.mxnet/models``), read at call time.
    **kwargs
        Passed to :class:`DenseNet` (``classes``, ``dropout``, ``bn_size``, ``prefix``...).
    """
    if num_layers not in densenet_spec:
        raise GluonicValueError(f"get_densenet: num_layers must be one of {sorted(densenet_spec)}. "
                                f"Received: {num_layers!r}")
    num_init_features, growth_rate, block_config = densenet_spec[num_layers]
    net = DenseNet(num_init_features, growth_rate, block_config, **kwargs)
    if pretrained:
        from ..model_store import get_model_file
        net.load_parameters(get_model_file(f"densenet{num_layers}", root=root), ctx=ctx)
    return net


def densenet121(**kwargs):
    """DenseNet-BC-121 (``pretrained``, ``ctx``, ``root``, ``classes``... as in :func:`get_densenet`)."""
    return get_densenet(121, **kwargs)


def densenet161(**kwargs):
    """DenseNet-BC-161 (``pretrained``, ``ctx``, ``root``, ``classes``... as in :func:`get_densenet`)."""
    return get_densenet(161, **kwargs)


def densenet169(**kwargs):
    """DenseNet-BC-169 (``pretrained``, ``ctx``, ``root``, ``classes``... as in :func:`get_densenet`)."""
    return get_densenet(169, **kwargs)


def densenet201(**kwargs):
    """DenseNet-BC-201 (``pretrained``, ``ctx``, ``root``, ``classes``... as in :func:`get_densenet`)."""
    return get_densenet(201, **kwargs)
