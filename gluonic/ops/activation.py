"""Activation functions: ``Activation`` and ``LeakyReLU``, with MXNet 1.9's act_types.

Both operate elementwise and accept floating-point arrays only (float16/32/64,
bfloat16), like MXNet; other dtypes raise a ``GluonicTypeError``.
"""
from __future__ import annotations

from typing import Literal

import torch
import torch.nn.functional as F

from .._state import is_training
from ..base import GluonicTypeError, GluonicValueError
from .attrs import Attrs
from .dropout import generator
from .registry import BatchRule, register

__all__ = ["ActivationAttrs", "LeakyReLUAttrs", "require_float"]


def require_float(op_name: str, x: torch.Tensor, what: str = "data") -> None:
    """Raise a clear error when ``x`` is not a floating-point tensor (MXNet's restriction)."""
    if not x.dtype.is_floating_point:
        raise GluonicTypeError(
            f"Operator {op_name}: input '{what}' must have a floating-point dtype (float16, float32, "
            f"float64, bfloat16); cast it with .astype('float32'). "
            f"Received: {str(x.dtype).replace('torch.', '')}"
        )


class ActivationAttrs(Attrs):
    act_type: Literal["relu", "sigmoid", "softrelu", "softsign", "tanh"]


_ACTIVATIONS = {
    "relu": torch.relu,
    "sigmoid": torch.sigmoid,
    "tanh": torch.tanh,
    "softrelu": F.softplus,
    "softsign": F.softsign,
}


@register("Activation", attrs=ActivationAttrs, aliases=("activation",), batch=BatchRule(axis=0))
def activation(data, *, a: ActivationAttrs):
    """Apply an elementwise activation function.

    ``relu``: max(x, 0); ``sigmoid``: 1 / (1 + exp(-x)); ``tanh``; ``softrelu``:
    log(1 + exp(x)); ``softsign``: x / (1 + |x|). (``log_sigmoid`` and ``mish`` arrived
    after MXNet 1.9 and are not act_types here.)

    Shapes: ``data`` (any) → same shape and dtype.

    Example
    -------
    >>> mx.nd.Activation(mx.nd.array([-1.0, 2.0]), act_type="relu").asnumpy()
    array([0., 2.], dtype=float32)
    """
    require_float("Activation", data)
    return _ACTIVATIONS[a.act_type](data)


class LeakyReLUAttrs(Attrs):
    act_type: Literal["elu", "gelu", "leaky", "prelu", "rrelu", "selu"] = "leaky"
    slope: float = 0.25
    lower_bound: float = 0.125
    upper_bound: float = 0.334


def _gamma_view(gamma: torch.Tensor, data: torch.Tensor) -> torch.Tensor:
    """``gamma`` reshaped to broadcast over ``data``: one slope, or one per channel (axis 1;
    axis 0 for 1-D data)."""
    channel_axis = 1 if data.dim() >= 2 else 0
    size = gamma.numel()
    channels = data.shape[channel_axis] if data.dim() >= 1 else 1
    if gamma.dim() > 1 or size not in (1, channels):
        raise GluonicValueError(
            f"Operator LeakyReLU: with act_type='prelu', gamma must have shape (1,) or "
            f"({channels},) (one slope per channel on axis {channel_axis}). "
            f"Received: data{tuple(data.shape)}, gamma{tuple(gamma.shape)}"
        )
    if size == 1 or data.dim() < 2:
        return gamma.reshape(-1) if size > 1 else gamma.reshape(())
    return gamma.reshape((channels,) + (1,) * (data.dim() - 2))


def _num_leaky_outputs(a: LeakyReLUAttrs) -> int:
    return 2 if a.act_type == "rrelu" else 1


@register(
    "LeakyReLU",
    attrs=LeakyReLUAttrs,
    num_outputs=_num_leaky_outputs,
    output_names=("output", "mask"),
    batch=BatchRule(axis=0, unbatched=(1,)),
)
def leaky_relu(data, gamma=None, *, a: LeakyReLUAttrs):
    """Leaky rectified linear units and relatives, selected by ``act_type``.

    - ``leaky``: x if x > 0 else slope * x
    - ``prelu``: x if x > 0 else gamma * x, with ``gamma`` of shape (1,) or (C,) for
      the channel axis 1 (axis 0 for 1-D data); a learned input
    - ``rrelu``: x if x > 0 else s * x, where s ~ U(lower_bound, upper_bound) per element
      in training and the mean (lower_bound + upper_bound) / 2 in prediction. Returns two
      outputs like MXNet: the result and the slopes drawn (zeros in prediction).
    - ``elu``: x if x > 0 else slope * (exp(x) - 1)
    - ``selu``: scaled ELU with the fixed constants of Klambauer et al. (2017)
    - ``gelu``: x * Φ(x) with the exact (erf) normal CDF, as MXNet 1.9

    Shapes: ``data`` (N, C, …) → same shape and dtype.

    Example
    -------
    >>> mx.nd.LeakyReLU(mx.nd.array([-2.0, 3.0]), slope=0.5).asnumpy()
    array([-1.,  3.], dtype=float32)
    """
    require_float("LeakyReLU", data)
    kind = a.act_type
    if kind != "prelu" and gamma is not None:
        raise GluonicValueError(
            f"Operator LeakyReLU: the gamma input is used only with act_type='prelu'. "
            f"Received: act_type='{kind}' with gamma{tuple(gamma.shape)}"
        )
    if kind == "leaky":
        return F.leaky_relu(data, a.slope)
    if kind == "elu":
        return torch.where(data > 0, data, a.slope * torch.expm1(data))
    if kind == "selu":
        return F.selu(data)
    if kind == "gelu":
        return F.gelu(data)
    if kind == "prelu":
        if gamma is None:
            raise GluonicValueError(
                "Operator LeakyReLU: act_type='prelu' needs the gamma input (the learned slopes). "
                "Received: no gamma"
            )
        return torch.where(data > 0, data, data * _gamma_view(gamma, data).to(data.dtype))
    # rrelu
    if is_training():
        slopes = torch.empty_like(data).uniform_(a.lower_bound, a.upper_bound, generator=generator(data.device))
        return torch.where(data > 0, data, data * slopes), slopes
    mean = (a.lower_bound + a.upper_bound) / 2
    return torch.where(data > 0, data, data * mean), torch.zeros_like(data)
