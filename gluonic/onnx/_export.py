"""``export_model``: a gluonic/MXNet symbol graph (or a hybridized block) to an ONNX file.

The exporter walks the graph in topological order. Input variables that have a value in
``params`` become initializers, the others graph inputs (matched in order to
``in_shapes``/``in_types``). Each op node is converted by the ONNX rule on its registry
entry (``Op.onnx``, see :mod:`gluonic.onnx._graph`); a node whose inputs are all known at
export time (parameters, constants) is evaluated once and stored as a constant instead.
Graph outputs are named like MXNet's exporter names them (``fc1_output`` → ``fc1``).
"""
from __future__ import annotations

import dataclasses
import logging
import os
from typing import Any

import numpy as np

from ..base import GluonicTypeError, GluonicValueError, MXNetError
from ._dtypes import np_to_onnx
from ._graph import GraphBuilder, NodeContext

__all__ = ["export_model", "export_onnx_model", "get_operator_support", "DEFAULT_OPSET", "MIN_OPSET"]

DEFAULT_OPSET = 17  # LayerNormalization exists from 17; onnxruntime runs 17 everywhere
MIN_OPSET = 13

# Ops whose label input is not part of the inference graph (MXNet skips "<last node>_label").
_LOSS_OUTPUTS = {"SoftmaxOutput", "LinearRegressionOutput", "LogisticRegressionOutput", "MAERegressionOutput",
                 "SVMOutput"}
_NO_FOLD_PREFIXES = ("_random", "_sample", "random_", "sample_", "_shuffle", "_npi_random", "_npi_uniform",
                     "_npi_normal", "_npi_gamma", "_npi_gumbel", "_npi_logistic", "_npi_exponential", "_npi_rayleigh",
                     "_npi_weibull", "_npi_pareto", "_npi_powerd", "_npi_bernoulli", "_npi_choice",
                     "_npi_multinomial", "_npi_shuffle")

log = logging.getLogger(__name__)


def export_model(sym, params=None, in_shapes=None, in_types=np.float32, onnx_file_path: str = "model.onnx",
                 verbose: bool = False, dynamic: bool = False, dynamic_input_shapes=None,
                 run_shape_inference: bool = False, input_type=None, input_shape=None, *,
                 opset_version: int | None = None) -> str:
    """Export a model to an ONNX file; returns ``onnx_file_path``.

    Parameters
    ----------
    sym : Symbol, str or HybridBlock
        The graph, a path to a ``-symbol.json`` file, or a hybridized block that has run
        forward once (its traced graph, parameters and input shapes are used).
    params : dict, str, list of two dicts, or None
        Parameter values by name (``arg:``/``aux:`` prefixes accepted), a ``.params`` file,
        or ``[arg_params, aux_params]``. None for a block.
    in_shapes : list of tuple
        Shapes of the graph inputs (the variables without a value in ``params``), in graph
        order. Defaults to the block's last input shapes, or the variables' ``shape=``.
    in_types : dtype or list of dtypes
        Input dtypes (default float32).
    onnx_file_path : str
        Where to write the model.
    dynamic : bool
        Let input dimensions vary at run time: all of them, or those that are ``None`` in
        ``dynamic_input_shapes`` (``[(None, 3, 224, 224)]`` for a dynamic batch).
    run_shape_inference : bool
        Annotate intermediate tensors with ONNX shape inference (kept without on failure).
    input_type, input_shape
        Old names of ``in_types``/``in_shapes``.
    opset_version : int
        ONNX opset to target, 13 or later (default 17).

    Raises
    ------
    GluonicValueError
        For an operator without ONNX conversion (naming the op and the node), or
        attribute values the conversion cannot express.

    Example
    -------
    >>> # net.hybridize(); net(x); mx.onnx.export_model(net, onnx_file_path="net.onnx")
    >>> # mx.onnx.export_model("resnet-symbol.json", "resnet-0000.params", [(1, 3, 224, 224)])
    """
    from . import _require_onnx

    onnx = _require_onnx()
    if input_type is not None:
        in_types = input_type
    if input_shape is not None:
        in_shapes = input_shape
    model = export_onnx_model(sym, params, in_shapes, in_types, verbose=verbose, dynamic=dynamic,
                              dynamic_input_shapes=dynamic_input_shapes, opset_version=opset_version)
    if run_shape_inference:
        try:
            model = onnx.shape_inference.infer_shapes(model)
        except Exception as e:  # noqa: BLE001 - MXNet keeps the model when ONNX inference fails
            log.info("ONNX shape inference failed (%s); the model is saved without it", e)
    directory = os.path.dirname(os.path.abspath(onnx_file_path))
    os.makedirs(directory, exist_ok=True)
    with open(onnx_file_path, "wb") as f:
        f.write(model.SerializeToString())
    if verbose:
        log.info("Exported ONNX file %s (inputs %s)", onnx_file_path, in_shapes)
    return onnx_file_path


def get_operator_support(opset_version: int | None = None) -> list[str]:
    """Names (aliases included) of the operators that have an ONNX conversion."""
    from ..ops import registry

    return sorted(n for n in registry.all_names() if registry.get(n).onnx is not None)


# ---------------------------------------------------------------------- inputs of export_model
def _strip(k: str) -> str:
    return k[4:] if k.startswith(("arg:", "aux:")) else k


def _to_numpy(v) -> np.ndarray:
    if hasattr(v, "asnumpy"):
        return v.asnumpy()
    if hasattr(v, "detach"):
        return v.detach().cpu().numpy()
    return np.asarray(v)


def _resolve(sym, params, in_shapes):
    """(Symbol, {name: ndarray}, in_shapes) from the accepted forms of ``sym`` and ``params``."""
    from .. import ndarray as nd
    from .. import symbol
    from ..gluon.block import HybridBlock

    if isinstance(sym, HybridBlock):
        out = sym._export_graph("ONNX export")
        block_params = {name: p._reduce() for name, p in sym.collect_params().items()}
        if in_shapes is None:
            in_shapes = [s for s in getattr(sym, "_in_shapes", None) or () if s is not None]
        if params is not None:
            block_params.update(params if isinstance(params, dict) else {})
        sym, params = out, block_params
    elif isinstance(sym, (str, os.PathLike)):
        sym = symbol.load(os.fspath(sym))
    elif not isinstance(sym, symbol.Symbol):
        raise GluonicTypeError(f"ONNX export: sym must be a Symbol, a -symbol.json path or a HybridBlock. "
                               f"Received: {type(sym).__name__}")
    if isinstance(params, (str, os.PathLike)):
        params = nd.load(os.fspath(params))
    if isinstance(params, (list, tuple)):
        if len(params) != 2 or not all(isinstance(p, dict) for p in params):
            raise GluonicValueError("ONNX export: params as a list must be [arg_params, aux_params]. "
                                    f"Received: a list of {len(params)} items")
        params = {**params[0], **params[1]}
    if params is None:
        params = {}
    if not isinstance(params, dict):
        raise GluonicTypeError(f"ONNX export: params must be a dict, a .params path or [arg_params, aux_params]. "
                               f"Received: {type(params).__name__}")
    return sym, {_strip(k): _to_numpy(v) for k, v in params.items()}, in_shapes


# ---------------------------------------------------------------------- shape/dtype tables
def _entries(nodes) -> list[tuple[Any, int]]:
    return [(n, i) for n in nodes for i in range(n.num_outputs())]


def _infer_shapes(internals, entries, shapes: dict) -> dict:
    _, out, _, _ = internals._infer_shape((), shapes)
    return {(id(n), i): s for (n, i), s in zip(entries, out)}


def _static_shapes(internals, entries, shapes: dict, dyn_masks: dict) -> tuple[dict, dict]:
    """Shapes of every graph entry for the given input shapes, and the same with None for the
    dimensions that follow the dynamic input ones.

    Which dimensions are dynamic is found by inferring shapes a second time with the
    dynamic input dimensions changed: the entries' dimensions that change with them are
    dynamic. If the graph cannot take changed dimensions (a hard-coded reshape), fewer
    are changed (only the first axis, then none).
    """
    base = _infer_shapes(internals, entries, shapes)
    if not any(any(m) for m in dyn_masks.values()):
        return base, base
    for only_first in (False, True):
        changed = {}
        for name, s in shapes.items():
            mask = dyn_masks.get(name)
            if mask is None:
                changed[name] = s
            else:
                changed[name] = tuple(d + 1 if m and (not only_first or k == 0) else d
                                      for k, (d, m) in enumerate(zip(s, mask)))
        try:
            other = _infer_shapes(internals, entries, changed)
        except MXNetError:
            continue
        if all((a is None) == (b is None) and (a is None or len(a) == len(b)) for a, b in
               ((base[k], other[k]) for k in base)):
            return base, {k: None if s is None else tuple(d if d == o else None for d, o in zip(s, other[k]))
                          for k, s in base.items()}
    return base, base


def _output_name(mx_name: str) -> str:
    """MXNet's ONNX output naming: ``x_output`` → ``x``, ``x_output1`` → ``x1``, RNN states → ``x1``/``x2``."""
    for suffix, repl in (("_state_output", "1"), ("_statecell_output", "2"), ("_output", "")):
        if mx_name.endswith(suffix):
            return mx_name[: -len(suffix)] + repl
    if len(mx_name) > 8 and mx_name[-8:-1] == "_output" and mx_name[-1].isdigit():
        return mx_name[:-8] + mx_name[-1]
    return mx_name


# ---------------------------------------------------------------------- the conversion
def export_onnx_model(sym, params=None, in_shapes=None, in_types=np.float32, verbose: bool = False,
                      dynamic: bool = False, dynamic_input_shapes=None, opset_version: int | None = None):
    """The ``onnx.ModelProto`` for ``sym`` (what :func:`export_model` writes; same arguments)."""
    from . import _require_onnx

    onnx = _require_onnx()
    helper = onnx.helper
    opset = DEFAULT_OPSET if opset_version is None else int(opset_version)
    if opset < MIN_OPSET or opset > onnx.defs.onnx_opset_version():
        raise GluonicValueError(f"ONNX export: opset_version must be between {MIN_OPSET} and "
                                f"{onnx.defs.onnx_opset_version()}. Received: {opset_version}")
    sym, params, in_shapes = _resolve(sym, params, in_shapes)
    nodes = sym._nodes()

    # Graph inputs: variables without a value, minus labels of loss outputs.
    output_label = nodes[-1].name + "_label"
    label_only: set[str] = set()
    consumers: dict[int, list] = {}
    for n in nodes:
        for k, (c, _) in enumerate(n.inputs):
            consumers.setdefault(id(c), []).append((n, k))
    for n in nodes:
        if n.op is None and consumers.get(id(n)) and all(
                c.op.name in _LOSS_OUTPUTS and k == 1 for c, k in consumers[id(n)]):
            label_only.add(n.name)
    input_vars = [n for n in nodes if n.op is None and n.name not in params
                  and n.name != output_label and n.name not in label_only]
    if in_shapes is None:
        from ..symbol.symbol import _parse_shape

        if all("__shape__" in n.user_attrs for n in input_vars):
            in_shapes = [_parse_shape(n.user_attrs["__shape__"]) for n in input_vars]
        else:
            raise GluonicValueError(f"ONNX export: in_shapes is required for the graph inputs "
                                    f"{[n.name for n in input_vars]}. Received: in_shapes=None")
    if in_shapes and all(isinstance(d, (int, np.integer)) for d in in_shapes):  # one shape given bare
        in_shapes = [tuple(in_shapes)]
    in_shapes = [tuple(int(d) for d in s) for s in in_shapes]
    if len(in_shapes) != len(input_vars):
        raise GluonicValueError(f"ONNX export: the graph has {len(input_vars)} inputs "
                                f"{[n.name for n in input_vars]} (variables without a value in params), "
                                f"but in_shapes has {len(in_shapes)} shapes. Received: in_shapes={in_shapes}")
    if not isinstance(in_types, (list, tuple)):
        in_types = [in_types] * len(in_shapes)
    if len(in_types) != len(in_shapes):
        raise GluonicValueError(f"ONNX export: in_types and in_shapes must have the same length. "
                                f"Received: {len(in_types)} types for {len(in_shapes)} shapes")
    from .. import _dtype

    in_types = [_dtype.np_dtype(t) for t in in_types]
    if dynamic_input_shapes is not None and not dynamic:
        raise GluonicValueError("ONNX export: dynamic_input_shapes is given; set dynamic=True to use it")
    if dynamic:
        dyn_shapes = dynamic_input_shapes or [tuple(None for _ in s) for s in in_shapes]
        if len(dyn_shapes) != len(in_shapes) or any(len(a) != len(b) for a, b in zip(dyn_shapes, in_shapes)):
            raise GluonicValueError(f"ONNX export: dynamic_input_shapes must match in_shapes in length and rank. "
                                    f"Received: {dynamic_input_shapes} for in_shapes {in_shapes}")
    else:
        dyn_shapes = in_shapes

    # Shapes and dtypes of every entry of the graph.
    internals = sym.get_internals()
    entries = _entries(nodes)
    known_shapes = {n.name: s for n, s in zip(input_vars, in_shapes)}
    known_shapes.update({n.name: params[n.name].shape for n in nodes if n.op is None and n.name in params})
    masks = {n.name: [d is None for d in ds] for n, ds in zip(input_vars, dyn_shapes)} if dynamic else {}
    base_shapes, shapes = _static_shapes(internals, entries, known_shapes, masks)
    known_types = {n.name: t for n, t in zip(input_vars, in_types)}
    known_types.update({n.name: params[n.name].dtype for n in nodes if n.op is None and n.name in params})
    # Dtypes through each op's meta-tensor rule at the known shapes (Symbol.infer_type has no shapes).
    from ..symbol._type_infer import as_type, infer_types

    types = infer_types(nodes, {k: as_type(v) for k, v in known_types.items()}, base_shapes)
    dtypes = {k: np.dtype(t) for k, t in types.items()}

    g = GraphBuilder(opset)
    names: dict[tuple[int, int], str] = {}
    graph_inputs = []
    for n in nodes:
        if n.op is None:
            g.reserve(n.name)
            names[(id(n), 0)] = n.name
    for n, dshape, dt in zip(input_vars, dyn_shapes, in_types):
        graph_inputs.append(helper.make_tensor_value_info(n.name, np_to_onnx(dt), list(dshape)))
        dtypes[(id(n), 0)] = dt
    for n in nodes:
        if n.op is None:
            if n.name in params:
                g.initializers[n.name] = params[n.name]
            continue
        if verbose:
            log.info("Converting %s (%s)", n.name, n.op.name)
        in_names = [names.get((id(c), i)) for c, i in n.inputs]
        out_shapes = [shapes.get((id(n), i)) for i in range(n.num_outputs())]
        out_dtypes = [dtypes.get((id(n), i)) for i in range(n.num_outputs())]
        folded = _try_fold(g, n, in_names, base_shapes.get((id(n), 0)))
        if folded is not None:
            outs = folded
        else:
            rule = n.op.onnx
            if rule is None:
                raise GluonicValueError(
                    f"ONNX export: operator '{n.op.name}' (node '{n.name}') has no ONNX conversion. "
                    f"Supported operators: see gluonic.onnx.get_operator_support()")
            ctx = NodeContext(g, n, in_names, [shapes.get((id(c), i)) or () for c, i in n.inputs],
                              [dtypes.get((id(c), i), np.dtype(np.float32)) for c, i in n.inputs],
                              out_shapes, out_dtypes)
            outs = rule(ctx)
            if isinstance(outs, str):
                outs = [outs]
            outs = list(outs)
            # Safety net: give each output the dtype gluonic's type inference gives it.
            outs = [o if dt is None or ctx.dtype(o) == dt else ctx.cast(o, dt) for o, dt in zip(outs, out_dtypes)]
            if len(outs) != n.num_outputs():
                raise GluonicValueError(f"ONNX export: internal error, the rule for '{n.op.name}' returned "
                                        f"{len(outs)} outputs for node '{n.name}', expected {n.num_outputs()}")
        for i, o in enumerate(outs):
            names[(id(n), i)] = o

    # Graph outputs, named as MXNet's exporter names them.
    graph_outputs = []
    used_out = set()
    for (n, i), mx_name in zip(sym._outputs, sym.list_outputs()):
        src = names[(id(n), i)]
        out_name = _output_name(mx_name)  # RNN states <name>_state_output/_statecell_output -> <name>1/<name>2
        produced = any(src in node.output for node in g.nodes)
        if not produced and out_name == src:  # an input or a constant: an ONNX output must come from a node
            out_name = f"{out_name}_output"
        if out_name in used_out or (out_name != src and out_name in g._names):
            out_name = g.fresh(out_name)
        used_out.add(out_name)
        g.reserve(out_name)
        if out_name != src:
            g.add_node("Identity", [src], [out_name], g.fresh(f"{out_name}/Identity"))
        s = shapes.get((id(n), i))
        if dynamic:
            s = [None] * len(s) if s is not None else None
        elif s is not None:
            s = list(s)
        graph_outputs.append(helper.make_tensor_value_info(out_name, np_to_onnx(dtypes[(id(n), i)]), s))

    used = {i for node in g.nodes for i in node.input}
    initializers = [onnx.numpy_helper.from_array(np.array(v, order="C", copy=not v.flags.c_contiguous), name)
                    for name, v in g.initializers.items() if name in used]
    graph = helper.make_graph(g.nodes, "gluonic_converted_model", graph_inputs, graph_outputs, initializers)
    model = helper.make_model(graph, opset_imports=[helper.make_opsetid("", opset)],
                              producer_name="gluonic", producer_version=_version())
    # The oldest IR version that carries this opset, so that older runtimes load the file.
    model.ir_version = helper.find_min_ir_version_for(list(model.opset_import), ignore_unknown=True)
    return model


def _version() -> str:
    from .. import __version__

    return __version__


def _try_fold(g: GraphBuilder, node, in_names, out_shape) -> list[str] | None:
    """Evaluate ``node`` now if all its inputs are known constants; its outputs become initializers.

    Creation ops whose ``shape`` leaves dimensions to inference (MXNet's RNN layers write
    ``_zeros(shape=(L, 0, H))`` for their begin states) are evaluated at the inferred shape.
    """
    if any(node.op.name.startswith(p) for p in _NO_FOLD_PREFIXES):
        return None
    values = [g.value(v) if v else None for v in in_names]
    if any(v is None for v in values):
        return None
    from .. import ndarray as nd
    from ..ndarray.ndarray import NDArray, invoke
    from ..symbol.symbol import _with_absent

    attrs = node.attrs
    shape = getattr(attrs, "shape", None)
    if not in_names and isinstance(shape, tuple) and any(d <= 0 for d in shape) and out_shape is not None:
        attrs = dataclasses.replace(attrs, shape=tuple(out_shape))
    try:
        args = _with_absent(node, [nd.array(v, dtype=v.dtype) for v in values])
        out = invoke(node.op, args, attrs)
    except MXNetError:
        return None
    outs = [out] if isinstance(out, NDArray) else list(out)
    return [g.const(o.asnumpy(), hint=f"{node.name}_folded") for o in outs]
