"""Deterministic parameter values for the model-zoo interop goldens, from a parameter's name and shape.

Shared by ``make_golden_model_zoo.py`` (run with real MXNet, NumPy 1.23) and the gluonic tests
(NumPy 2.x): plain NumPy with ``RandomState`` (whose streams are frozen across NumPy versions), so
both sides compute bit-identical float32 values. Committing the real ``.params`` of the big models
would take hundreds of MB; this formula stands in for them.

Models are built inside a fresh ``mx.name.NameManager()`` so parameter names are the same in every
process (``resnetv10_conv0_weight``, never ``resnetv13_...``). The value of a parameter depends on
its full name (seeding ``RandomState`` with the CRC-32 of the name) and its shape:

- ``*weight`` (conv / dense): N(0, gain / fan_in), fan_in = prod(shape[1:]), gain chosen below;
- ``*gamma``: U(0.9, 1.1); ``*beta``, ``*bias``, ``*running_mean``/``*moving_mean``: U(-0.1, 0.1);
- ``*running_var``/``*moving_var``: U(0.5, 1.5).

The weight gain is He's 2 (variance kept through ReLU), except inside ResNets' residual stages
(``resnetv*stage*_weight``), where it is 0.7: inference-mode BatchNorm with such statistics does not
renormalize, so with He's gain every residual block would double the activations' variance (1e15 at
the end of ResNet-152); with 0.7 each branch still adds a visible share. The generator prints each
model's output scale: every model's outputs have a standard deviation between 0.1 and 4.
"""
from __future__ import annotations

import zlib

import numpy as np

__all__ = ["param_value", "param_dict", "input_codes", "codes_to_input"]


def _gain(name: str) -> float:
    return 0.7 if name.startswith("resnetv") and "stage" in name else 2.0


def param_value(name: str, shape) -> np.ndarray:
    """The float32 value of parameter ``name`` with ``shape`` (e.g. ``resnetv10_conv0_weight``)."""
    shape = tuple(int(s) for s in shape)
    rng = np.random.RandomState(zlib.crc32(name.encode("utf-8")))
    if name.endswith(("running_var", "moving_var")):
        value = rng.uniform(0.5, 1.5, shape)
    elif name.endswith("gamma"):
        value = rng.uniform(0.9, 1.1, shape)
    elif name.endswith(("beta", "bias", "running_mean", "moving_mean")):
        value = rng.uniform(-0.1, 0.1, shape)
    elif name.endswith("weight"):
        fan_in = int(np.prod(shape[1:])) if len(shape) > 1 else 1
        value = rng.normal(0.0, np.sqrt(_gain(name) / fan_in), shape)
    else:
        raise ValueError(f"zoo_params: no rule for parameter {name!r}. Received shape: {shape}")
    return value.astype(np.float32)


def param_dict(shapes: dict) -> dict:
    """``{name: value}`` for ``{name: shape}``."""
    return {name: param_value(name, shape) for name, shape in shapes.items()}


def input_codes(shape, seed: int = 0) -> np.ndarray:
    """A model's fixed input as uint8 codes, like an 8-bit image (committed compactly)."""
    return np.random.RandomState(seed).randint(0, 256, shape).astype(np.uint8)


def codes_to_input(codes: np.ndarray) -> np.ndarray:
    """The float32 input, (code - 128) / 128, in [-1, 1) (exact in float32)."""
    return (codes.astype(np.float32) - 128.0) / 128.0
