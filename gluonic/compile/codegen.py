"""Symbol graph → one Python function of direct torch-impl calls, with printable source.

Each op node becomes one line ``t7 = FullyConnected(t3, w1, b1, a=_a7)``: the registry's
implementation called on tensors, its attributes parsed once at compile time and bound
as globals of the generated function. No NDArray wrapping happens inside, which is what
makes a hybridized block cheaper per call than eager execution.

>>> import gluonic as mx
>>> from gluonic.compile import compile_symbol
>>> x = mx.sym.var("x")
>>> g = compile_symbol(mx.sym.relu(x * 2), ["x"])
>>> print(g.source)  # doctest: +NORMALIZE_WHITESPACE
def graph(x):
    t1 = _mul_scalar(x, a=_a1)
    t2 = relu(t1)
    return (t2,)
"""
from __future__ import annotations

import keyword
import linecache
import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

from ..base import GluonicValueError
from ..symbol.symbol import Symbol, _with_absent

__all__ = ["CompiledGraph", "compile_symbol"]


@dataclass
class CompiledGraph:
    """A compiled graph: ``fn(*tensors)`` returns a tuple of output tensors.

    ``inputs`` are the variable names in the order ``fn`` takes them; ``source`` is the
    generated Python code (also what tracebacks show).
    """

    fn: Callable[..., tuple]
    inputs: list[str]
    source: str
    num_outputs: int

    def __call__(self, *tensors):
        return self.fn(*tensors)


def _ident(name: str, used: set[str]) -> str:
    base = re.sub(r"\W", "_", name) or "v"
    if base[0].isdigit() or keyword.iskeyword(base):
        base = "v_" + base
    ident, k = base, 1
    while ident in used:
        ident = f"{base}_{k}"
        k += 1
    used.add(ident)
    return ident


_counter = [0]


def compile_symbol(sym: Symbol, input_names: Sequence[str], *, fold_constants: bool = True) -> CompiledGraph:
    """Compile ``sym`` into a function taking tensors for ``input_names`` (every graph input).

    Passes: only nodes reachable from the outputs are emitted (dead-node elimination is
    implied by the traversal); op nodes without inputs whose op is deterministic
    (``_zeros``, ``_arange``, ...) are evaluated once at compile time (constant folding).
    """
    nodes = sym._nodes()
    graph_inputs = [n.name for n in nodes if n.op is None]
    missing = [n for n in graph_inputs if n not in input_names]
    if missing:
        raise GluonicValueError(f"compile_symbol: graph inputs {missing} are not among input_names. "
                                f"Received: {list(input_names)}")
    used: set[str] = {"graph"}
    env: dict[str, Any] = {"__builtins__": __builtins__}
    names: dict[tuple[int, int], str] = {}
    params = []
    var_by_name = {n.name: n for n in nodes if n.op is None}
    for name in input_names:
        ident = _ident(name, used)
        params.append(ident)
        if name in var_by_name:
            names[(id(var_by_name[name]), 0)] = ident
    lines = [f"def graph({', '.join(params)}):"]
    for k, n in enumerate(nodes):
        if n.op is None:
            continue
        args = [names[(id(c), i)] for c, i in n.inputs]
        args = ["None" if a is None else a for a in _with_absent(n, args)]
        n_out = n.num_outputs()
        outs = [f"t{k}" if n_out == 1 else f"t{k}_{i}" for i in range(n_out)]
        if fold_constants and not n.inputs and _foldable(n):
            value = n.op.impl(a=n.attrs) if n.attrs is not None else n.op.impl()
            env[f"_c{k}"] = value
            lines.append(f"    {outs[0]} = _c{k}")
        else:
            fn_name = _ident(n.op.name, used) if n.op.name not in env else n.op.name
            env.setdefault(fn_name, n.op.impl)
            call_args = ", ".join(args)
            if n.attrs is not None:
                env[f"_a{k}"] = n.attrs
                call_args = f"{call_args}, a=_a{k}" if call_args else f"a=_a{k}"
            target = outs[0] if n_out == 1 else ", ".join(outs)
            lines.append(f"    {target} = {fn_name}({call_args})")
        for i, o in enumerate(outs):
            names[(id(n), i)] = o
    ret = [names[(id(n), i)] for n, i in sym._outputs]
    lines.append(f"    return ({', '.join(ret)},)")
    source = "\n".join(lines) + "\n"
    _counter[0] += 1
    filename = f"<gluonic-graph-{_counter[0]}>"
    linecache.cache[filename] = (len(source), None, source.splitlines(True), filename)
    exec(compile(source, filename, "exec"), env)  # noqa: S102 - our own generated code
    return CompiledGraph(env["graph"], list(input_names), source, len(ret))


_NON_DETERMINISTIC = ("_random_", "_sample_", "_shuffle")


def _foldable(node) -> bool:
    name = node.op.name
    return not any(name.startswith(p) for p in _NON_DETERMINISTIC) and node.op.name != "_empty"


