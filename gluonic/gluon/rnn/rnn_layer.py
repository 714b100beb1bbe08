"""Fused recurrent layers (MXNet 1.9 ``gluon.rnn.RNN``, ``LSTM``, ``GRU``) over the ``RNN`` operator.

A layer runs a whole sequence through ``num_layers`` stacked (optionally bidirectional)
recurrent layers in one ``RNN`` op call. Its parameters are named like MXNet's:
``l0_i2h_weight`` (G*H, input_size), ``l0_h2h_weight`` (G*H, H), ``l0_i2h_bias``,
``l0_h2h_bias`` (and ``l0_h2r_weight`` (P, H) with an LSTM ``projection_size`` P), ``r0_...``
for the reverse direction, ``l1_...`` for the next layer; G is 1 (RNN), 4 (LSTM) or 3 (GRU).
Before each call they are flattened and packed with ``_rnn_param_concat`` in the operator's
order (all weights, layer-major, forward before reverse; then all biases).

``save_parameters`` writes MXNet 1.9's structural names (``_unfused.0.l_cell.i2h_weight``
bidirectional, ``_unfused.0.i2h_weight`` otherwise), so files move between the two.
"""
from __future__ import annotations

import re

from ... import ndarray, symbol
from ...base import GluonicValueError
from ..block import HybridBlock
from .rnn_cell import _in_mode

__all__ = ["RNN", "LSTM", "GRU"]

_GATES = {"rnn_relu": 1, "rnn_tanh": 1, "lstm": 4, "gru": 3}
_KEY = re.compile(r"(l|r)(\d+)_(i2h|h2h|h2r)_(weight|bias)\Z")


class _RNNLayer(HybridBlock):
    """Shared implementation of the fused recurrent layers."""

    def __init__(self, hidden_size, num_layers, layout, dropout, bidirectional, input_size,
                 i2h_weight_initializer, h2h_weight_initializer, i2h_bias_initializer, h2h_bias_initializer,
                 mode, projection_size, h2r_weight_initializer, lstm_state_clip_min, lstm_state_clip_max,
                 lstm_state_clip_nan, dtype, **kwargs):
        super().__init__(**kwargs)
        if layout not in ("TNC", "NTC"):
            raise GluonicValueError(f"{type(self).__name__}: layout must be one of ['TNC', 'NTC']. "
                                    f"Received: layout='{layout}'")
        self._hidden_size = hidden_size
        self._projection_size = projection_size if projection_size else None
        self._num_layers = num_layers
        self._mode = mode
        self._layout = layout
        self._dropout = dropout
        self._dir = 2 if bidirectional else 1
        self._input_size = input_size
        self._i2h_weight_initializer = i2h_weight_initializer
        self._h2h_weight_initializer = h2h_weight_initializer
        self._i2h_bias_initializer = i2h_bias_initializer
        self._h2h_bias_initializer = h2h_bias_initializer
        self._h2r_weight_initializer = h2r_weight_initializer
        self._lstm_state_clip_min = lstm_state_clip_min
        self._lstm_state_clip_max = lstm_state_clip_max
        self._lstm_state_clip_nan = lstm_state_clip_nan
        self._dtype = dtype
        self.skip_states = None
        self._gates = _GATES[mode]

        ng, ni, nh = self._gates, input_size, hidden_size
        rec = self._projection_size or nh
        for i in range(num_layers):
            for j in ["l", "r"][:self._dir]:
                self._register_param(f"{j}{i}_i2h_weight", (ng * nh, ni), i2h_weight_initializer, dtype)
                self._register_param(f"{j}{i}_h2h_weight", (ng * nh, rec), h2h_weight_initializer, dtype)
                self._register_param(f"{j}{i}_i2h_bias", (ng * nh,), i2h_bias_initializer, dtype)
                self._register_param(f"{j}{i}_h2h_bias", (ng * nh,), h2h_bias_initializer, dtype)
                if self._projection_size:
                    self._register_param(f"{j}{i}_h2r_weight", (rec, nh), h2r_weight_initializer, dtype)
            ni = rec * self._dir

    def _register_param(self, name, shape, init, dtype):
        p = self.params.get(name, shape=shape, init=init, allow_deferred_init=True, dtype=dtype)
        setattr(self, name, p)
        return p

    def __repr__(self):
        s = f"{type(self).__name__}("
        shape = self.l0_i2h_weight.shape
        s += f"{shape[1] if shape[1] else None} -> {shape[0] // self._gates}, {self._layout}"
        if self._num_layers != 1:
            s += f", num_layers={self._num_layers}"
        if self._dropout != 0:
            s += f", dropout={self._dropout}"
        if self._dir == 2:
            s += ", bidirectional"
        return s + ")"

    def _collect_params_with_prefix(self, prefix=""):
        # MXNet 1.9 keeps the structural names of its older unfused implementation.
        if prefix:
            prefix += "."
        bidirectional = any(_KEY.match(k).group(1) == "r" for k in self._reg_params)
        ret = {}
        for key, val in self._reg_params.items():
            d, layer, g, t = _KEY.match(key).groups()
            name = f"_unfused.{layer}.{d}_cell.{g}_{t}" if bidirectional else f"_unfused.{layer}.{g}_{t}"
            ret[prefix + name] = val
        for name, child in self._children.items():
            ret.update(child._collect_params_with_prefix(prefix + name))
        return ret

    def state_info(self, batch_size=0):
        raise NotImplementedError

    def cast(self, dtype):
        super().cast(dtype)
        self._dtype = dtype

    def begin_state(self, batch_size=0, func=ndarray.zeros, **kwargs):
        """Initial states: ``func(name=..., shape=..., **kwargs)`` for each entry of ``state_info``.

        Example: ``layer.begin_state(batch_size=4, ctx=mx.cpu())`` → ``[h0]`` (``[h0, c0]`` for LSTM),
        each of shape (num_layers * directions, batch_size, hidden_size).
        """
        states = []
        for i, info in enumerate(self.state_info(batch_size)):
            info = dict(info) if info is not None else {}
            info.update(kwargs)
            info.pop("__layout__", None)
            states.append(_in_mode(func(name=f"{self._prefix}h0_{i}", **info)))
        return states

    def __call__(self, inputs, states=None, **kwargs):
        self.skip_states = states is None
        if states is None:
            if isinstance(inputs, ndarray.NDArray):
                batch_size = inputs.shape[self._layout.find("N")]
                states = self.begin_state(batch_size, ctx=inputs.context, dtype=inputs.dtype)
            else:
                states = self._symbol_zero_states(inputs)
        if isinstance(states, (ndarray.NDArray, symbol.Symbol)):
            states = [states]
        return super().__call__(inputs, states, **kwargs)

    def _symbol_zero_states(self, inputs):
        # Symbols carry no batch size: derive zero states from the input's batch dimension.
        return [_zeros_from_input(inputs, self._layout, info["shape"]) for info in self.state_info(0)]

    def _deferred_infer_shape(self, *args):
        # The RNN op infers only the packed vector; the layer fills its first-layer i2h weights.
        inputs = args[0]
        if not hasattr(inputs, "shape") or len(inputs.shape) != 3:
            raise GluonicValueError(
                f"Deferred initialization failed because shape cannot be inferred: {type(self).__name__} expects "
                f"3-D inputs in layout {self._layout}. Received: {getattr(inputs, 'shape', type(inputs).__name__)}")
        self.infer_shape(*args)

    def infer_shape(self, inputs, *args):
        """Set the first layer's i2h weight shapes from the inputs' feature dimension."""
        in_size = inputs.shape[2]
        for j in ["l", "r"][:self._dir]:
            getattr(self, f"{j}0_i2h_weight").shape = (self._gates * self._hidden_size, in_size)

    def hybrid_forward(self, F, inputs, states=None, **kwargs):
        if F is ndarray:
            batch_size = inputs.shape[self._layout.find("N")]
            for state, info in zip(states, self.state_info(batch_size)):
                if state.shape != info["shape"]:
                    raise GluonicValueError(f"Invalid recurrent state shape. Expecting {info['shape']}, "
                                            f"got {state.shape}. Received: state of shape {state.shape}")
        if self._layout == "NTC":
            inputs = F.swapaxes(inputs, dim1=0, dim2=1)
        gates = ["i2h", "h2h", "h2r"] if self._projection_size else ["i2h", "h2h"]
        names = [f"{d}{layer}_{g}_weight" for layer in range(self._num_layers) for d in ["l", "r"][:self._dir]
                 for g in gates]
        names += [f"{d}{layer}_{g}_bias" for layer in range(self._num_layers) for d in ["l", "r"][:self._dir]
                  for g in ["i2h", "h2h"]]
        flat = [F.reshape(kwargs[n], shape=(-1,)) for n in names]
        params = F._internal._rnn_param_concat(*flat, dim=0, num_args=len(flat))
        rnn = F.RNN(inputs, params, *states, state_size=self._hidden_size, projection_size=self._projection_size,
                    num_layers=self._num_layers, bidirectional=self._dir == 2, p=self._dropout, state_outputs=True,
                    mode=self._mode, lstm_state_clip_min=self._lstm_state_clip_min,
                    lstm_state_clip_max=self._lstm_state_clip_max, lstm_state_clip_nan=self._lstm_state_clip_nan,
                    name="fwd")
        if self._mode == "lstm":
            outputs, states = rnn[0], [rnn[1], rnn[2]]
        else:
            outputs, states = rnn[0], [rnn[1]]
        if self._layout == "NTC":
            outputs = F.swapaxes(outputs, dim1=0, dim2=1)
        return outputs if self.skip_states else (outputs, states)


def _zeros_from_input(x, layout, shape):
    """Symbol zeros of ``shape`` (L*D, 0, H) whose batch dimension comes from ``x`` (layout TNC/NTC)."""
    first = symbol.slice_axis(x, axis=layout.find("T"), begin=0, end=1)
    # (1, N, C) for TNC, (N, 1, C) for NTC
    col = symbol.slice_axis(first, axis=2, begin=0, end=1)
    col = symbol.reshape(col, shape=(1, -1, 1))  # (1, N, 1)
    col = symbol.zeros_like(col)
    return symbol.tile(col, reps=(shape[0], 1, shape[2]))


class RNN(_RNNLayer):
    """Multi-layer Elman RNN with ``relu`` or ``tanh``: h_t = act(W_ih x_t + b_ih + W_hh h_{t-1} + b_hh).

    Inputs: ``data`` (T, N, C) (``layout='TNC'``) or (N, T, C) (``'NTC'``), optional ``states``
    (list of one array (num_layers * directions, N, hidden_size)). Outputs: ``out`` (T, N,
    directions * hidden_size) in the same layout, plus the final states when states were given.

    Example::

        layer = mx.gluon.rnn.RNN(100, 3)
        layer.initialize()
        out = layer(mx.nd.random.uniform(shape=(5, 3, 10)))   # (5, 3, 100)
    """

    def __init__(self, hidden_size, num_layers=1, activation="relu", layout="TNC", dropout=0, bidirectional=False,
                 i2h_weight_initializer=None, h2h_weight_initializer=None, i2h_bias_initializer="zeros",
                 h2h_bias_initializer="zeros", input_size=0, dtype="float32", **kwargs):
        super().__init__(hidden_size, num_layers, layout, dropout, bidirectional, input_size,
                         i2h_weight_initializer, h2h_weight_initializer, i2h_bias_initializer, h2h_bias_initializer,
                         "rnn_" + activation, None, None, None, None, False, dtype, **kwargs)

    def state_info(self, batch_size=0):
        return [{"shape": (self._num_layers * self._dir, batch_size, self._hidden_size), "__layout__": "LNC",
                 "dtype": self._dtype}]


class LSTM(_RNNLayer):
    """Multi-layer LSTM (gates i, f, g, o), optionally with an output projection and cell-state clipping.

    Inputs: ``data`` (T, N, C) or (N, T, C), optional ``states`` [h0, c0]: h0 of shape
    (num_layers * directions, N, projection_size or hidden_size), c0 (num_layers * directions,
    N, hidden_size). Output (T, N, directions * (projection_size or hidden_size)), plus
    [h_T, c_T] when states were given.

    Example::

        layer = mx.gluon.rnn.LSTM(100, 3)
        layer.initialize()
        h0 = layer.begin_state(batch_size=3)
        out, hn = layer(mx.nd.random.uniform(shape=(5, 3, 10)), h0)
    """

    def __init__(self, hidden_size, num_layers=1, layout="TNC", dropout=0, bidirectional=False, input_size=0,
                 i2h_weight_initializer=None, h2h_weight_initializer=None, i2h_bias_initializer="zeros",
                 h2h_bias_initializer="zeros", projection_size=None, h2r_weight_initializer=None,
                 state_clip_min=None, state_clip_max=None, state_clip_nan=False, dtype="float32", **kwargs):
        super().__init__(hidden_size, num_layers, layout, dropout, bidirectional, input_size,
                         i2h_weight_initializer, h2h_weight_initializer, i2h_bias_initializer, h2h_bias_initializer,
                         "lstm", projection_size, h2r_weight_initializer, state_clip_min, state_clip_max,
                         state_clip_nan, dtype, **kwargs)

    def state_info(self, batch_size=0):
        rec = self._projection_size or self._hidden_size
        return [{"shape": (self._num_layers * self._dir, batch_size, rec), "__layout__": "LNC",
                 "dtype": self._dtype},
                {"shape": (self._num_layers * self._dir, batch_size, self._hidden_size), "__layout__": "LNC",
                 "dtype": self._dtype}]


class GRU(_RNNLayer):
    """Multi-layer GRU (gates r, z, n; cuDNN variant: the h2h bias of n sits inside the reset product).

    Inputs: ``data`` (T, N, C) or (N, T, C), optional ``states`` [h0] (num_layers * directions,
    N, hidden_size). Output (T, N, directions * hidden_size), plus [h_T] when states were given.

    Example::

        layer = mx.gluon.rnn.GRU(100, 3)
        layer.initialize()
        out = layer(mx.nd.random.uniform(shape=(5, 3, 10)))
    """

    def __init__(self, hidden_size, num_layers=1, layout="TNC", dropout=0, bidirectional=False, input_size=0,
                 i2h_weight_initializer=None, h2h_weight_initializer=None, i2h_bias_initializer="zeros",
                 h2h_bias_initializer="zeros", dtype="float32", **kwargs):
        super().__init__(hidden_size, num_layers, layout, dropout, bidirectional, input_size,
                         i2h_weight_initializer, h2h_weight_initializer, i2h_bias_initializer, h2h_bias_initializer,
                         "gru", None, None, None, None, False, dtype, **kwargs)

    def state_info(self, batch_size=0):
        return [{"shape": (self._num_layers * self._dir, batch_size, self._hidden_size), "__layout__": "LNC",
                 "dtype": self._dtype}]

