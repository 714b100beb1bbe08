"""NumPy's dtypes and constants as ``mx.np`` exposes them (the NumPy objects themselves)."""
from __future__ import annotations

import numpy as onp

__all__ = ["bool_", "bool", "int8", "uint8", "int32", "int64", "float16", "float32", "float64", "dtype", "pi", "e",
           "euler_gamma", "inf", "nan", "NAN", "NaN", "NINF", "PINF", "NZERO", "PZERO", "newaxis", "finfo", "iinfo"]

bool_ = onp.bool_
bool = onp.bool_  # noqa: A001 - MXNet's np exposes it under this name
int8, uint8, int32, int64 = onp.int8, onp.uint8, onp.int32, onp.int64
float16, float32, float64 = onp.float16, onp.float32, onp.float64
dtype = onp.dtype
finfo, iinfo = onp.finfo, onp.iinfo
pi, e, euler_gamma = onp.pi, onp.e, onp.euler_gamma
inf = PINF = onp.inf
NINF = -onp.inf
nan = NAN = NaN = onp.nan
NZERO, PZERO = -0.0, 0.0
newaxis = None
