"""``gluonic inspect`` and ``gluonic convert onnx``: look into and convert saved MXNet models.

    gluonic inspect model-symbol.json [model-0000.params] [--input-shape 1,3,224,224]
    gluonic convert onnx model-symbol.json model-0000.params --input-shape 1,3,224,224 -o model.onnx

``inspect`` prints the graph's inputs and outputs, a histogram of its operators, the
parameter count (from the ``.params`` file, or inferred from the input shape) and, given
input shapes, every output's inferred shape. ``convert onnx`` writes an ONNX file with
``gluonic.onnx.export_model``. Bad, missing or corrupt files end with one line on stderr
and exit code 2, never a traceback.
"""
from __future__ import annotations

import argparse
import math
import os
import sys
from collections import Counter

__all__ = ["add_subcommands", "run_command"]

_PARAM_SUFFIXES = ("_weight", "_bias", "_gamma", "_beta", "_moving_mean", "_moving_var", "_running_mean",
                   "_running_var", "_alpha", "_parameters")


class CommandError(Exception):
    """A user error: printed as one line, exit code 2."""


def add_subcommands(sub) -> None:
    """Register ``inspect`` and ``convert`` on the ``gluonic`` command's subparsers."""
    p = sub.add_parser("inspect", help="summarize a saved model: operators, parameters, shapes",
                       description="Summarize an MXNet model file (prefix-symbol.json, optionally its .params).")
    p.add_argument("symbol", help="the -symbol.json file")
    p.add_argument("params", nargs="?", help="the .params file (optional)")
    p.add_argument("--input-shape", action="append", default=[], metavar="[NAME=]D0,D1,...",
                   help="shape of a data input, e.g. 1,3,224,224 or data=1,3,224,224 (repeat for several)")
    p.set_defaults(handler=_inspect)

    c = sub.add_parser("convert", help="convert a saved model to another format",
                       description="Convert an MXNet model to another format.")
    fmt = c.add_subparsers(dest="format", required=True)
    o = fmt.add_parser("onnx", help="export to ONNX with gluonic.onnx.export_model",
                       description="Export prefix-symbol.json + prefix-NNNN.params to an ONNX file.")
    o.add_argument("symbol", help="the -symbol.json file")
    o.add_argument("params", help="the .params file")
    o.add_argument("--input-shape", action="append", default=[], required=True, metavar="[NAME=]D0,D1,...",
                   help="shape of each data input, in graph order (repeat for several)")
    o.add_argument("--input-type", default="float32", help="dtype of the inputs (default float32)")
    o.add_argument("-o", "--output", help="the ONNX file to write (default: the symbol file's prefix + .onnx)")
    o.add_argument("--opset", type=int, default=None, help="ONNX opset version (default: the exporter's)")
    o.add_argument("--dynamic-batch", action="store_true", help="let the first dimension vary at run time")
    o.set_defaults(handler=_convert_onnx)


def run_command(ns: argparse.Namespace) -> int:
    """Run a parsed ``inspect``/``convert`` command; user errors print one line and give 2."""
    try:
        return ns.handler(ns)
    except CommandError as e:
        print(f"gluonic {ns.command}: error: {e}", file=sys.stderr)
        return 2


# --------------------------------------------------------------------------- loading

def _check_file(path: str, what: str) -> None:
    if not os.path.exists(path):
        raise CommandError(f"no such {what} file: {path}")
    if not os.path.isfile(path):
        raise CommandError(f"{what} path is not a file: {path}")


def _load_symbol(path: str):
    from . import symbol
    from .base import MXNetError

    _check_file(path, "symbol")
    try:
        return symbol.load(path)
    except (MXNetError, ValueError, KeyError, TypeError, UnicodeDecodeError) as e:
        raise CommandError(f"cannot read the symbol file {path}: {e}") from None


def _load_params(path: str) -> dict:
    from . import ndarray as nd
    from .base import MXNetError

    _check_file(path, "params")
    try:
        loaded = nd.load(path)
    except (MXNetError, ValueError, EOFError) as e:
        raise CommandError(f"cannot read the params file {path}: {e}") from None
    if not isinstance(loaded, dict):
        raise CommandError(f"the params file {path} holds a list of arrays, not named parameters "
                           "(expected arg:NAME / aux:NAME keys, as Module and HybridBlock.export write)")
    return {k.split(":", 1)[1] if k.startswith(("arg:", "aux:")) else k: v for k, v in loaded.items()}


def _parse_shapes(specs: list[str], data_names: list[str]) -> dict[str, tuple[int, ...]]:
    """``["1,3,224,224"]`` or ``["data=1,3,224,224"]`` → ``{name: shape}``; unnamed ones follow graph order."""
    shapes: dict[str, tuple[int, ...]] = {}
    unnamed = iter(data_names)
    for spec in specs:
        name, _, dims = spec.rpartition("=")
        try:
            shape = tuple(int(d) for d in dims.strip("()[] ").split(",") if d.strip())
        except ValueError:
            shape = ()
        if not shape or any(d <= 0 for d in shape):
            raise CommandError(f"--input-shape needs positive integers separated by commas, like 1,3,224,224. "
                               f"Received: {spec!r}")
        if not name:
            name = next(unnamed, None)
            if name is None:
                raise CommandError(f"more --input-shape values than data inputs ({', '.join(data_names) or 'none'})")
        elif name not in data_names:
            raise CommandError(f"--input-shape names {name!r}, which is not a data input of the graph. "
                               f"Data inputs: {', '.join(data_names) or 'none'}")
        shapes[name] = shape
    return shapes


def _data_inputs(sym, params: dict | None) -> list[str]:
    args = sym.list_arguments()
    if params is not None:
        return [a for a in args if a not in params]
    return [a for a in args if not a.endswith(_PARAM_SUFFIXES)]


# --------------------------------------------------------------------------- inspect

def _inspect(ns) -> int:
    sym = _load_symbol(ns.symbol)
    params = _load_params(ns.params) if ns.params else None
    data = _data_inputs(sym, params)
    shapes = _parse_shapes(ns.input_shape, data)
    arg_shapes = out_shapes = aux_shapes = None
    if shapes:
        arg_shapes, out_shapes, aux_shapes = _infer(sym, shapes, params)
    nodes = sym._nodes()
    ops = Counter(n.op.name for n in nodes if n.op is not None)
    print(f"symbol: {ns.symbol}")
    print(f"  nodes: {len(nodes)} ({sum(ops.values())} operators, {len(nodes) - sum(ops.values())} variables)")
    print(f"  data inputs: {', '.join(data) or '(none)'}")
    print(f"  outputs: {', '.join(sym.list_outputs())}")
    print("operators:")
    width = max((len(k) for k in ops), default=0)
    for name, count in sorted(ops.items(), key=lambda kv: (-kv[1], kv[0])):
        print(f"  {name:<{width}}  {count}")
    if params is not None:
        names = [n for n in sym.list_arguments() + sym.list_auxiliary_states() if n not in data]
        missing = [n for n in names if n not in params]
        unused = sorted(set(params) - set(names))
        total = sum(math.prod(params[n].shape) for n in names if n in params)
        print(f"parameters: {total:,} values in {len(names) - len(missing)} arrays (from {ns.params})")
        if missing:
            print(f"  missing from the params file: {', '.join(missing)}")
        if unused:
            print(f"  in the params file but not used by the graph: {', '.join(unused)}")
    elif arg_shapes is not None:
        named = dict(zip(sym.list_arguments(), arg_shapes))
        named.update(zip(sym.list_auxiliary_states(), aux_shapes))
        total = sum(math.prod(s) for n, s in named.items() if n not in data)
        print(f"parameters: {total:,} values in {len(named) - len(data)} arrays (inferred from the input shapes)")
    else:
        print("parameters: unknown (give the .params file, or --input-shape to infer them)")
    if out_shapes is not None:
        print("output shapes:")
        for name, shape in zip(sym.list_outputs(), out_shapes):
            print(f"  {name}: {tuple(shape)}")
    return 0


def _infer(sym, shapes: dict, params: dict | None):
    import warnings

    from .base import MXNetError

    known = dict(shapes)
    if params is not None:
        known.update({k: tuple(v.shape) for k, v in params.items() if k in set(sym.list_inputs())})
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            arg, out, aux = sym.infer_shape(**known)
    except (MXNetError, ValueError) as e:
        raise CommandError(f"shape inference failed for inputs {shapes}: {e}") from None
    if arg is None:
        arg, out, aux = sym.infer_shape_partial(**known)
        unknown = [n for n, s in zip(sym.list_arguments(), arg) if not s or 0 in s]
        raise CommandError(f"cannot infer every shape from {shapes}; still unknown: {', '.join(unknown)}. "
                           "Give their shapes with --input-shape NAME=D0,D1,...")
    return arg, out, aux


# --------------------------------------------------------------------------- convert onnx

def _convert_onnx(ns) -> int:
    import numpy as np

    from .base import MXNetError

    sym = _load_symbol(ns.symbol)
    params = _load_params(ns.params)
    data = _data_inputs(sym, params)
    shapes = _parse_shapes(ns.input_shape, data)
    missing = [d for d in data if d not in shapes]
    if missing:
        raise CommandError(f"give the shape of every data input with --input-shape; missing: {', '.join(missing)}")
    _infer(sym, shapes, params)  # a clear error before the exporter's, for shapes that do not fit
    try:
        dtype = np.dtype(ns.input_type)
    except TypeError:
        raise CommandError(f"unknown --input-type {ns.input_type!r}; use a NumPy dtype name like float32") from None
    out = ns.output or _default_output(ns.symbol)
    try:
        from .onnx import export_model
    except ImportError as e:
        raise CommandError(f"ONNX export is not available: {e}") from None
    in_shapes = [shapes[d] for d in data]
    kwargs = {"opset_version": ns.opset} if ns.opset else {}
    if ns.dynamic_batch:
        kwargs.update(dynamic=True, dynamic_input_shapes=[(None, *s[1:]) for s in in_shapes])
    try:
        export_model(ns.symbol, ns.params, in_shapes, [dtype] * len(in_shapes), out, **kwargs)
    except ImportError as e:
        raise CommandError(str(e)) from None
    except (MXNetError, ValueError, TypeError, KeyError, OSError) as e:
        raise CommandError(f"ONNX export failed: {e}") from None
    print(f"wrote {out} (inputs: {', '.join(f'{d}{shapes[d]}' for d in data)})")
    return 0


def _default_output(symbol_path: str) -> str:
    base = symbol_path[:-len(".json")] if symbol_path.endswith(".json") else symbol_path
    if base.endswith("-symbol"):
        base = base[:-len("-symbol")]
    return base + ".onnx"
