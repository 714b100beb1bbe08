"""ResNet-18 v1 and MobileNet 1.0 in plain PyTorch, laid out as Gluon's model zoo lays them out.

torchvision is not installed here, and its ResNet differs from Gluon's in details that
matter for timing (Gluon's BatchNorm eps is 1e-5 as torch's, but MobileNet's stem and
depthwise blocks are Gluon's own), so the PyTorch-eager baseline of ``bench/inference.py``
is written out below: the same convolutions, BatchNorms, activations, pools and the final
Dense as ``gluon.model_zoo.vision.resnet18_v1`` / ``mobilenet1_0``.

>>> import torch
>>> resnet18_v1()(torch.zeros(1, 3, 32, 32)).shape
torch.Size([1, 1000])
"""
from __future__ import annotations

import torch
from torch import nn

__all__ = ["resnet18_v1", "mobilenet1_0", "MODELS"]


def _conv_bn(cin: int, cout: int, kernel: int, stride: int, pad: int, groups: int = 1) -> list[nn.Module]:
    return [nn.Conv2d(cin, cout, kernel, stride, pad, groups=groups, bias=False), nn.BatchNorm2d(cout, eps=1e-5)]


class BasicBlockV1(nn.Module):
    """Two 3×3 conv+BN with a ReLU between; a 1×1 conv+BN shortcut when the width changes."""

    def __init__(self, cin: int, cout: int, stride: int):
        super().__init__()
        self.body = nn.Sequential(*_conv_bn(cin, cout, 3, stride, 1), nn.ReLU(), *_conv_bn(cout, cout, 3, 1, 1))
        self.downsample = nn.Sequential(*_conv_bn(cin, cout, 1, stride, 0)) if cin != cout else None

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        residual = x if self.downsample is None else self.downsample(x)
        return torch.relu(self.body(x) + residual)


class ResNetV1(nn.Module):
    def __init__(self, layers=(2, 2, 2, 2), channels=(64, 64, 128, 256, 512), classes: int = 1000):
        super().__init__()
        feats: list[nn.Module] = [*_conv_bn(3, channels[0], 7, 2, 3), nn.ReLU(), nn.MaxPool2d(3, 2, 1)]
        cin = channels[0]
        for i, n in enumerate(layers):
            for j in range(n):
                feats.append(BasicBlockV1(cin, channels[i + 1], 2 if (i > 0 and j == 0) else 1))
                cin = channels[i + 1]
        feats.append(nn.AdaptiveAvgPool2d(1))
        self.features = nn.Sequential(*feats)
        self.output = nn.Linear(cin, classes)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        return self.output(self.features(x).flatten(1))


class MobileNet(nn.Module):
    """MobileNet v1: a strided 3×3 stem, then 13 depthwise-3×3 / pointwise-1×1 pairs, each conv+BN+ReLU."""

    def __init__(self, multiplier: float = 1.0, classes: int = 1000):
        super().__init__()
        dw = [int(c * multiplier) for c in [32, 64] + [128] * 2 + [256] * 2 + [512] * 6 + [1024]]
        pw = [int(c * multiplier) for c in [64] + [128] * 2 + [256] * 2 + [512] * 6 + [1024] * 2]
        strides = [1, 2] * 3 + [1] * 5 + [2, 1]
        feats: list[nn.Module] = [*_conv_bn(3, int(32 * multiplier), 3, 2, 1), nn.ReLU()]
        for d, p, s in zip(dw, pw, strides):
            feats += [*_conv_bn(d, d, 3, s, 1, groups=d), nn.ReLU(), *_conv_bn(d, p, 1, 1, 0), nn.ReLU()]
        feats += [nn.AdaptiveAvgPool2d(1), nn.Flatten()]
        self.features = nn.Sequential(*feats)
        self.output = nn.Linear(pw[-1], classes)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        return self.output(self.features(x))


def resnet18_v1(classes: int = 1000) -> nn.Module:
    """Gluon's ``resnet18_v1`` in torch, in eval mode."""
    return ResNetV1(classes=classes).eval()


def mobilenet1_0(classes: int = 1000) -> nn.Module:
    """Gluon's ``mobilenet1_0`` in torch, in eval mode."""
    return MobileNet(1.0, classes=classes).eval()


MODELS = {"resnet18_v1": resnet18_v1, "mobilenet1.0": mobilenet1_0}
