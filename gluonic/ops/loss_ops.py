"""Loss operators that cannot be written from other ops: ``CTCLoss``.

``CTCLoss`` (aliases ``ctc_loss``, ``contrib.CTCLoss``, ``contrib.ctc_loss``) is the
Connectionist Temporal Classification loss of MXNet 1.9, computed by
``torch.nn.functional.ctc_loss`` on ``log_softmax(data)``.

Where MXNet reads out of bounds or returns garbage (a label equal to the blank or outside
``[0, alphabet_size)``, a padding value inside a given label length, a data length above
the sequence length), gluonic raises a ``GluonicValueError`` naming the sample instead.
"""
from __future__ import annotations

from typing import Literal

import torch

from ..base import GluonicValueError
from .attrs import Attrs
from .registry import register


class CTCLossAttrs(Attrs):
    use_data_lengths: bool = False
    use_label_lengths: bool = False
    blank_label: Literal["first", "last"] = "first"


def _shape(t: torch.Tensor | None) -> tuple[int, ...]:
    return () if t is None else tuple(t.shape)


def _check_inputs(data, label, data_lengths, label_lengths, a: CTCLossAttrs):
    """Validate shapes and the use_*_lengths flags; return (data_lengths, label_lengths)."""
    if data.ndim != 3 or label.ndim != 2 or label.shape[0] != data.shape[1]:
        raise GluonicValueError(
            "Operator CTCLoss: data must be (sequence_length, batch_size, alphabet_size) and label "
            f"(batch_size, label_sequence_length). Received: data{_shape(data)}, label{_shape(label)}")
    if not data.is_floating_point():
        raise GluonicValueError(f"Operator CTCLoss: data must be floating point. Received: dtype {data.dtype}")
    # MXNet passes inputs positionally: with only use_label_lengths, the third input is label_lengths.
    if a.use_label_lengths and not a.use_data_lengths and label_lengths is None and data_lengths is not None:
        data_lengths, label_lengths = None, data_lengths
    for name, flag, value in (("data_lengths", a.use_data_lengths, data_lengths),
                              ("label_lengths", a.use_label_lengths, label_lengths)):
        if flag and value is None:
            raise GluonicValueError(f"Operator CTCLoss: use_{name}=True needs the {name} input. "
                                    f"Received: no {name}")
        if not flag and value is not None:
            raise GluonicValueError(f"Operator CTCLoss: {name} was given but use_{name} is False; pass "
                                    f"use_{name}=True to use it. Received: {name}{_shape(value)}")
        if value is not None and _shape(value) != (data.shape[1],):
            raise GluonicValueError(f"Operator CTCLoss: {name} must have shape ({data.shape[1]},), one per "
                                    f"sample. Received: data{_shape(data)}, {name}{_shape(value)}")
    return data_lengths, label_lengths


def _check_values(lengths: torch.Tensor, limit: int, what: str) -> None:
    bad = (lengths < 0) | (lengths > limit)
    if bool(bad.any()):
        i = int(bad.nonzero()[0, 0])
        raise GluonicValueError(f"Operator CTCLoss: {what} must lie in [0, {limit}]. "
                                f"Received: {int(lengths[i])} for sample {i}")


@register("CTCLoss", attrs=CTCLossAttrs, aliases=("ctc_loss", "_contrib_CTCLoss", "_contrib_ctc_loss"),
          output_names=("output0",))
def ctc_loss(data, label, data_lengths=None, label_lengths=None, *, a: CTCLossAttrs):
    """Connectionist Temporal Classification loss, one value per sample.

    Shapes: data (T, N, C) unnormalized activations (softmax is applied inside), label
    (N, L) class indices (any numeric dtype), optional data_lengths and label_lengths (N,);
    output (N,) in data's dtype.

    ``blank_label="first"`` reserves class 0 for the blank and pads labels with 0;
    ``"last"`` reserves class C-1 and pads with -1. Without ``use_label_lengths`` a label
    ends at its first padding value. Infeasible alignments give a loss (and gradient) of 0,
    as in MXNet.

    Example: ``nd.CTCLoss(nd.zeros((4, 1, 3)), nd.array([[0, 1]]), blank_label="last")``
    gives ``[1.686399]`` (= -log(15/81): 15 of the 81 equally likely paths spell ``0 1``).
    """
    data_lengths, label_lengths = _check_inputs(data, label, data_lengths, label_lengths, a)
    steps, batch, classes = data.shape
    if data.device.type == "meta":
        return torch.empty((batch,), dtype=data.dtype, device="meta")
    blank, pad = (0, 0) if a.blank_label == "first" else (classes - 1, -1)
    labels = label.detach().to(torch.int64)
    width = labels.shape[1]
    if label_lengths is not None:
        target_lengths = label_lengths.detach().to(torch.int64)
        _check_values(target_lengths, width, "label_lengths")
    else:
        is_pad = labels == pad
        first_pad = is_pad.to(torch.int8).argmax(1)
        target_lengths = torch.where(is_pad.any(1), first_pad, torch.full_like(first_pad, width))
    if data_lengths is not None:
        input_lengths = data_lengths.detach().to(torch.int64)
        _check_values(input_lengths, steps, "data_lengths")
    else:
        input_lengths = torch.full((batch,), steps, dtype=torch.int64, device=data.device)
    inside = torch.arange(width, device=labels.device)[None, :] < target_lengths[:, None]
    bad = inside & ((labels < 0) | (labels >= classes) | (labels == blank))
    if bool(bad.any()):
        i, j = (int(v) for v in bad.nonzero()[0])
        low, high = (1, classes) if blank == 0 else (0, classes - 1)
        raise GluonicValueError(
            f"Operator CTCLoss: labels must lie in [{low}, {high}) "
            f"(class {blank} is the blank with blank_label='{a.blank_label}'; padding {pad} ends a label). "
            f"Received: label[{i}, {j}] = {int(labels[i, j])}")
    targets = torch.where(inside, labels, torch.zeros_like(labels))
    compute = data if data.dtype in (torch.float32, torch.float64) else data.float()
    log_probs = torch.log_softmax(compute, dim=-1)
    loss = torch.nn.functional.ctc_loss(log_probs, targets, input_lengths, target_lengths, blank=blank,
                                        reduction="none", zero_infinity=True)
    return loss.to(data.dtype)
