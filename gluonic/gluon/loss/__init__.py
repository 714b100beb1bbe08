"""``gluon.loss``: MXNet 1.9's loss blocks.

Every loss is a ``HybridBlock`` called as ``loss(pred, label[, sample_weight])`` that
returns one value per sample (shape (batch_size,)): the mean (or, for ``KLDivLoss`` and
``TripletLoss``, the sum) over every axis but ``batch_axis``. The exceptions follow
MXNet: ``CosineEmbeddingLoss`` returns (batch_size, 1) and ``PoissonNLLLoss`` one
overall mean of shape (1,).

>>> import gluonic as mx
>>> from gluonic.gluon import loss
>>> l2 = loss.L2Loss()
>>> l2
L2Loss(batch_axis=0, w=1.0)
>>> l2(mx.nd.array([[1., 2.], [3., 4.]]), mx.nd.array([[1., 2.], [3., 2.]])).asnumpy().tolist()
[0.0, 1.0]
"""
from ._base import Loss, _apply_weighting, _reshape_like
from .classification import (
    HingeLoss,
    KLDivLoss,
    LogisticLoss,
    SigmoidBCELoss,
    SigmoidBinaryCrossEntropyLoss,
    SoftmaxCELoss,
    SoftmaxCrossEntropyLoss,
    SquaredHingeLoss,
)
from .ctc import CTCLoss
from .embedding import CosineEmbeddingLoss, SDMLLoss, TripletLoss
from .regression import HuberLoss, L1Loss, L2Loss, PoissonNLLLoss

__all__ = ["Loss", "L2Loss", "L1Loss",
           "SigmoidBinaryCrossEntropyLoss", "SigmoidBCELoss",
           "SoftmaxCrossEntropyLoss", "SoftmaxCELoss",
           "KLDivLoss", "CTCLoss", "HuberLoss", "HingeLoss",
           "SquaredHingeLoss", "LogisticLoss", "TripletLoss", "PoissonNLLLoss", "CosineEmbeddingLoss", "SDMLLoss"]

_ = (_apply_weighting, _reshape_like)  # importable as in MXNet (gluon.loss._apply_weighting)
