"""The registered initializers: constants, random, Xavier/MSRA, orthogonal, bilinear, LSTM bias."""
from __future__ import annotations

import json
import math

import numpy as np
import torch

from ..base import GluonicValueError, numeric_types
from ..ndarray.ndarray import NDArray
from ._base import Initializer, _draw, _where, _write, alias, register

__all__ = ["Zero", "One", "Constant", "Uniform", "Normal", "Orthogonal", "Xavier", "MSRAPrelu", "Bilinear", "LSTMBias"]


# ----------------------------------------------------------------------------- initializers
@register
@alias("zeros")
class Zero(Initializer):
    """Fills weights with 0 (registered as 'zero' and 'zeros')."""

    def __init__(self):
        super().__init__()

    def _init_weight(self, _, arr) -> None:
        _write(arr, 0)


@register
@alias("ones")
class One(Initializer):
    """Fills weights with 1 (registered as 'one' and 'ones')."""

    def __init__(self):
        super().__init__()

    def _init_weight(self, _, arr) -> None:
        _write(arr, 1)


@register
class Constant(Initializer):
    """Fills weights with ``value``: a number, or an array broadcastable to the weight's shape.

    >>> w = mx.nd.zeros((2, 2)); mx.init.Constant(3)(mx.init.InitDesc('w_weight'), w)
    >>> w.asnumpy().tolist()
    [[3.0, 3.0], [3.0, 3.0]]
    """

    def __init__(self, value):
        super().__init__(value=value)
        self.value = value

    def _init_weight(self, name, arr) -> None:
        value = self.value
        if not isinstance(value, numeric_types):
            vshape = tuple(np.shape(value))
            try:
                np.broadcast_shapes(vshape, tuple(arr.shape))
            except ValueError:
                raise GluonicValueError(
                    f"Constant: the value of shape {vshape} cannot fill parameter {str(name)!r} of shape "
                    f"{tuple(arr.shape)}. Received: value shape {vshape}"
                ) from None
        _write(arr, value)

    def dumps(self) -> str:
        val = self._kwargs["value"]
        if not np.isscalar(val):
            val = np.asarray(val.asnumpy() if isinstance(val, NDArray) else val).tolist()
        return json.dumps([self.__class__.__name__.lower(), {**self._kwargs, "value": val}])


@register
class Uniform(Initializer):
    """Fills weights with samples of the uniform distribution on [-scale, scale).

    >>> mx.random.seed(0); w = mx.nd.zeros((100,))
    >>> mx.init.Uniform(0.1)(mx.init.InitDesc('w_weight'), w)
    >>> bool((abs(w) <= 0.1).min())
    True
    """

    def __init__(self, scale: float = 0.07):
        super().__init__(scale=scale)
        self.scale = scale

    def _init_weight(self, name, arr) -> None:
        _write(arr, _draw("Uniform", name, arr, "uniform", self.scale))


@register
class Normal(Initializer):
    """Fills weights with samples of the normal distribution N(0, sigma**2)."""

    def __init__(self, sigma: float = 0.01):
        super().__init__(sigma=sigma)
        self.sigma = sigma

    def _init_weight(self, name, arr) -> None:
        _write(arr, _draw("Normal", name, arr, "normal", self.sigma))


@register
class Orthogonal(Initializer):
    """Fills weights with a scaled orthogonal matrix (Saxe et al., arXiv:1312.6120).

    The weight is viewed as ``(shape[0], prod(shape[1:]))``; a random matrix of that shape
    (``rand_type`` 'uniform' on [-1, 1) or 'normal') is replaced by the orthonormal factor
    of its SVD with its shape (orthonormal rows if wide, columns if tall), times ``scale``.
    """

    def __init__(self, scale: float = 1.414, rand_type: str = "uniform"):
        if rand_type not in ("uniform", "normal"):
            raise GluonicValueError(f"Orthogonal: rand_type must be 'uniform' or 'normal'. Received: {rand_type!r}")
        super().__init__(scale=scale, rand_type=rand_type)
        self.scale = scale
        self.rand_type = rand_type

    def _init_weight(self, name, arr) -> None:
        shape = tuple(arr.shape)
        if not shape:
            raise GluonicValueError(f"Orthogonal: parameter {str(name)!r} must have at least 1 dimension. "
                                    f"Received: shape {shape}")
        nout, nin = shape[0], math.prod(shape[1:])
        tmp = _draw("Orthogonal", name, arr, self.rand_type, 1.0, shape=(nout, nin))
        u, _s, vh = torch.linalg.svd(tmp, full_matrices=False)
        res = u if u.shape == tmp.shape else vh
        _write(arr, (self.scale * res).reshape(shape))


def _fans(name, shape: tuple[int, ...], who: str) -> tuple[float, float]:
    if len(shape) < 2:
        raise GluonicValueError(
            f"{who} initializer cannot be applied to vector {str(name)}. It requires at least 2D. "
            f"Received: shape {shape}"
        )
    hw_scale = float(math.prod(shape[2:]))
    return shape[1] * hw_scale, shape[0] * hw_scale


@register
class Xavier(Initializer):
    """Xavier/Glorot initialization: keeps activation and gradient scales across layers.

    With ``fan_in = shape[1] * prod(shape[2:])`` and ``fan_out = shape[0] * prod(shape[2:])``
    (a dense weight ``(out, in)`` or a conv kernel ``(out, in, kh, kw)``), ``factor`` is their
    mean ('avg'), ``fan_in`` ('in') or ``fan_out`` ('out'), and ``scale = sqrt(magnitude /
    factor)``. ``rnd_type`` 'uniform' draws from [-scale, scale); 'gaussian' from N(0, scale**2).

    Raises
    ------
    ValueError
        For an unknown ``rnd_type`` / ``factor_type`` (when constructed; MXNet waited until
        first use), or a weight with fewer than 2 dimensions.
    """

    def __init__(self, rnd_type: str = "uniform", factor_type: str = "avg", magnitude: float = 3):
        if rnd_type not in ("uniform", "gaussian"):
            raise GluonicValueError(f"Xavier: rnd_type must be 'uniform' or 'gaussian'. Received: {rnd_type!r}")
        if factor_type not in ("avg", "in", "out"):
            raise GluonicValueError(f"Xavier: factor_type must be 'avg', 'in' or 'out'. Received: {factor_type!r}")
        super().__init__(rnd_type=rnd_type, factor_type=factor_type, magnitude=magnitude)
        self.rnd_type = rnd_type
        self.factor_type = factor_type
        self.magnitude = float(magnitude)

    def _init_weight(self, name, arr) -> None:
        fan_in, fan_out = _fans(name, tuple(arr.shape), type(self).__name__)
        factor = {"avg": (fan_in + fan_out) / 2.0, "in": fan_in, "out": fan_out}[self.factor_type]
        if factor == 0:  # an empty weight: nothing to draw
            return
        scale = math.sqrt(self.magnitude / factor)
        _write(arr, _draw(type(self).__name__, name, arr, "uniform" if self.rnd_type == "uniform" else "normal",
                          scale))


@register
class MSRAPrelu(Xavier):
    """He/MSRA initialization for (P)ReLU networks (He et al., arXiv:1502.01852).

    Gaussian Xavier with ``magnitude = 2 / (1 + slope**2)``: std ``sqrt(magnitude / factor)``.
    """

    def __init__(self, factor_type: str = "avg", slope: float = 0.25):
        magnitude = 2.0 / (1 + slope**2)
        super().__init__("gaussian", factor_type, magnitude)
        self.slope = slope
        self._kwargs = {"factor_type": factor_type, "slope": slope}


@register
class Bilinear(Initializer):
    """Fills an upsampling (Deconvolution) kernel ``(C_out, C_in, kh, kw)`` with bilinear weights.

    ``w[..., y, x] = (1 - |x/f - c|) * (1 - |y/f - c|)`` with ``f = ceil(kw / 2)`` and
    ``c = (2f - 1 - f % 2) / (2f)``, as in MXNet (``f`` comes from the width for both axes).
    """

    def __init__(self):
        super().__init__()

    def _init_weight(self, name, arr) -> None:
        self._init_bilinear(name, arr)


@register
class LSTMBias(Initializer):
    """Fills an LSTM bias of shape ``(4 * hidden,)`` with 0, except the forget gate (the second
    quarter, MXNet's gate order i, f, c, o) with ``forget_bias``."""

    def __init__(self, forget_bias: float = 1.0):
        super().__init__(forget_bias=forget_bias)
        self.forget_bias = forget_bias

    def _init_weight(self, name, arr) -> None:
        shape, _dtype, _device, _ctx = _where(arr)
        num_hidden = shape[0] // 4 if shape else 0
        value = torch.zeros(shape)
        value[num_hidden:2 * num_hidden] = self.forget_bias
        _write(arr, value)


