"""AlexNet in the single-tower form of Krizhevsky's "One weird trick..." (2014,
https://arxiv.org/abs/1404.5997), with MXNet 1.9's block structure and names.

Parameter names (``alexnet0_conv0_weight``) and structural names (``features.0.weight``,
``output.weight``) are MXNet's, so MXNet's ``alexnet-44335d1f.params`` loads unchanged.
The network needs inputs of at least 63x63; the pretrained weights expect 224x224.

Example
-------
>>> import gluonic as mx
>>> from gluonic.gluon.model_zoo import vision
>>> net = vision.alexnet(classes=10)
>>> net.initialize()
>>> net(mx.nd.ones((1, 3, 64, 64))).shape
(1, 10)
"""
from __future__ import annotations

from ....context import cpu
from ... import nn
from ...block import HybridBlock

__all__ = ["AlexNet", "alexnet"]


class AlexNet(HybridBlock):
    """AlexNet: five convolutions (ReLU, three max-pools), two Dense-4096 layers with dropout,
    and a Dense classifier.

    Parameters
    ----------
    classes : int, default 1000
        Number of classes.

    Shapes: input (N, 3, H, W) with H, W >= 63 → output (N, classes).
    Children: ``features`` and ``output``.
    """

    def __init__(self, classes=1000, **kwargs):
        super().__init__(**kwargs)
        with self.name_scope():
            self.features = nn.HybridSequential(prefix="")
            # (channels, kernel, stride, padding, max-pool after it)
            for channels, kernel, stride, pad, pool in ((64, 11, 4, 2, True), (192, 5, 1, 2, True),
                                                        (384, 3, 1, 1, False), (256, 3, 1, 1, False),
                                                        (256, 3, 1, 1, True)):
                self.features.add(nn.Conv2D(channels, kernel_size=kernel, strides=stride, padding=pad,
                                            activation="relu"))
                if pool:
                    self.features.add(nn.MaxPool2D(pool_size=3, strides=2))
            self.features.add(nn.Flatten())
            for _ in range(2):
                self.features.add(nn.Dense(4096, activation="relu"), nn.Dropout(0.5))
            self.output = nn.Dense(classes)

    def hybrid_forward(self, F, x):
        return self.output(self.features(x))


def alexnet(pretrained=False, ctx=cpu(), root=None, **kwargs):  # noqa: B008
    """AlexNet.

    Parameters
    ----------
    pretrained : bool, default False
        Load MXNet's ImageNet weights from ``<root>/alexnet-44335d1f.params`` (never
        downloaded: a missing file raises an error that says where to put it).
    ctx : Context, default cpu()
        Where the pretrained weights are loaded.
    root : str, optional
        Directory of pretrained files; default ``$MXNET_HOME/models`` (``~/.mxnet/models``).
    **kwargs
        ``classes``, ``prefix``, ``params`` for :class:`AlexNet`.

    Returns
    -------
    AlexNet
    """
    net = AlexNet(**kwargs)
    if pretrained:
        from ..model_store import get_model_file

        net.load_parameters(get_model_file("alexnet", root=root), ctx=ctx)
    return net
