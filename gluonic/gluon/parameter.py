"""Gluon ``Parameter``, ``Constant`` and ``ParameterDict`` (MXNet 1.9 semantics).

A Parameter holds one copy of its data per context plus the matching gradient buffers.
Unknown dimensions (written ``0`` as in MXNet 1.x) are filled in at the first forward
pass: that is *deferred initialization*.

Example
-------
>>> import gluonic as mx
>>> p = mx.gluon.Parameter("weight", shape=(2, 3))
>>> p.initialize(mx.init.One())
>>> p.data().asnumpy().sum()
6.0
"""
from __future__ import annotations

import contextvars
import re
import warnings
from collections import OrderedDict
from typing import Any

from .. import autograd
from .. import ndarray as nd
from .._dtype import name as dtype_name
from .._dtype import np_dtype
from ..base import GluonicTypeError, GluonicValueError, MXNetError, mx_real_t
from ..context import Context, cpu, current_context
from ..util import _np_array, is_np_shape

__all__ = ["Parameter", "Constant", "ParameterDict", "DeferredInitializationError", "tensor_types"]

tensor_types = (nd.NDArray,)


class DeferredInitializationError(MXNetError):
    """A Parameter's data was read before its deferred initialization happened."""


_tracing: contextvars.ContextVar[bool] = contextvars.ContextVar("gluonic_tracing_forward", default=False)


def _known(shape) -> bool:
    return shape is not None and all(d > 0 for d in shape)


class Parameter:
    """A container of a weight (one copy per context) and its gradient.

    Parameters
    ----------
    name : str
        Full name, e.g. ``dense0_weight``; initializers dispatch on its suffix.
    grad_req : {'write', 'add', 'null'}
    shape : tuple of int, optional
        ``0`` marks a dimension unknown until the first forward pass.
    dtype : numpy dtype or str
    lr_mult, wd_mult : float
        Multipliers of the optimizer's learning rate and weight decay.
    init : Initializer or str, optional
        This parameter's own initializer (takes precedence over the one passed to ``initialize``).
    allow_deferred_init : bool
        Whether ``initialize`` may wait for unknown dimensions.
    differentiable : bool
        False forces ``grad_req='null'``.
    """

    def __init__(self, name, grad_req="write", shape=None, dtype=mx_real_t, lr_mult=1.0, wd_mult=1.0,
                 init=None, allow_deferred_init=False, differentiable=True, stype="default",
                 grad_stype="default"):
        self._var = None
        self._data: list[nd.NDArray] | None = None
        self._grad: list[nd.NDArray] | None = None
        self._ctx_list: list[Context] | None = None
        self._ctx_map: dict[Context, int] = {}
        self._trainer = None
        self._deferred_init: tuple = ()
        self._differentiable = differentiable
        self._allow_deferred_init = allow_deferred_init
        self._grad_req = None
        if isinstance(shape, int):
            shape = (shape,)
        self._shape = None if shape is None else tuple(0 if d in (-1, None) else int(d) for d in shape)
        self.name = name
        self._dtype = dtype
        self.lr_mult = lr_mult
        self.wd_mult = wd_mult
        self.grad_req = grad_req
        self.init = init
        if stype not in ("default", "row_sparse", "csr") or grad_stype not in ("default", "row_sparse", "csr"):
            raise GluonicValueError(f"Parameter '{name}': invalid storage type. Received: stype={stype!r}, "
                                    f"grad_stype={grad_stype!r}")
        self._stype = stype
        self._grad_stype = grad_stype

    def __repr__(self) -> str:
        return f"Parameter {self.name} (shape={self.shape}, dtype={self.dtype})"

    # ------------------------------------------------------------------ attributes
    @property
    def grad_req(self) -> str:
        return self._grad_req

    @grad_req.setter
    def grad_req(self, req: str) -> None:
        if req not in ("write", "add", "null"):
            raise GluonicValueError(f"grad_req must be one of 'write', 'add', or 'null'. Received: {req!r}")
        if not self._differentiable:
            req = "null"
        if self._grad_req == req:
            return
        self._grad_req = req
        if req == "null" and self._grad is not None:
            self._grad = None
            if self._data is not None:
                self._data = [d.detach() for d in self._data]
        elif self._data is not None:
            self._init_grad()

    @property
    def dtype(self):
        return self._dtype

    @dtype.setter
    def dtype(self, dtype) -> None:
        self._dtype = dtype

    @property
    def shape(self):
        if self._shape is None:
            return None
        if is_np_shape():
            return tuple(-1 if d == 0 else d for d in self._shape)
        return self._shape

    @shape.setter
    def shape(self, new_shape) -> None:
        if new_shape is None:
            return
        new_shape = tuple(0 if d in (-1, None) else int(d) for d in new_shape)
        if self._shape is None:
            self._shape = new_shape
            return
        compatible = len(self._shape) == len(new_shape) and all(
            i == j or i == 0 for i, j in zip(self._shape, new_shape))
        if not compatible:
            raise GluonicValueError(
                f"Expected shape {new_shape} is incompatible with given shape {self._shape} for Parameter "
                f"'{self.name}'. Received: shape {new_shape}")
        self._shape = new_shape

    @property
    def stype(self) -> str:
        return self._stype

    @property
    def differentiable(self) -> bool:
        return self._differentiable

    # ------------------------------------------------------------------ initialization
    def initialize(self, init=None, ctx=None, default_init=None, force_reinit=False) -> None:
        """Allocate and initialize the data on ``ctx`` (a Context or list; default: current).

        With unknown dimensions and ``allow_deferred_init``, initialization waits for the
        first forward pass.
        """
        from .. import initializer

        if default_init is None:
            default_init = initializer.Uniform()
        if self._data is not None and not force_reinit:
            warnings.warn(f"Parameter '{self.name}' is already initialized, ignoring. "
                          "Set force_reinit=True to re-initialize.", stacklevel=2)
            return
        self._data = self._grad = None
        if ctx is None:
            ctx = [current_context()]
        if isinstance(ctx, Context):
            ctx = [ctx]
        if init is None:
            init = default_init if self.init is None else self.init
        if not _known(self._shape):
            if self._allow_deferred_init:
                self._deferred_init = (init, list(ctx), default_init, None)
                return
            raise GluonicValueError(
                f"Cannot initialize Parameter '{self.name}' because it has invalid shape: {self.shape}. "
                "Received: an unknown dimension without allow_deferred_init")
        self._deferred_init = (init, list(ctx), default_init, None)
        self._finish_deferred_init()

    def _finish_deferred_init(self) -> None:
        if not self._deferred_init:
            return
        from .. import initializer

        init, ctx, default_init, data = self._deferred_init
        self._deferred_init = ()
        if not _known(self._shape):
            raise GluonicValueError(
                f"Cannot initialize Parameter '{self.name}' because it has invalid shape: {self.shape}. "
                "Please specify in_units, in_channels, etc for `Block`s. Received: shape "
                f"{self.shape}")
        with autograd.pause():
            if data is None:
                data = nd.zeros(self._shape, dtype=self._dtype, ctx=cpu())
                initializer.create(default_init)(initializer.InitDesc(self.name, {"__init__": init}), data)
            self._init_impl(data, ctx)

    def _init_impl(self, data: nd.NDArray, ctx_list) -> None:
        self._ctx_list = list(ctx_list)
        self._ctx_map = {c: i for i, c in enumerate(self._ctx_list)}
        self._data = [data.copyto(c) for c in self._ctx_list]
        self._init_grad()

    def _init_grad(self) -> None:
        if self._grad_req == "null" or self._data is None:
            self._grad = None
            return
        self._grad = [nd.zeros(d.shape, ctx=d.context, dtype=d.dtype) for d in self._data]
        autograd.mark_variables(self._data, self._grad, self._grad_req)

    def _load_init(self, data: nd.NDArray, ctx, cast_dtype=False, dtype_source="current") -> None:
        """Initialize from loaded ``data`` (checks shape; casts dtype when asked)."""
        if cast_dtype:
            if dtype_source not in ("current", "saved"):
                raise GluonicValueError(f"dtype_source must be 'current' or 'saved'. Received: {dtype_source!r}")
            if dtype_source == "current":
                data = data.astype(self._dtype, copy=False)
            else:
                self._dtype = data.dtype
        if self._shape is not None:
            compatible = len(self._shape) == len(data.shape) and all(
                i == 0 or i == j for i, j in zip(self._shape, data.shape))
            if not compatible:
                raise GluonicValueError(
                    f"Failed loading Parameter '{self.name}' from saved params: shape incompatible: expected "
                    f"{self.shape} vs saved {data.shape}. Received: saved shape {data.shape}")
            self._shape = tuple(data.shape)
        else:
            self._shape = tuple(data.shape)
        if not cast_dtype and np_dtype(self._dtype) != np_dtype(data.dtype):
            raise GluonicTypeError(
                f"Failed loading Parameter '{self.name}' from saved params: dtype incompatible: expected "
                f"{dtype_name(self._dtype)} vs saved {dtype_name(data.dtype)}. Set cast_dtype=True to cast "
                "the dtype of saved params.")
        if isinstance(ctx, Context):
            ctx = [ctx]
        if self._data is None:
            if self._deferred_init:
                ctx = self._deferred_init[1] if ctx is None else ctx
                self._deferred_init = ()
            self._init_impl(data, ctx if ctx is not None else [current_context()])
        else:
            if ctx is not None and set(ctx) != set(self.list_ctx()):
                raise GluonicValueError(
                    f"Failed to load Parameter '{self.name}' on {list(ctx)} because it was previously "
                    f"initialized on {self.list_ctx()}. Received: ctx={list(ctx)}")
            self.set_data(data)
        self._deferred_init = ()

    # ------------------------------------------------------------------ access
    def _check_and_get(self, arr_list, ctx):
        got = self._check_and_get_nd(arr_list, ctx)
        if _np_array.get():  # NumPy mode: the same memory, as mx.np.ndarray
            from ..numpy._core import as_array

            return [as_array(a) for a in got] if ctx is list else as_array(got)
        return got

    def _check_and_get_nd(self, arr_list, ctx):
        if arr_list is not None:
            if ctx is list:
                return arr_list
            if ctx is None:
                if len(arr_list) == 1:
                    return arr_list[0]
                ctx = current_context()
            idx = self._ctx_map.get(ctx)
            if idx is not None:
                return arr_list[idx]
            raise GluonicValueError(
                f"Parameter '{self.name}' was not initialized on context {ctx}. It was only initialized on "
                f"{self._ctx_list}. Received: ctx={ctx}")
        if self._deferred_init:
            raise DeferredInitializationError(
                f"Parameter '{self.name}' has not been initialized yet because initialization was deferred. "
                "Actual initialization happens during the first forward pass. Please pass one batch of data "
                "through the network before accessing Parameters. You can also avoid deferred initialization "
                "by specifying in_units, num_features, etc., for network layers.")
        raise MXNetError(
            f"Parameter '{self.name}' has not been initialized. Note that you should initialize parameters and "
            "create Trainer with Block.collect_params() instead of Block.params because the later does not "
            "include Parameters of nested child Blocks")

    def data(self, ctx=None) -> nd.NDArray:
        """This parameter's value on ``ctx`` (the only context when there is one).

        While a hybridized block with a plain ``forward`` is being traced, this is the
        parameter's symbol variable instead.
        """
        if _tracing.get():
            return self.var()
        return self._check_and_get(self._data, ctx)

    def list_data(self) -> list[nd.NDArray]:
        """The value on every context, in initialization order."""
        return self._check_and_get(self._data, list)

    def grad(self, ctx=None) -> nd.NDArray:
        """The gradient buffer on ``ctx``."""
        if self._data is not None and self._grad is None:
            raise GluonicValueError(
                f"Cannot get gradient array for Parameter '{self.name}' because grad_req='null'. "
                "Received: grad_req='null'")
        return self._check_and_get(self._grad, ctx)

    def list_grad(self) -> list[nd.NDArray]:
        if self._data is not None and self._grad is None:
            raise GluonicValueError(
                f"Cannot get gradient array for Parameter '{self.name}' because grad_req='null'. "
                "Received: grad_req='null'")
        return self._check_and_get(self._grad, list)

    def list_ctx(self) -> list[Context]:
        if self._data is None:
            if self._deferred_init:
                return list(self._deferred_init[1])
            raise MXNetError(f"Parameter '{self.name}' has not been initialized")
        return list(self._ctx_list)

    def zero_grad(self) -> None:
        """Set the gradient buffers to 0."""
        if self._grad is None:
            return
        for g in self._grad:
            g[:] = 0

    def set_data(self, data) -> None:
        """Set the value on every context (shape must match)."""
        self.shape = tuple(data.shape)
        if self._data is None:
            if not self._deferred_init:
                raise MXNetError(f"Parameter '{self.name}' has not been initialized")
            init, ctx, default_init, _ = self._deferred_init
            self._deferred_init = (init, ctx, default_init, data if isinstance(data, nd.NDArray) else nd.array(data))
            return
        for arr in self._data:
            arr[:] = data.as_in_context(arr.context) if isinstance(data, nd.NDArray) else data

    def row_sparse_data(self, row_id):
        """Dense fallback of MXNet's row-sparse pull: the whole value on ``row_id``'s context."""
        return self.data(row_id.context)

    def list_row_sparse_data(self, row_id):
        return self.list_data()

    def reset_ctx(self, ctx) -> None:
        """Move the parameter to other context(s), keeping its value."""
        if ctx is None:
            ctx = [current_context()]
        if isinstance(ctx, Context):
            ctx = [ctx]
        if self._data is not None:
            with autograd.pause():
                data = self._reduce()
                self._init_impl(data, ctx)
        elif self._deferred_init:
            init, _, default_init, data = self._deferred_init
            self._deferred_init = (init, list(ctx), default_init, data)
        else:
            raise GluonicValueError(
                f"Cannot reset context for Parameter '{self.name}' because it has not been initialized.")

    def _reduce(self) -> nd.NDArray:
        """The value averaged over contexts, on the CPU (what gets saved)."""
        block = self.list_data()
        if len(block) == 1:
            return block[0].copyto(cpu())
        total = block[0].copyto(cpu())
        for b in block[1:]:
            total += b.as_in_context(cpu())
        return total / len(block)

    def cast(self, dtype) -> None:
        """Cast data and gradients to ``dtype``."""
        self._dtype = dtype
        if self._data is None:
            return
        with autograd.pause():
            self._data = [d.astype(dtype) for d in self._data]
            self._init_grad()

    def var(self):
        """The symbol variable for this parameter (used when hybridizing)."""
        from .. import symbol

        if self._var is None:
            self._var = symbol.var(self.name, shape=self.shape, dtype=self.dtype, lr_mult=self.lr_mult,
                                   wd_mult=self.wd_mult, init=self.init, stype=self._stype)
        if _np_array.get():
            from ..symbol.numpy import as_np_symbol

            return as_np_symbol(self._var)
        return self._var

    def _set_trainer(self, trainer) -> None:
        if self._trainer is not None and trainer is not None and self._trainer is not trainer:
            raise GluonicValueError(
                f"Failed to set the trainer for Parameter '{self.name}' because it was already set. More than "
                "one trainers for a single Parameter is not supported.")
        self._trainer = trainer


class Constant(Parameter):
    """A parameter with a fixed value (``grad_req='null'``), e.g. a lookup table.

    >>> c = mx.gluon.Constant("table", mx.nd.array([1.0, 2.0]))
    >>> c.initialize()
    >>> c.data().asnumpy()
    array([1., 2.], dtype=float32)
    """

    def __init__(self, name, value):
        if not isinstance(value, nd.NDArray):
            value = nd.array(value)
        self.value = value

        super().__init__(name, grad_req="null", shape=value.shape, dtype=value.dtype, init=_constant_init(value))

    def __repr__(self) -> str:
        return f"Constant {self.name} (shape={self.shape}, dtype={self.dtype})"

    @property
    def grad_req(self) -> str:
        return "null"

    @grad_req.setter
    def grad_req(self, req: str) -> None:
        if req != "null":
            warnings.warn(f"Constant parameter '{self.name}' does not support grad_req other than 'null', "
                          "and new value is ignored.", stacklevel=2)
        self._grad_req = "null"


def _constant_init(value: nd.NDArray):
    """An initializer instance that writes ``value`` (what a Constant initializes with)."""
    from .. import initializer

    class ConstantValue(initializer.Initializer):
        def _init_weight(self, _, arr):
            arr[:] = value.as_in_context(arr.context).astype(arr.dtype)

        _init_default = _init_weight

    return ConstantValue()


class ParameterDict:
    """A dictionary of Parameters sharing a name prefix (MXNet's ``ParameterDict``).

    ``get(name, **kwargs)`` creates ``prefix + name`` on first use and returns the existing
    one afterwards (checking that the attributes agree), which is how blocks share
    parameters (``params=other.collect_params()``).
    """

    def __init__(self, prefix: str = "", shared: ParameterDict | None = None):
        self._prefix = prefix
        self._params: OrderedDict[str, Parameter] = OrderedDict()
        self._shared = shared

    def __repr__(self) -> str:
        body = "\n".join(f"  {p!r}" for p in self.values())
        return f"{self._prefix} (\n{body}\n)"

    def __getitem__(self, key: str) -> Parameter:
        return self._params[key]

    def __iter__(self):
        return iter(self._params)

    def __len__(self) -> int:
        return len(self._params)

    def __contains__(self, key) -> bool:
        return key in self._params

    def items(self):
        return self._params.items()

    def keys(self):
        return self._params.keys()

    def values(self):
        return self._params.values()

    @property
    def prefix(self) -> str:
        return self._prefix

    def _get_impl(self, name: str) -> Parameter | None:
        if name in self._params:
            return self._params[name]
        if self._shared is not None and name in self._shared._params:
            self._params[name] = self._shared._params[name]
            return self._shared._params[name]
        return None

    def get(self, name: str, **kwargs) -> Parameter:
        """The parameter ``prefix + name``, created with ``kwargs`` if it does not exist yet."""
        name = self._prefix + name
        param = self._get_impl(name)
        if param is None:
            param = Parameter(name, **kwargs)
            self._params[name] = param
            return param
        for k, v in kwargs.items():
            if not hasattr(param, k) or getattr(param, k) is None:
                setattr(param, k, v)
                continue
            existing = getattr(param, k)
            if k == "shape" and len(v) == len(existing):
                param.shape = v  # fills unknown dimensions, raises on conflicts
                continue
            if k == "dtype" and np_dtype(v) == np_dtype(existing):
                continue
            if v is not None and v != existing:
                raise GluonicValueError(
                    f"Cannot retrieve Parameter '{name}' because desired attribute does not match with stored "
                    f"for attribute '{k}': desired '{v}' vs stored '{existing}'. Received: {k}={v!r}")
        return param

    def get_constant(self, name: str, value=None) -> Constant:
        """The Constant ``prefix + name``, created from ``value`` if it does not exist yet."""
        name = self._prefix + name
        param = self._get_impl(name)
        if param is None:
            if value is None:
                raise GluonicValueError(f"No constant named '{name}'. Please specify value if you want to "
                                        "create a new constant.")
            param = Constant(name, value)
            self._params[name] = param
        elif value is not None and not isinstance(param, Constant):
            raise GluonicTypeError(f"Parameter '{name}' already exists but it is not a constant.")
        return param

    def update(self, other: ParameterDict) -> None:
        """Add ``other``'s parameters (a name bound to a different Parameter is an error)."""
        for k, v in other.items():
            if k in self._params and self._params[k] is not v:
                raise GluonicValueError(
                    f"Cannot update self with other because they have different Parameters with the same "
                    f"name '{k}'")
            self._params[k] = v

    def initialize(self, init=None, ctx=None, verbose=False, force_reinit=False) -> None:
        """Initialize every parameter (``init`` is the default for those without their own)."""
        from .. import initializer

        if init is None:
            init = initializer.Uniform()
        if verbose:
            init.set_verbosity(verbose=verbose)
        for v in self.values():
            v.initialize(None, ctx, init, force_reinit=force_reinit)

    def zero_grad(self) -> None:
        for p in self.values():
            p.zero_grad()

    def reset_ctx(self, ctx) -> None:
        for p in self.values():
            p.reset_ctx(ctx)

    def list_ctx(self) -> list[Context]:
        seen: list[Context] = []
        for p in self.values():
            for c in p.list_ctx():
                if c not in seen:
                    seen.append(c)
        return seen

    def setattr(self, name: str, value: Any) -> None:
        """Set an attribute (``grad_req``, ``lr_mult``, ...) on every parameter."""
        for p in self.values():
            setattr(p, name, value)

    def save(self, filename: str, strip_prefix: str = "") -> None:
        """Save in MXNet's ``.params`` format under full names (minus ``strip_prefix``)."""
        arg_dict = {}
        for param in self.values():
            weight = param._reduce()
            if not param.name.startswith(strip_prefix):
                raise GluonicValueError(
                    f"Prefix '{strip_prefix}' is to be striped before saving, but Parameter's name "
                    f"'{param.name}' does not start with '{strip_prefix}'. this may be due to your Block shares "
                    "parameters from other Blocks or you forgot to use 'with name_scope()' when creating child "
                    "blocks. For more info on naming, please see https://mxnet.io/api/python/docs/tutorials/"
                    "packages/gluon/blocks/naming.html")
            arg_dict[param.name[len(strip_prefix):]] = weight
        nd.save(filename, arg_dict)

    def load(self, filename, ctx=None, allow_missing=False, ignore_extra=False, restore_prefix="",
             cast_dtype=False, dtype_source="current") -> None:
        """Load a ``.params`` file saved by :meth:`save` (or by MXNet's ``export``)."""
        if restore_prefix:
            for name in self.keys():
                if not name.startswith(restore_prefix):
                    raise GluonicValueError(
                        f"restore_prefix is '{restore_prefix}' but Parameters name '{name}' does not start with "
                        f"'{restore_prefix}'")
        loaded = nd.load(filename) if isinstance(filename, str) else filename
        if isinstance(loaded, list) and not loaded:
            loaded = {}  # MXNet writes an empty parameter set as an empty list
        if not isinstance(loaded, dict):
            raise GluonicValueError(f"'{filename}' holds a list of arrays, not named parameters.")
        arg_dict = {restore_prefix + re.sub(r"^(arg|aux):", "", k): v for k, v in loaded.items()}
        _check_keys(self._params.keys(), arg_dict.keys(), filename, allow_missing, ignore_extra)
        for name, value in arg_dict.items():
            if name in self._params:
                self._params[name]._load_init(value, ctx, cast_dtype=cast_dtype, dtype_source=dtype_source)


def _check_keys(expected, found, filename, allow_missing: bool, ignore_extra: bool) -> None:
    """Raise once, listing every missing and every unexpected parameter name."""
    expected, found = list(expected), list(found)
    missing = [] if allow_missing else [k for k in expected if k not in set(found)]
    extra = [] if ignore_extra else [k for k in found if k not in set(expected)]
    if not missing and not extra:
        return
    lines = [f"Cannot load parameters from '{filename}':"]
    if missing:
        lines.append(f"  missing in the file ({len(missing)}): {', '.join(missing)}"
                     " (set allow_missing=True to ignore)")
    if extra:
        lines.append(f"  in the file but not in the model ({len(extra)}): {', '.join(extra)}"
                     " (set ignore_extra=True to ignore)")
    lines.append(f"  the model expects: {', '.join(expected)}")
    raise GluonicValueError("\n".join(lines))


