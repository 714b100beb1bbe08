"""``SymbolBlock``: a Block running a Symbol graph, e.g. a model exported by MXNet.

>>> import gluonic as mx
>>> data = mx.sym.var("data")
>>> out = mx.sym.FullyConnected(data, num_hidden=3, name="fc")
>>> block = mx.gluon.SymbolBlock(out, data)
>>> block.initialize()
>>> block(mx.nd.ones((2, 5))).shape
(2, 3)
"""
from __future__ import annotations

from .. import symbol
from ..base import GluonicTypeError, GluonicValueError
from .block import HybridBlock, _flatten
from .parameter import DeferredInitializationError

__all__ = ["SymbolBlock"]


class SymbolBlock(HybridBlock):
    """Construct a block from Symbol ``outputs`` with input variables ``inputs``.

    Every other variable of the graph becomes a Parameter (auxiliary states such as
    BatchNorm's moving statistics with ``grad_req='null'``), named as in the graph.
    """

    def __init__(self, outputs, inputs, params=None):
        super().__init__(prefix="", params=None)
        self._prefix = ""
        if isinstance(inputs, symbol.Symbol) and len(inputs) == 1:
            inputs = [inputs]
        if isinstance(outputs, (list, tuple)) and len(outputs) == 1:
            outputs = outputs[0]
        if isinstance(outputs, (list, tuple)):
            outputs = symbol.Group(list(outputs))
        for i in inputs:
            if not isinstance(i, symbol.Symbol) or i._outputs[0][0].op is not None:
                raise GluonicTypeError(f"SymbolBlock inputs must be variables (mx.sym.var). Received: {i!r}")
        self._input_names = [i.name for i in inputs]
        self._cached_graph = outputs
        arg_params = [n for n in outputs.list_arguments() if n not in self._input_names]
        aux_params = outputs.list_auxiliary_states()
        shared = params if params is not None else None
        for name in arg_params:
            self._reg_params[name] = self._get_param(shared, name, "write")
        for name in aux_params:
            self._reg_params[name] = self._get_param(shared, name, "null")

    def _get_param(self, shared, name: str, grad_req: str):
        if shared is not None and name in shared:
            p = shared[name]
            self.params._params[name] = p
            return p
        return self.params.get(name, grad_req=grad_req, allow_deferred_init=True)

    @staticmethod
    def imports(symbol_file: str, input_names, param_file: str | None = None, ctx=None,
                allow_missing: bool = False, ignore_extra: bool = False) -> SymbolBlock:
        """Load a model exported by ``HybridBlock.export`` (gluonic or MXNet 1.x).

        >>> # net = mx.gluon.SymbolBlock.imports("model-symbol.json", ["data"], "model-0000.params")
        """
        sym = symbol.load(symbol_file)
        if isinstance(input_names, str):
            input_names = [input_names]
        missing = [n for n in input_names if n not in sym.list_inputs()]
        if missing:
            raise GluonicValueError(
                f"'{symbol_file}': input(s) {missing} are not variables of the graph, whose inputs are "
                f"{sym.list_inputs()}. Received: input_names={list(input_names)}")
        block = SymbolBlock(sym, [symbol.var(n) for n in input_names])
        if param_file is not None:
            block.collect_params().load(param_file, ctx=ctx, allow_missing=allow_missing, ignore_extra=ignore_extra,
                                        cast_dtype=True, dtype_source="saved")
        return block

    def forward(self, x, *args):
        if isinstance(x, symbol.Symbol):
            return self._forward_symbol([x, *args])
        flat, _ = _flatten([x, *args], "input")
        if len(flat) != len(self._input_names):
            raise GluonicValueError(
                f"SymbolBlock expects {len(self._input_names)} inputs ({self._input_names}). Received: {len(flat)}")
        values = dict(zip(self._input_names, flat))
        ctx = x.context
        try:
            params = {k: p.data(ctx) for k, p in self._reg_params.items()}
        except DeferredInitializationError:
            self._infer_from(values)
            for p in self._reg_params.values():
                p._finish_deferred_init()
            params = {k: p.data(ctx) for k, p in self._reg_params.items()}
        values.update(params)
        outs = symbol.evaluate.run(self._cached_graph, values)
        return outs[0] if len(outs) == 1 else outs

    def _infer_from(self, values: dict) -> None:
        arg_shapes, _, aux_shapes = self._cached_graph.infer_shape_partial(
            **{k: v.shape for k, v in values.items()})
        shapes = dict(zip(self._cached_graph.list_arguments(), arg_shapes))
        shapes.update(zip(self._cached_graph.list_auxiliary_states(), aux_shapes))
        for name, p in self._reg_params.items():
            if shapes.get(name):
                p.shape = shapes[name]

    def _forward_symbol(self, inputs):
        """Nest the graph in a traced one: the input variables are replaced by ``inputs``."""
        from ..symbol.symbol import substitute

        flat, _ = _flatten(inputs, "input")
        if len(flat) != len(self._input_names):
            raise GluonicValueError(
                f"SymbolBlock expects {len(self._input_names)} inputs ({self._input_names}). Received: {len(flat)}")
        out = substitute(self._cached_graph, dict(zip(self._input_names, flat)))
        return out if len(out) > 1 else out[0]

    def hybrid_forward(self, F, x, *args, **kwargs):
        raise NotImplementedError


