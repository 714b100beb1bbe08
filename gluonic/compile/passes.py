"""Inference-graph pass: what a hybridized block runs in predict mode outside ``autograd.record()``.

MXNet 1.9 with oneDNN fuses Convolution, BatchNorm and ReLU when a block is hybridized;
this pass does the same on a traced graph, for the calls where it cannot change a result
(predict mode and nothing recorded: no gradients, no moving-statistics updates):

- ``Convolution`` (2-D, channels-first) followed by ``BatchNorm`` over its channels becomes
  one convolution whose weight and bias absorb the normalization
  (``w' = w * gamma / sqrt(var + eps)``, ``b' = (b - mean) * gamma / sqrt(var + eps) + beta``);
  ``FullyConnected`` (``flatten=True``) followed by ``BatchNorm`` likewise;
- a following ``elemwise_add`` (a residual connection) and ``relu``/``Activation``
  (relu, sigmoid, tanh) join that call: on CPU, float32, it is one oneDNN kernel
  (``torch.ops.mkldnn._convolution_pointwise``) with a weight prepacked in oneDNN's blocked
  layout (``GLUONIC_ONEDNN_CONV=0`` turns this off), elsewhere ``conv2d`` with the folded
  weight followed by the add and activation; a 1×1 convolution over channels-last data
  (what oneDNN hands on) is one matrix product instead, cheaper than oneDNN's per-call setup;
- ``Dropout`` (``mode='training'``) and ``identity`` nodes are dropped.

A fold happens only where the convolution's output has no other use (nor is a graph
output). Folded weights are cached per unit and recomputed when any parameter changes:
the cache is keyed on the parameter tensors and their ``_version`` counters, which every
in-place update (``Trainer.step``, ``param.set_data``, ``x[:] = v``) bumps. Inputs with
the same signature reuse one compiled graph, so an unchanged model costs one tuple
comparison per unit per call.

Example
-------
>>> import gluonic as mx
>>> x = mx.sym.var("x")
>>> y = mx.sym.relu(mx.sym.BatchNorm(mx.sym.Convolution(x, kernel=(3, 3), num_filter=4, no_bias=True, name="c"),
...                                  name="bn"))
>>> g = optimize_for_inference(y, y.list_inputs())
>>> print(g.source)  # doctest: +NORMALIZE_WHITESPACE
def graph(x, c_weight, bn_gamma, bn_beta, bn_moving_mean, bn_moving_var):
    t6 = _conv_bn_relu_0(x, c_weight, bn_gamma, bn_beta, bn_moving_mean, bn_moving_var)
    return (t6,)
"""
from __future__ import annotations

import os
from collections.abc import Sequence

import torch
import torch.nn.functional as F

from ..ops import registry
from ..symbol.symbol import Symbol, _Node
from .codegen import CompiledGraph, compile_symbol

__all__ = ["optimize_for_inference", "inference_passes_enabled"]

_ACTS = {"relu": torch.relu, "sigmoid": torch.sigmoid, "tanh": torch.tanh}
_ACTS_ = {"relu": torch.relu_, "sigmoid": torch.sigmoid_, "tanh": torch.tanh_}  # in place, on fresh results
_ADDS = ("elemwise_add",)
# Up to this many input elements a 1×1 convolution runs as a matrix product (oneDNN's setup would cost
# more than the arithmetic); above it, oneDNN's kernel with the activation fused wins.
_MATMUL_MAX = 1 << 17


def inference_passes_enabled() -> bool:
    """False when ``GLUONIC_INFERENCE_PASSES=0`` (predict-mode calls then run the traced graph as is)."""
    return os.environ.get("GLUONIC_INFERENCE_PASSES", "1") != "0"


def _mkldnn_on() -> bool:
    return torch.backends.mkldnn.is_available() and torch._C._get_mkldnn_enabled()


# --------------------------------------------------------------------------- runtime units

class _Unit:
    """One fused call: a Convolution or FullyConnected, optionally + BatchNorm, + residual add, + activation.

    Called with the tensors ``x, weight, [bias], [gamma, beta, mean, var], [other]`` (what
    is present is fixed per unit). The folded (and, for oneDNN, prepacked) weight and bias
    are cached until a parameter tensor or its version, or the data signature, changes.
    """

    def __init__(self, lin: _Node, bn: _Node | None, add: bool, act: str | None):
        self.lin_op, self.lin_attrs = lin.op, lin.attrs
        self.bn_op, self.bn_attrs = (bn.op, bn.attrs) if bn is not None else (None, None)
        self.is_conv = lin.op.name == "Convolution"
        self.has_bias = _has_bias(lin)
        self.add, self.act = add, act
        self.n_params = 1 + self.has_bias + (4 if bn is not None else 0)
        if self.is_conv:
            a = lin.attrs
            self.stride = list(a.stride or (1, 1))
            self.pad = list(a.pad or (0, 0))
            self.dilate = list(a.dilate or (1, 1))
            self.groups = a.num_group
        self.pointwise = (self.is_conv and tuple(lin.attrs.kernel) == (1, 1) and set(self.stride) == {1}
                          and set(self.pad) == {0} and self.groups == 1)
        self._key: tuple = ()
        self._versions: tuple = ()
        self.w = self.b = self.wp = self.wt = None
        self.packed = False  # run the oneDNN kernel with the prepacked weight ``wp`` (else conv2d with ``w``)
        self.out_shape: tuple = ()

    # -- cache -----------------------------------------------------------------------
    def _fresh(self, x, params) -> bool:
        key = self._key
        if not key or key[0] != x.shape or key[1] != x.dtype or key[2] != x.device:
            return False
        cached = key[3]
        versions = self._versions
        for i, p in enumerate(params):
            if p is not cached[i] or (p is not None and p._version != versions[i]):
                return False
        return True

    def _prepare(self, x, params) -> None:
        """Validate like the original ops (on meta tensors), then fold (and pack) the weight."""
        w, b, bn = params[0], (params[1] if self.has_bias else None), params[1 + self.has_bias:]
        meta = [x.to("meta"), w.to("meta"), None if b is None else b.to("meta")]
        y = self.lin_op.impl(*meta, a=self.lin_attrs)
        if bn:
            y = self.bn_op.impl(y, *(t.to("meta") for t in bn), a=self.bn_attrs)
        self.out_shape = tuple(y.shape)
        with torch.no_grad():
            if bn:
                gamma, beta, mean, var = bn
                ctype = torch.float64 if w.dtype == torch.float64 else torch.float32
                g = torch.ones_like(gamma, dtype=ctype) if self.bn_attrs.fix_gamma else gamma.to(ctype)
                scale = g / torch.sqrt(var.to(ctype) + self.bn_attrs.eps)
                b0 = b.to(ctype) if b is not None else torch.zeros_like(scale)
                fb = ((b0 - mean.to(ctype)) * scale + beta.to(ctype)).to(w.dtype)
                fw = (w.to(ctype) * scale.reshape((-1,) + (1,) * (w.dim() - 1))).to(w.dtype)
            else:
                fw, fb = w.detach(), None if b is None else b.detach()
            self.w, self.b, self.wp = fw, fb, None
            if (self.is_conv and os.environ.get("GLUONIC_ONEDNN_CONV", "1") != "0" and x.dtype == torch.float32
                    and x.device.type == "cpu" and _mkldnn_on()):
                try:
                    self.wp = torch.ops.mkldnn._reorder_convolution_weight(
                        fw.contiguous(), self.pad, self.stride, self.dilate, self.groups, list(x.shape))
                except RuntimeError:  # a configuration oneDNN does not take: conv2d only
                    self.wp = None
            # A 1×1 convolution over channels-last data is one matrix product: (N·H·W, C) @ (C, K).
            self.wt = fw.reshape(fw.shape[0], -1).t().contiguous() if self.pointwise else None
        self._key = (x.shape, x.dtype, x.device, tuple(params))
        self._versions = tuple(None if p is None else p._version for p in params)
        self.packed = self.wp is not None

    # -- call ------------------------------------------------------------------------
    def __call__(self, x, *rest):
        params = rest[:self.n_params]
        other = rest[self.n_params] if self.add else None
        if not self._fresh(x, params):
            self._prepare(x, params)
        if self.pointwise and x.dim() == 4 and x.is_contiguous(memory_format=torch.channels_last) and (
                x.numel() <= _MATMUL_MAX or not self.packed):
            return self._matmul(x, other)
        if self.packed and (x.is_contiguous() or x.is_contiguous(memory_format=torch.channels_last)):
            try:
                return self._packed(x, other)
            except RuntimeError:  # oneDNN refused the packed layout on this CPU ("could not create a memory")
                self.wp, self.packed = None, False
        return self._plain(x, other)

    def _matmul(self, x, other):
        n, c, h, w = x.shape
        rows = x.permute(0, 2, 3, 1).reshape(n * h * w, c)  # a view: channels-last memory is (N, H, W, C)
        y = torch.mm(rows, self.wt) if self.b is None else torch.addmm(self.b, rows, self.wt)
        y = y.view(n, h, w, -1).permute(0, 3, 1, 2)
        if other is not None:
            y = y.add_(other) if other.shape == y.shape and other.dtype == y.dtype else y + other
        return _ACTS_[self.act](y) if self.act else y

    def _packed(self, x, other):
        act = self.act
        if other is None:
            return torch.ops.mkldnn._convolution_pointwise(x, self.wp, self.b, self.pad, self.stride, self.dilate,
                                                           self.groups, act or "none", [], None)
        if other.shape == self.out_shape and other.dtype == x.dtype:
            fused = act if act == "relu" else None  # oneDNN's sum post-op chains only relu
            y = torch.ops.mkldnn._convolution_pointwise.binary(
                x, other, self.wp, self.b, self.pad, self.stride, self.dilate, self.groups, "add", None, fused, [],
                None)
            return _ACTS[act](y) if act and not fused else y
        y = torch.ops.mkldnn._convolution_pointwise(x, self.wp, self.b, self.pad, self.stride, self.dilate,
                                                    self.groups, "none", [], None)
        y = y + other
        return _ACTS[act](y) if act else y

    def _plain(self, x, other):
        """conv2d (NCHW) or linear with the folded weight; the add and activation in place on its fresh result."""
        if self.is_conv:
            y = F.conv2d(x.contiguous(), self.w, self.b, self.stride, self.pad, self.dilate, self.groups)
        else:
            y = F.linear(x.flatten(1) if x.dim() > 2 else x, self.w, self.b)
        if other is not None:
            y = y.add_(other) if other.shape == y.shape and other.dtype == y.dtype else y + other
        return _ACTS_[self.act](y) if self.act else y


# --------------------------------------------------------------------------- the pass

def _has_bias(lin: _Node) -> bool:
    return not lin.attrs.no_bias and len(lin.inputs) >= 3


def _act_of(node: _Node) -> str | None:
    name = node.op.name
    if name == "relu":
        return "relu"
    if name == "Activation" and node.attrs.act_type in _ACTS:
        return node.attrs.act_type
    return None


def _is_identity(node: _Node) -> bool:
    name = node.op.name
    if name == "_copy":
        return True
    return name == "Dropout" and node.attrs.mode == "training"


def _foldable_bn(node: _Node) -> bool:
    a = node.attrs
    return node.op.name == "BatchNorm" and not a.output_mean_var and a.axis in (1, -3)


def _fusable_conv(node: _Node) -> bool:
    a = node.attrs
    return len(a.kernel) == 2 and (a.layout in (None, "NCHW"))


def optimize_for_inference(sym: Symbol, input_names: Sequence[str]) -> CompiledGraph | None:
    """Compile ``sym`` for prediction with the rewrites above; ``None`` when none applies.

    The result takes the same inputs as ``compile_symbol(sym, input_names)`` and returns the
    same values (to float rounding) in predict mode outside ``autograd.record()``; it must
    not be used otherwise (BatchNorm's batch statistics and gradients are not there).
    """
    nodes = sym._nodes()
    forward: dict[int, tuple[_Node, int]] = {}  # dropped node -> the entry it passes on

    def resolve(entry):
        node, i = entry
        while id(node) in forward:
            node, i = forward[id(node)]
        return node, i

    for n in nodes:
        if n.op is not None and _is_identity(n):
            forward[id(n)] = resolve(n.inputs[0])
    outputs = [resolve(e) for e in sym._outputs]
    consumers: dict[tuple[int, int], list[_Node]] = {}
    for n in nodes:
        if n.op is None or id(n) in forward:
            continue
        for e in n.inputs:
            c, i = resolve(e)
            consumers.setdefault((id(c), i), []).append(n)
    out_entries = {(id(c), i) for c, i in outputs}

    def sole_consumer(node: _Node) -> _Node | None:
        users = consumers.get((id(node), 0), [])
        if len(users) != 1 or (id(node), 0) in out_entries or id(users[0]) in absorbed or id(users[0]) in units:
            return None  # also when another unit took it (both inputs of a residual add are conv+BN)
        return users[0]

    units: dict[int, tuple] = {}  # id(last node of a unit) -> (lin, bn, add-node, other entry, act)
    absorbed: set[int] = set()
    for n in nodes:
        if n.op is None or id(n) in forward or id(n) in absorbed:
            continue
        if n.op.name == "Convolution" and _fusable_conv(n):
            lin = n
        elif n.op.name == "FullyConnected" and n.attrs.flatten:
            lin = n
        else:
            continue
        last, bn, add, other, act = lin, None, None, None, None
        nxt = sole_consumer(last)
        if nxt is not None and _foldable_bn(nxt) and resolve(nxt.inputs[0]) == (lin, 0):
            bn = last = nxt
            nxt = sole_consumer(last)
        if lin.op.name == "Convolution" and nxt is not None and nxt.op.name in _ADDS:
            a0, a1 = (resolve(e) for e in nxt.inputs)
            if a0 != a1:
                other = a1 if a0 == (last, 0) else a0
                add = last = nxt
                nxt = sole_consumer(last)
        if nxt is not None and _act_of(nxt) is not None:
            act = _act_of(nxt)
            last = nxt
        if last is lin and lin.op.name == "FullyConnected":
            continue  # nothing to fuse: the plain FullyConnected is as fast
        for m in (lin, bn, add):
            if m is not None and m is not last:
                absorbed.add(id(m))
        units[id(last)] = (lin, bn, add, other, act)
    if not units and not forward:
        return None

    new: dict[tuple[int, int], tuple[_Node, int]] = {}

    def mapped(entry):
        c, i = resolve(entry)
        return new[(id(c), i)]

    k = 0
    for n in nodes:
        if id(n) in forward or id(n) in absorbed:
            continue
        if n.op is None:
            new[(id(n), 0)] = (n, 0)
            continue
        if id(n) in units:
            lin, bn, add, other, act = units[id(n)]
            entries = list(lin.inputs[:3 if _has_bias(lin) else 2])
            if bn is not None:
                entries += list(bn.inputs[1:5])
            if add is not None:
                entries.append(other)
            unit = _Unit(lin, bn, add is not None, act)
            kind = ("conv" if unit.is_conv else "fc") + ("_bn" if bn is not None else "") + \
                ("_add" if add is not None else "") + (f"_{act}" if act else "")
            op = registry.Op(name=f"_{kind}_{k}", impl=unit, attrs=None, inputs=(), optional_inputs=frozenset(),
                             variadic=True)
            k += 1
            node = _Node(op, n.name, inputs=[mapped(e) for e in entries])
        else:
            node = _Node(n.op, n.name, n.attrs, n.raw_attrs, [mapped(e) for e in n.inputs], n.present,
                         n.user_attrs, n.is_aux)
        for i in range(n.num_outputs()):
            new[(id(n), i)] = (node, i)
    heads = [new[(id(c), i)] for c, i in outputs]
    graph = compile_symbol(Symbol(heads), input_names)
    inner = graph.fn

    def run(*tensors):  # oneDNN hands out channels-last results: give the caller plain layouts
        return tuple(t if t.is_contiguous() else t.contiguous() for t in inner(*tensors))

    return CompiledGraph(run, graph.inputs, graph.source, graph.num_outputs)
