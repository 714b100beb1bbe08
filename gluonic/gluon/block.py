"""``Block`` and ``HybridBlock``: Gluon's building blocks (MXNet 1.9 semantics).

Children and parameters register themselves by assignment (``self.dense = nn.Dense(10)``);
names follow MXNet's scheme (``dense0_weight`` and, inside a parent's ``name_scope``,
``hybridsequential0_dense0_weight``) so parameter files stay portable.

A ``HybridBlock`` defines ``hybrid_forward(F, x, **params)``: ``F`` is ``mx.nd`` when
called on NDArrays and ``mx.sym`` on Symbols. Unknown parameter shapes are inferred at
the first forward pass by tracing ``hybrid_forward`` symbolically.

Example
-------
>>> import gluonic as mx
>>> from gluonic.gluon import nn
>>> net = nn.HybridSequential()
>>> net.add(nn.Dense(8, activation="relu"), nn.Dense(2))
>>> net.initialize()
>>> net(mx.nd.ones((4, 5))).shape
(4, 2)
"""
from __future__ import annotations

import contextvars
import re
import warnings
from collections import OrderedDict
from collections.abc import Callable
from typing import Any

from .. import name as _name
from .. import ndarray as nd
from .._state import fold_scope, tracing_graph
from ..base import GluonicTypeError, GluonicValueError, NotImplementedForSymbol
from ..compile.cached_op import hybridize_enabled
from ..util import is_np_array
from .parameter import DeferredInitializationError, Parameter, ParameterDict, _check_keys, _tracing
from .utils import _indent

__all__ = ["Block", "HybridBlock"]

_current_scope: contextvars.ContextVar[_BlockScope | None] = contextvars.ContextVar("gluonic_block_scope",
                                                                                   default=None)


class _BlockScope:
    """The naming scope of a Block: children created inside ``with block.name_scope():``
    get the block's prefix and per-hint counters starting at 0."""

    def __init__(self, block: Block):
        self._block = block
        self._counter: dict[str, int] = {}
        self._tokens: list = []

    @staticmethod
    def create(prefix: str | None, params: ParameterDict | None, hint: str) -> tuple[str, ParameterDict]:
        current = _current_scope.get()
        if current is None:
            if prefix is None:
                prefix = _name.current().get(None, hint) + "_"
            if params is None:
                params = ParameterDict(prefix)
            else:
                params = ParameterDict(params.prefix, params)
            return prefix, params
        if prefix is None:
            count = current._counter.get(hint, 0)
            prefix = f"{hint}{count}_"
            current._counter[hint] = count + 1
        if params is None:
            parent = current._block.params
            params = ParameterDict(parent.prefix + prefix, parent._shared)
        else:
            params = ParameterDict(params.prefix, params)
        return current._block.prefix + prefix, params

    def __enter__(self):
        if self._block._empty_prefix:
            return self
        self._tokens.append((_current_scope.set(self), _name.Prefix(self._block.prefix)))
        self._tokens[-1][1].__enter__()
        return self

    def __exit__(self, *exc):
        if self._block._empty_prefix:
            return
        token, prefix = self._tokens.pop()
        prefix.__exit__(*exc)
        _current_scope.reset(token)


class Block:
    """Base class of all layers and models.

    Parameters
    ----------
    prefix : str, optional
        Prefix of this block's parameter and child names (default: from the class name).
    params : ParameterDict, optional
        Share these parameters instead of creating new ones.
    """

    def __init__(self, prefix: str | None = None, params: ParameterDict | None = None):
        self._empty_prefix = prefix == ""
        self._prefix, self._params = _BlockScope.create(prefix, params, self._alias())
        self._name = self._prefix[:-1] if self._prefix.endswith("_") else self._prefix
        self._scope = _BlockScope(self)
        self._children: OrderedDict[str, Block] = OrderedDict()
        self._reg_params: dict[str, Parameter] = {}
        self._forward_hooks: OrderedDict = OrderedDict()
        self._forward_pre_hooks: OrderedDict = OrderedDict()

    def _alias(self) -> str:
        return self.__class__.__name__.lower()

    def __repr__(self) -> str:
        mods = "\n".join(f"  ({key}): {_indent(repr(block), 2)}" for key, block in self.__dict__.items()
                         if isinstance(block, Block))
        return f"{self.__class__.__name__}(\n{mods}\n)"

    def __setattr__(self, name: str, value: Any) -> None:
        if hasattr(self, name):
            existing = getattr(self, name)
            if isinstance(existing, (Parameter, Block)) and not isinstance(value, type(existing)):
                raise GluonicTypeError(
                    f"Changing attribute type for {name} from {type(existing)} to {type(value)} is not allowed. "
                    f"Received: {type(value).__name__}")
        if isinstance(value, Block):
            self.register_child(value, name)
        elif isinstance(value, Parameter):
            self._reg_params[name] = value
        super().__setattr__(name, value)

    # ------------------------------------------------------------------ naming and params
    @property
    def prefix(self) -> str:
        return self._prefix

    @property
    def name(self) -> str:
        return self._name

    def name_scope(self) -> _BlockScope:
        """Scope in which children get this block's prefix (``with self.name_scope(): ...``)."""
        return self._scope

    @property
    def params(self) -> ParameterDict:
        """This block's own parameters (not its children's: see :meth:`collect_params`)."""
        return self._params

    def collect_params(self, select: str | None = None) -> ParameterDict:
        """This block's and all descendants' parameters, optionally filtered by regex ``select``."""
        self._check_container_with_block()
        ret = ParameterDict(self._params.prefix)
        if not select:
            ret.update(self.params)
        else:
            pattern = re.compile(select)
            for k, v in self.params.items():
                if pattern.match(k):
                    ret._params[k] = v
        for child in self._children.values():
            ret.update(child.collect_params(select=select))
        return ret

    def _collect_params_with_prefix(self, prefix: str = "") -> dict[str, Parameter]:
        if prefix:
            prefix += "."
        ret = {prefix + key: val for key, val in self._reg_params.items()}
        for name, child in self._children.items():
            ret.update(child._collect_params_with_prefix(prefix + name))
        return ret

    def _check_container_with_block(self) -> None:
        def find(data):
            if isinstance(data, (list, tuple)):
                return any(isinstance(d, Block) or find(d) for d in data)
            if isinstance(data, dict):
                return any(isinstance(d, Block) or find(d) for d in data.values())
            return False

        children = set(self._children.values())
        for k, v in self.__dict__.items():
            if isinstance(v, (list, tuple, dict)) and not (k.startswith("__") or k == "_children"):
                if find(v) and not all(b in children for b in _blocks_in(v)):
                    warnings.warn(
                        f'"{self.name}" is an unregistered container with Blocks. Note that Blocks inside the '
                        "list, tuple or dict will not be registered automatically. Make sure to register them "
                        "using register_child() or switching to nn.Sequential/nn.HybridSequential instead. ",
                        stacklevel=3)

    def register_child(self, block: Block, name: str | None = None) -> None:
        """Register ``block`` as a child (assignment does this automatically)."""
        if name is None:
            name = str(len(self._children))
        self._children[name] = block

    def register_forward_pre_hook(self, hook: Callable):
        """``hook(block, inputs)`` runs before forward. Returns a handle with ``detach()``."""
        from .utils import HookHandle

        handle = HookHandle()
        handle.attach(self._forward_pre_hooks, hook)
        return handle

    def register_forward_hook(self, hook: Callable):
        """``hook(block, inputs, outputs)`` runs after forward. Returns a handle with ``detach()``."""
        from .utils import HookHandle

        handle = HookHandle()
        handle.attach(self._forward_hooks, hook)
        return handle

    def apply(self, fn: Callable[[Block], Any]) -> Block:
        """Call ``fn(block)`` on every descendant, then on this block; returns self."""
        for child in self._children.values():
            child.apply(fn)
        fn(self)
        return self

    def initialize(self, init=None, ctx=None, verbose=False, force_reinit=False) -> None:
        """Initialize all parameters (see :meth:`ParameterDict.initialize`)."""
        self.collect_params().initialize(init, ctx, verbose, force_reinit)

    def hybridize(self, active: bool = True, **kwargs) -> None:
        """Hybridize every HybridBlock among the descendants."""
        for child in self._children.values():
            child.hybridize(active, **kwargs)

    def cast(self, dtype) -> None:
        """Cast every parameter (and child) to ``dtype``."""
        for child in self._children.values():
            child.cast(dtype)
        for p in self.params.values():
            p.cast(dtype)

    # ------------------------------------------------------------------ calling
    def __call__(self, *args):
        for hook in self._forward_pre_hooks.values():
            hook(self, args)
        out = self.forward(*args)
        for hook in self._forward_hooks.values():
            hook(self, args, out)
        return out

    def forward(self, *args):
        """Override to define the computation."""
        raise NotImplementedError

    # ------------------------------------------------------------------ save/load
    def save_parameters(self, filename: str, deduplicate: bool = False) -> None:
        """Save parameters under structural names (``0.weight``) in MXNet's ``.params`` format."""
        params = self._collect_params_with_prefix()
        if deduplicate:
            reverse: dict[int, str] = {}
            for k, v in params.items():
                reverse.setdefault(id(v), k)
            params = {k: v for k, v in params.items() if reverse[id(v)] == k}
        nd.save(filename, {key: val._reduce() for key, val in params.items()})

    def load_parameters(self, filename: str, ctx=None, allow_missing: bool = False, ignore_extra: bool = False,
                        cast_dtype: bool = False, dtype_source: str = "current") -> None:
        """Load parameters saved by :meth:`save_parameters` (or, by full names, by older MXNet code).

        Every missing and unexpected name is reported in one error.
        """
        loaded = nd.load(filename)
        if isinstance(loaded, list) and not loaded:
            loaded = {}  # MXNet writes an empty file as an empty list
        if not isinstance(loaded, dict):
            raise GluonicValueError(f"'{filename}' holds a list of arrays, not named parameters.")
        params = self._collect_params_with_prefix()
        if not loaded and not params:
            return
        if not any("." in k for k in loaded):
            # legacy format: full parameter names (ParameterDict.save / save_params)
            self.collect_params().load(filename, ctx, allow_missing, ignore_extra,
                                       self.prefix, cast_dtype=cast_dtype, dtype_source=dtype_source)
            return
        _check_keys(params.keys(), loaded.keys(), filename, allow_missing, ignore_extra)
        for name, value in loaded.items():
            if name in params:
                params[name]._load_init(value, ctx, cast_dtype=cast_dtype, dtype_source=dtype_source)

    def save_params(self, filename: str) -> None:
        """Deprecated MXNet name: saves full parameter names (minus this block's prefix)."""
        warnings.warn("save_params is deprecated. Please use save_parameters.", stacklevel=2)
        self.collect_params().save(filename, strip_prefix=self.prefix)

    def load_params(self, filename: str, ctx=None, allow_missing=False, ignore_extra=False) -> None:
        """Deprecated MXNet name for :meth:`load_parameters`."""
        warnings.warn("load_params is deprecated. Please use load_parameters.", stacklevel=2)
        self.load_parameters(filename, ctx, allow_missing, ignore_extra)

    # ------------------------------------------------------------------ summary
    def summary(self, *inputs) -> None:
        """Print a table of layers with output shapes and parameter counts (runs one forward)."""
        from ._summary import print_summary

        print_summary(self, inputs)


def _blocks_in(data):
    if isinstance(data, Block):
        yield data
    elif isinstance(data, (list, tuple)):
        for d in data:
            yield from _blocks_in(d)
    elif isinstance(data, dict):
        for d in data.values():
            yield from _blocks_in(d)


def _flatten(args, kind: str):
    """Flatten nested lists of inputs; return (flat list, format to rebuild)."""
    if args is None or isinstance(args, (nd.NDArray,)) or getattr(args, "_is_symbol", False):
        return [args], 0
    if not isinstance(args, (list, tuple)):
        raise GluonicTypeError(f"HybridBlock {kind} must be (nested) list of Symbol or NDArray. "
                               f"Received: {type(args).__name__}")
    flat, fmts = [], []
    for a in args:
        f, fmt = _flatten(a, kind)
        flat.extend(f)
        fmts.append(fmt)
    return flat, fmts


def _regroup(args, fmt):
    if isinstance(fmt, int):
        if fmt == 0:
            return args[0], args[1:]
        return args[:fmt], args[fmt:]
    ret = []
    for i in fmt:
        res, args = _regroup(args, i)
        ret.append(res)
    return ret, args


def _trace_error(block, err: Exception) -> GluonicValueError:
    """Name the block and the line of hybrid_forward that used a value while tracing."""
    import traceback

    frames = [f for f in traceback.extract_tb(err.__traceback__) if "gluonic" not in f.filename.split("/")[-3:-1]
              and not f.filename.endswith(("symbol/symbol.py", "gluon/block.py"))]
    where = f" at {frames[-1].filename}:{frames[-1].lineno} ({frames[-1].line})" if frames else ""
    return GluonicValueError(
        f"HybridBlock '{block.name}' cannot be hybridized: {err}{where}. While tracing, inputs are Symbols "
        "without values: Python control flow on values, .asnumpy() or .shape cannot be recorded. Use F.where / "
        "F.contrib ops instead, or call hybridize(False) for this block.")


class HybridBlock(Block):
    """A Block whose computation, ``hybrid_forward(F, x, *args, **params)``, works on NDArrays
    (``F = mx.nd``) and on Symbols (``F = mx.sym``), so it can be traced into a graph.

    Parameters are passed to ``hybrid_forward`` as keyword arguments named like the
    attributes they were assigned to (``self.weight`` → ``weight=...``).
    """

    def __init__(self, prefix: str | None = None, params: ParameterDict | None = None):
        super().__init__(prefix=prefix, params=params)
        self._active = False
        self._flags: dict[str, Any] = {}
        self._cached_graphs: dict = {}

    def register_child(self, block: Block, name: str | None = None) -> None:
        if not isinstance(block, HybridBlock):
            raise GluonicValueError(
                f"Children of HybridBlock must also be HybridBlock, but {block!r} has type {type(block)}. If you "
                "are using Sequential, please try HybridSequential instead.")
        super().register_child(block, name)

    def hybridize(self, active: bool = True, backend: str | None = None, backend_opts: dict | None = None,
                  **kwargs) -> None:
        """Run this block (and its children) as a compiled graph.

        The first call with a new input signature (shapes, dtypes, devices, train or
        predict mode) traces ``hybrid_forward`` with Symbols and compiles it to Python over
        torch calls; later calls replay it. ``backend='inductor'`` (or any
        ``torch.compile`` backend) additionally hands the graph to ``torch.compile``.
        ``static_alloc``/``static_shape`` are accepted for MXNet compatibility. Set the
        environment variable ``GLUONIC_HYBRIDIZE=0`` to run eagerly for debugging.
        """
        self._active = active
        self._flags = dict(kwargs)
        self._backend = backend
        self._backend_opts = backend_opts
        self._clear_cached_op()
        super().hybridize(active, backend=backend, backend_opts=backend_opts, **kwargs)

    def _clear_cached_op(self) -> None:
        self._cached_graphs = {}
        self.__dict__.pop("_fold_signatures", None)  # folding's traced output shapes and graphs (gluonic.fold)
        self.__dict__.pop("_fold_graphs", None)

    def optimize_for(self, x, *args, backend: str | None = None, backend_opts: dict | None = None, **kwargs):
        """Hybridize with ``backend`` and run once on the given inputs (compiling for them)."""
        self.hybridize(True, backend=backend, backend_opts=backend_opts, **kwargs)
        return self(x, *args)

    def _call_cached_op(self, flat: list, fmt, ctx):
        from ..compile.cached_op import signature

        self._in_format = ([a is not None for a in flat], fmt)
        self._in_shapes = _shapes_of(flat)
        key = signature(flat, fmt)
        graph = self._cached_graphs.get(key)
        if graph is None:  # a new signature: trace, compile
            graph = self._compile(flat, fmt, ctx, self._in_shapes, getattr(self, "_backend", None))
            self._cached_graphs[key] = graph
        return graph(flat, ctx)

    def _compile(self, flat: list, fmt, ctx, shapes: list, backend: str | None):
        """A ``CachedGraph`` of this block for inputs like ``flat`` traced at ``shapes``, after
        finishing deferred parameter initialization."""
        from ..compile.cached_op import CachedGraph

        try:
            for p in self.collect_params().values():
                p.data(ctx)
        except DeferredInitializationError:
            self._deferred_infer_shape(*_regroup(flat, fmt)[0])  # fmt of (x, *args) is a list
            for p in self.collect_params().values():
                p._finish_deferred_init()
        return CachedGraph(self, [a is not None for a in flat], fmt, backend, getattr(self, "_backend_opts", None),
                           shapes)

    def cached_graph_source(self) -> list[str]:
        """The generated Python source of every graph compiled so far (for inspection)."""
        return [g.source for g in getattr(self, "_cached_graphs", {}).values()]

    def forward(self, x, *args):
        """Run ``hybrid_forward`` with ``F = mx.nd`` (NDArrays) or ``F = mx.sym`` (Symbols)."""
        from .. import symbol

        if isinstance(x, nd.NDArray):
            ctx = x.context
            flat, fmt = _flatten((x, *args), "input")
            self._in_format = ([a is not None for a in flat], fmt)
            if self._active and hybridize_enabled():
                return self._call_cached_op(flat, fmt, ctx)
            try:
                params = {k: v.data(ctx) for k, v in self._reg_params.items()}
            except DeferredInitializationError:
                self._deferred_infer_shape(x, *args)
                for p in self.collect_params().values():
                    p._finish_deferred_init()
                params = {k: v.data(ctx) for k, v in self._reg_params.items()}
            return self.hybrid_forward(nd, x, *args, **params)
        if not isinstance(x, symbol.Symbol):
            raise GluonicTypeError(
                f"HybridBlock '{self.name}' requires the first argument to forward be either Symbol or NDArray. "
                f"Received: {type(x).__name__}")
        params = {k: v.var() for k, v in self._reg_params.items()}
        with self.name_scope():
            return self.hybrid_forward(symbol, x, *args, **params)

    def hybrid_forward(self, F, x, *args, **kwargs):
        """Override to define the computation with ``F`` (``mx.nd`` or ``mx.sym``)."""
        raise NotImplementedError

    def _plain_forward(self) -> bool:
        """Whether the subclass defines ``forward`` (NDArray code) instead of ``hybrid_forward``."""
        return type(self).forward is not HybridBlock.forward

    def __call__(self, *args):
        if fold_scope[0] is not None and args and isinstance(args[0], nd.NDArray):
            return fold_scope[0].record_block(self, args)  # inside fold.batching(): batched later
        if (self._active and args and isinstance(args[0], nd.NDArray) and self._plain_forward()
                and hybridize_enabled() and not _tracing.get()):
            for hook in self._forward_pre_hooks.values():
                hook(self, args)
            flat, fmt = _flatten(args, "input")
            out = self._call_cached_op(flat, fmt, args[0].context)
            for hook in self._forward_hooks.values():
                hook(self, args, out)
            return out
        return super().__call__(*args)

    # ------------------------------------------------------------------ graphs and inference
    def _get_graph(self, *args):
        flat, fmt = _flatten(args, "input")
        inputs, out, _ = self._graph_for([a is not None for a in flat], fmt, _shapes_of(flat))
        return inputs, out

    def _graph_for(self, present: list, fmt, shapes: list | None = None):
        """Trace hybrid_forward with input variables ``data`` (or ``data0``, ``data1``, ...).

        ``shapes`` (the call's input shapes) let NumPy-mode code read ``x.shape`` while tracing.
        """
        from .. import symbol
        from ..symbol.numpy import tracing_shapes

        names = ["data"] if len(present) == 1 else [f"data{i}" for i in range(len(present))]
        shapes = shapes if shapes is not None else getattr(self, "_in_shapes", None)
        known = {n: s for n, s in zip(names, shapes or ()) if s is not None}
        inputs = [symbol.var(n) if p else None for n, p in zip(names, present)]
        if is_np_array():  # NumPy mode: the block's code sees np symbols (x + 1 records _npi_add_scalar)
            from ..symbol.numpy import as_np_symbol

            inputs = [None if i is None else as_np_symbol(i) for i in inputs]
        grouped, _ = _regroup(inputs, fmt)
        params = {k: v.var() for k, v in self._reg_params.items()}
        args = [grouped] if fmt == 0 else grouped
        try:
            with self.name_scope(), tracing_shapes(known), _tracing_graph():
                if self._plain_forward():
                    token = _tracing.set(True)
                    try:
                        out = type(self).forward(self, *args)
                    finally:
                        _tracing.reset(token)
                else:
                    out = self.hybrid_forward(symbol, *args, **params)
        except NotImplementedForSymbol as e:
            raise _trace_error(self, e) from None
        out_flat, out_fmt = _flatten(out, "output")
        return [i for i in inputs if i is not None], symbol.Group(out_flat), out_fmt

    def _infer_attrs(self, fn_name: str, attr: str, *args) -> None:
        inputs, out = self._get_graph(*args)
        flat, _ = _flatten(args, "input")
        known = {i.name: getattr(a, attr) for i, a in zip(inputs, [a for a in flat if a is not None])}
        if fn_name == "infer_shape":
            arg_attrs, _, aux_attrs = out.infer_shape_partial(**known)
        else:
            arg_attrs, _, aux_attrs = out.infer_type(**known)
        table = dict(zip(out.list_arguments(), arg_attrs))
        table.update(zip(out.list_auxiliary_states(), aux_attrs))
        for p in self.collect_params().values():
            if p.name in table and table[p.name]:
                setattr(p, attr, table[p.name])

    def infer_shape(self, *args) -> None:
        """Infer parameter shapes from input shapes (deferred initialization uses this)."""
        self._infer_attrs("infer_shape", "shape", *args)

    def infer_type(self, *args) -> None:
        """Infer parameter dtypes from input dtypes."""
        self._infer_attrs("infer_type", "dtype", *args)

    def _export_graph(self, what: str):
        """The graph of the block's last call signature (what ``export`` and ONNX export write)."""
        fmt = getattr(self, "_in_format", None)
        if fmt is None:
            raise GluonicValueError(
                f"{what}: run the block forward once before exporting it (the number and nesting of its inputs "
                f"come from that call): please first call block.hybridize() and then run forward with this block "
                f"at least once. Received: block '{self.name}' that has not run forward yet")
        return self._graph_for(*fmt)[1]

    def export(self, path: str, epoch: int = 0, remove_amp_cast: bool = True):
        """Write ``path-symbol.json`` and ``path-%04d.params`` (MXNet's formats, ``arg:``/``aux:`` keys).

        The block must have run forward once (so the number and nesting of inputs is known).
        Returns the two file names. Real MXNet 1.x loads the files with
        ``SymbolBlock.imports`` or ``mx.model.load_checkpoint``.
        """
        out = self._export_graph("export")
        sym_file = f"{path}-symbol.json"
        out.save(sym_file, remove_amp_cast=remove_amp_cast)
        arg_names, aux_names = set(out.list_arguments()), set(out.list_auxiliary_states())
        arg_dict = {}
        for name, param in self.collect_params().items():
            if name in arg_names:
                arg_dict[f"arg:{name}"] = param._reduce()
            elif name in aux_names:
                arg_dict[f"aux:{name}"] = param._reduce()
        params_file = f"{path}-{epoch:04d}.params"
        nd.save(params_file, arg_dict)
        return sym_file, params_file

    def _deferred_infer_shape(self, *args) -> None:
        try:
            self.infer_shape(*args)
        except Exception as e:
            raise GluonicValueError(
                f"Deferred initialization failed because shape cannot be inferred. {e}") from e




def _shapes_of(flat: list) -> list:
    return [None if a is None else a.shape for a in flat]


class _tracing_graph:  # noqa: N801 - used as a context manager
    """Marks the tracing of a block's code into a graph (np creation functions then record nodes)."""

    def __enter__(self):
        self._token = tracing_graph.set(True)

    def __exit__(self, *exc):
        tracing_graph.reset(self._token)
