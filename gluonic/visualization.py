"""``mx.viz``: a layer table (:func:`print_summary`) and a Graphviz drawing (:func:`plot_network`) of a Symbol.

>>> import gluonic as mx
>>> from gluonic import visualization as viz
>>> net = mx.sym.FullyConnected(mx.sym.var("data"), num_hidden=4, name="fc1")
>>> viz.print_summary(net, shape={"data": (1, 3)}, line_length=80)  # doctest: +NORMALIZE_WHITESPACE
________________________________________________________________________________
Layer (type)                       Output Shape    Param # Previous Layer
================================================================================
data(null)                         3               0
________________________________________________________________________________
fc1(FullyConnected)                4               16      data
================================================================================
Total params: 16
________________________________________________________________________________

``plot_network`` needs the optional ``graphviz`` package (``pip install graphviz``); it
returns a ``graphviz.Digraph`` (``.source`` is the DOT text; rendering needs Graphviz's binaries).
"""
from __future__ import annotations

import re
import warnings

from .base import GluonicTypeError, GluonicValueError
from .symbol import Symbol

__all__ = ["print_summary", "plot_network"]

# Inputs counted as a layer's parameters (labels and data are not).
_PARAM_INPUTS = frozenset({"weight", "bias", "gamma", "beta", "parameters"})


def _dims(text: str) -> list[str]:
    return re.findall(r"\d+", text)


def _entry_shapes(symbol: Symbol, shape: dict | None, required: bool) -> dict:
    """``{(id(node), output): shape}`` for every internal output (partial when ``shape`` is None)."""
    internals = symbol.get_internals()
    if shape is not None:
        _, out_shapes, _ = internals.infer_shape(**shape)
        if out_shapes is None:
            raise GluonicValueError(f"Input shape is incomplete: give the shapes of all data inputs. "
                                    f"Received: shape={shape}")
    elif required:
        return {}
    else:
        _, out_shapes, _, _ = internals._infer_shape((), {})
    return {(id(n), i): s for (n, i), s in zip(internals._outputs, out_shapes)}


def print_summary(symbol: Symbol, shape: dict | None = None, line_length: int = 120,
                  positions=[.44, .64, .74, 1.]) -> None:  # noqa: B006 (MXNet's signature)
    """Print a table of the layers of ``symbol``: Layer (type), Output Shape, Param #, Previous Layer.

    Parameters
    ----------
    symbol : Symbol
        The network.
    shape : dict of str to tuple, optional
        Input shapes (``{"data": (1, 3, 224, 224)}``); without them the shape column is empty.
    line_length : int
        Width of the table.
    positions : list of float or int
        Right edge of each column, as fractions of ``line_length`` or absolute columns.

    Like MXNet, the first input of the graph is listed as a layer and the batch axis is
    left out of shapes. Parameter counts are the sizes of each layer's weight, bias,
    gamma and beta inputs, so they are right for every layer type (MXNet estimated them
    for Convolution, FullyConnected, BatchNorm and Embedding only, wrongly for
    FullyConnected on 4-d input).
    """
    if not isinstance(symbol, Symbol):
        raise GluonicTypeError(f"symbol must be Symbol. Received: {type(symbol).__name__}")
    show_shape = shape is not None
    shapes = _entry_shapes(symbol, shape, required=False)
    nodes = symbol._nodes()
    first = nodes[0]
    if positions[-1] <= 1:
        positions = [int(line_length * p) for p in positions]

    def row(fields) -> None:
        line = ""
        for field, end in zip(fields, positions):
            line = (line + str(field))[:end]
            line += " " * (end - len(line))
        print(line)

    def layer_shape(node) -> str:
        s = shapes.get((id(node), 0)) if show_shape else None
        return "x".join(str(d) for d in s[1:]) if s else ""

    print("_" * line_length)
    row(["Layer (type)", "Output Shape", "Param #", "Previous Layer"])
    print("=" * line_length)
    counted: set[int] = set()
    total = 0
    for k, node in enumerate(nodes):
        if node.op is None and node is not first:
            continue
        previous, params = [], 0
        if node.op is not None:
            names = [None] * len(node.inputs) if node.op.variadic else list(node.present or node.op.inputs)
            for (child, _), input_name in zip(node.inputs, names):
                if child.op is not None or child is first:
                    previous.append(child.name)
                elif input_name in _PARAM_INPUTS and not child.is_aux and id(child) not in counted:
                    s = shapes.get((id(child), 0))
                    if s and all(d > 0 for d in s):
                        counted.add(id(child))
                        params += _size(s)
        total += params
        row([f"{node.name}({'null' if node.op is None else node.op.name})", layer_shape(node), params,
             previous[0] if previous else ""])
        for name in previous[1:]:
            row(["", "", "", name])
        print(("=" if k == len(nodes) - 1 else "_") * line_length)
    print(f"Total params: {total}")
    print("_" * line_length)


def _size(shape) -> int:
    n = 1
    for d in shape:
        n *= int(d)
    return n


_COLORS = ("#8dd3c7", "#fb8072", "#ffffb3", "#bebada", "#80b1d3", "#fdb462", "#b3de69", "#fccde5")
_WEIGHT_LIKE = ("_weight", "_bias", "_beta", "_gamma", "_moving_var", "_moving_mean", "_running_var",
                "_running_mean")


def _label_and_color(node) -> tuple[str, str]:
    a = node.raw_attrs
    op = node.op.name
    if op == "Convolution":
        stride = "x".join(_dims(str(a["stride"]))) if "stride" in a else "1"
        return f"Convolution\n{'x'.join(_dims(str(a['kernel'])))}/{stride}, {a['num_filter']}", _COLORS[1]
    if op == "FullyConnected":
        return f"FullyConnected\n{a['num_hidden']}", _COLORS[1]
    if op == "BatchNorm":
        return node.name, _COLORS[3]
    if op == "Activation":
        return f"Activation\n{a['act_type']}", _COLORS[2]
    if op == "LeakyReLU":
        return f"LeakyReLU\n{a.get('act_type', 'Leaky')}", _COLORS[2]
    if op == "Pooling":
        kernel = "x".join(_dims(str(a["kernel"]))) if "kernel" in a else "[]"
        stride = "x".join(_dims(str(a["stride"]))) if "stride" in a else "1"
        return f"Pooling\n{a.get('pool_type', 'max')}, {kernel}/{stride}", _COLORS[4]
    if op in ("Concat", "Flatten", "Reshape"):
        return node.name, _COLORS[5]
    if op == "Softmax":
        return node.name, _COLORS[6]
    return node.name, _COLORS[7]


def plot_network(symbol: Symbol, title: str = "plot", save_format: str = "pdf", shape: dict | None = None,
                 dtype: dict | None = None, node_attrs={}, hide_weights: bool = True):  # noqa: B006 (MXNet's)
    """A ``graphviz.Digraph`` of ``symbol``: one node per op and input, edges labelled with shapes/dtypes.

    Parameters
    ----------
    symbol : Symbol
        The network.
    title : str
        Name of the digraph.
    save_format : str
        Format ``Digraph.render`` writes (``'pdf'``, ``'png'``, ``'svg'``...).
    shape, dtype : dict of str to tuple / dtype, optional
        Input shapes / dtypes; edges are labelled with the (batch-less) shape and the dtype.
    node_attrs : dict
        Graphviz node attributes overriding the defaults (``{"shape": "oval"}``).
    hide_weights : bool
        Leave out weight, bias, gamma, beta and moving statistics inputs.

    Raises
    ------
    ImportError
        If the ``graphviz`` package is missing (``pip install graphviz``).

    >>> # mx.viz.plot_network(net, shape={"data": (1, 784)}).render("net")  # writes net.pdf
    """
    try:
        from graphviz import Digraph
    except ImportError:
        raise ImportError("plot_network requires the graphviz Python package: pip install graphviz "
                          "(rendering the drawing also needs the Graphviz binaries, e.g. apt install graphviz)"
                          ) from None
    if not isinstance(symbol, Symbol):
        raise GluonicTypeError(f"symbol must be a Symbol. Received: {type(symbol).__name__}")
    shapes = _entry_shapes(symbol, shape, required=True)
    types: dict = {}
    if dtype is not None:
        internals = symbol.get_internals()
        _, out_types, _ = internals.infer_type(**dtype)
        types = {(id(n), i): t for (n, i), t in zip(internals._outputs, out_types)}
    nodes = symbol._nodes()
    names = [n.name for n in nodes]
    if len(set(names)) != len(names):
        repeated = sorted({n for n in names if names.count(n) > 1})
        warnings.warn("There are multiple variables with the same name in your graph, this may result in cyclic "
                      f"graph. Repeated names: {','.join(repeated)}", RuntimeWarning, stacklevel=2)
    base_attr = {"shape": "box", "fixedsize": "true", "width": "1.3", "height": "0.8034", "style": "filled"}
    base_attr.update(node_attrs)
    dot = Digraph(name=title, format=save_format)
    hidden: set[str] = set()
    for node in nodes:
        attr = dict(base_attr)
        if node.op is None:
            if node.name.endswith(_WEIGHT_LIKE):
                if hide_weights:
                    hidden.add(node.name)
                continue  # shown (if at all) as graphviz's default node at the end of its edge
            attr["shape"] = "oval"
            label, attr["fillcolor"] = node.name, _COLORS[0]
        else:
            label, attr["fillcolor"] = _label_and_color(node)
        dot.node(name=node.name, label=label, **attr)
    for node in nodes:
        if node.op is None:
            continue
        inputs = node.inputs[:1] if node.op.name == "_contrib_BilinearResize2D" else node.inputs
        for child, i in inputs:
            if child.name in hidden:
                continue
            attr = {"dir": "back", "arrowtail": "open", "label": ""}
            if shape is not None:
                attr["label"] = "x".join(str(d) for d in shapes[(id(child), i)][1:])
            if dtype is not None:
                t = types[(id(child), i)]
                attr["label"] += f"({getattr(t, '__name__', None) or getattr(t, 'name', str(t))})"
            dot.edge(tail_name=node.name, head_name=child.name, **attr)
    return dot
