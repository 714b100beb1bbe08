"""Recurrent cells (MXNet 1.9 ``gluon.rnn``): one time step per call, ``unroll`` for sequences.

A cell maps ``(inputs, states) -> (output, new_states)``; ``states`` is a list of arrays
whose shapes ``state_info(batch_size)`` describes. Parameter names follow MXNet
(``lstm0_i2h_weight`` of shape (4*hidden_size, input_size), ``h2h_weight``, ``i2h_bias``,
``h2h_bias``) so ``.params`` files move between the two.
"""
from __future__ import annotations

from ... import ndarray, symbol
from ...base import GluonicValueError
from ..block import Block, HybridBlock

__all__ = ["RecurrentCell", "HybridRecurrentCell", "RNNCell", "LSTMCell", "GRUCell", "SequentialRNNCell",
           "HybridSequentialRNNCell", "DropoutCell", "ModifierCell", "ZoneoutCell", "ResidualCell",
           "BidirectionalCell"]

_tensor_types = (ndarray.NDArray, symbol.Symbol)


def _as_list(obj):
    if isinstance(obj, symbol.Symbol) and len(obj.list_outputs()) > 1:
        return list(obj)
    return list(obj) if isinstance(obj, (list, tuple)) else [obj]


def _cells_state_info(cells, batch_size):
    return sum([c.state_info(batch_size) for c in cells], [])


def _cells_begin_state(cells, **kwargs):
    return sum([c.begin_state(**kwargs) for c in cells], [])


def _zeros_like_state(F, x, shape):
    """Symbol-mode zeros of ``shape`` whose batch dimension (0 in ``shape``) is taken from ``x``."""
    col = F.slice_axis(F.reshape(x, shape=(0, -1)), axis=1, begin=0, end=1)  # (N, 1)
    col = F.reshape(F.zeros_like(col), shape=(0,) + (1,) * (len(shape) - 1))
    return F.tile(col, reps=(1,) + tuple(shape[1:]))


def _get_begin_state(cell, F, begin_state, inputs, batch_size, layout="NTC"):
    if begin_state is not None:
        return begin_state
    if F is ndarray:
        ctx = inputs.context if isinstance(inputs, ndarray.NDArray) else inputs[0].context
        return cell.begin_state(func=ndarray.zeros, batch_size=batch_size, ctx=ctx)
    # Symbols carry no batch size: build zero states from the first step's batch dimension.
    if isinstance(inputs, symbol.Symbol):  # the whole sequence: bring the batch axis first
        first = inputs if layout.find("N") == 0 else F.swapaxes(inputs, dim1=0, dim2=layout.find("N"))
    else:
        first = inputs[0]
    return [_zeros_like_state(F, first, info["shape"]) for info in cell.state_info(0)]


def _format_sequence(length, inputs, layout, merge, in_layout=None):
    """Bring ``inputs`` (a tensor or a list of per-step tensors) to a list (``merge=False``),
    a tensor in ``layout`` (``merge=True``) or leave it as it is (``merge=None``)."""
    if layout not in ("NTC", "TNC") and not ("T" in layout and "N" in layout):
        raise GluonicValueError(f"unroll: layout must contain 'T' and 'N' (e.g. 'NTC', 'TNC'). Received: {layout}")
    axis = layout.find("T")
    batch_axis = layout.find("N")
    batch_size = 0
    in_axis = in_layout.find("T") if in_layout is not None else axis
    if isinstance(inputs, symbol.Symbol):
        F = symbol
        if merge is False:
            if len(inputs.list_outputs()) != 1:
                raise GluonicValueError("unroll doesn't allow grouped symbol as input. Convert it to a list with "
                                        "list(inputs) first or let unroll split it.")
            inputs = list(symbol.split(inputs, axis=in_axis, num_outputs=length, squeeze_axis=1))
    elif isinstance(inputs, ndarray.NDArray):
        F = ndarray
        batch_size = inputs.shape[batch_axis]
        if merge is False:
            if length is not None and length != inputs.shape[in_axis]:
                raise GluonicValueError(f"unroll: length={length} differs from the input's time dimension. "
                                        f"Received: inputs of shape {inputs.shape} with layout {layout}")
            inputs = _as_list(ndarray.split(inputs, axis=in_axis, num_outputs=inputs.shape[in_axis],
                                            squeeze_axis=1))
    else:
        if length is not None and len(inputs) != length:
            raise GluonicValueError(f"unroll: length={length} differs from the number of inputs. "
                                    f"Received: {len(inputs)} inputs")
        if isinstance(inputs[0], symbol.Symbol):
            F = symbol
        else:
            F = ndarray
            batch_size = inputs[0].shape[0]
        if merge is True:
            inputs = F.stack(*inputs, axis=axis)
            in_axis = axis
    if isinstance(inputs, _tensor_types) and axis != in_axis:
        inputs = F.swapaxes(inputs, dim1=axis, dim2=in_axis)
    return inputs, axis, F, batch_size


def _mask_sequence_variable_length(F, data, length, valid_length, time_axis, merge):
    """Zero the steps at and beyond each sequence's ``valid_length``."""
    if not isinstance(data, _tensor_types):
        data = F.stack(*data, axis=time_axis)
    out = F.SequenceMask(data, sequence_length=valid_length, use_sequence_length=True, axis=time_axis)
    if not merge:
        out = _as_list(F.split(out, num_outputs=length, axis=time_axis, squeeze_axis=True))
    return out


def _reverse_sequences(sequences, unroll_step, valid_length=None):
    """Reverse a list of steps; with ``valid_length`` only each sequence's valid prefix is reversed."""
    if valid_length is None:
        return list(reversed(sequences))
    F = symbol if isinstance(sequences[0], symbol.Symbol) else ndarray
    rev = F.SequenceReverse(F.stack(*sequences, axis=0), sequence_length=valid_length, use_sequence_length=True)
    if unroll_step > 1 or F is symbol:
        return _as_list(F.split(rev, axis=0, num_outputs=unroll_step, squeeze_axis=True))
    return [rev[0]]


def _get_activation(F, inputs, activation, **kwargs):
    if isinstance(activation, str):
        if activation in ("tanh", "sigmoid", "relu", "softsign"):
            return getattr(F, activation)(inputs, **kwargs)
        return F.Activation(inputs, act_type=activation, **kwargs)
    if isinstance(activation, Block):
        return activation(inputs)
    return activation(inputs, **kwargs)


class RecurrentCell(Block):
    """Abstract base of recurrent cells: ``cell(inputs, states) -> (output, new_states)``."""

    def __init__(self, prefix=None, params=None):
        super().__init__(prefix=prefix, params=params)
        self._modified = False
        self.reset()

    def reset(self):
        """Reset the step counters before a new unroll (also of the child cells)."""
        self._init_counter = -1
        self._counter = -1
        for cell in self._children.values():
            cell.reset()

    def state_info(self, batch_size=0):
        """Shape and layout of each state: a list of dicts ``{'shape': ..., '__layout__': ...}``."""
        raise NotImplementedError()

    def begin_state(self, batch_size=0, func=ndarray.zeros, **kwargs):
        """Initial states: ``func(name=..., shape=..., **kwargs)`` for each entry of ``state_info``.

        >>> cell = mx.gluon.rnn.LSTMCell(4)
        >>> [s.shape for s in cell.begin_state(batch_size=2)]
        [(2, 4), (2, 4)]
        """
        if self._modified:
            raise GluonicValueError("After applying modifier cells (e.g. ZoneoutCell) the base cell cannot be "
                                    "called directly. Call the modifier cell instead.")
        states = []
        for info in self.state_info(batch_size):
            self._init_counter += 1
            info = dict(info) if info is not None else {}
            info.update(kwargs)
            if func is not symbol.var and func is not getattr(symbol, "Variable", None):
                info.pop("__layout__", None)  # only variables keep the layout attribute
            states.append(_in_mode(func(name=f"{self._prefix}begin_state_{self._init_counter}", **info)))
        return states

    def unroll(self, length, inputs, begin_state=None, layout="NTC", merge_outputs=None, valid_length=None):
        """Run the cell over ``length`` steps.

        Parameters
        ----------
        length : int
        inputs : NDArray/Symbol of layout ``layout`` (e.g. (N, T, C)), or a list of ``length`` (N, C) steps
        begin_state : list, optional (zeros by default)
        layout : 'NTC' or 'TNC'
        merge_outputs : bool, optional
            True: outputs as one tensor in ``layout``; False: a list of steps; None: like ``inputs``.
        valid_length : NDArray/Symbol of shape (N,), optional
            Steps at or after each sequence's length give zero outputs; the returned states are
            those at each sequence's last valid step.

        Returns ``(outputs, states)``.
        """
        self.reset()
        inputs, axis, F, batch_size = _format_sequence(length, inputs, layout, False)
        states = _get_begin_state(self, F, begin_state, inputs, batch_size, layout)
        outputs, all_states = [], []
        for i in range(length):
            output, states = self(inputs[i], states)
            outputs.append(output)
            if valid_length is not None:
                all_states.append(states)
        if valid_length is not None:
            states = [F.SequenceLast(F.stack(*steps, axis=0), sequence_length=valid_length,
                                     use_sequence_length=True, axis=0) for steps in zip(*all_states)]
            outputs = _mask_sequence_variable_length(F, outputs, length, valid_length, axis, True)
        outputs, _, _, _ = _format_sequence(length, outputs, layout, merge_outputs)
        return outputs, states

    def _get_activation(self, F, inputs, activation, **kwargs):
        return _get_activation(F, inputs, activation, **kwargs)

    def forward(self, inputs, states):
        """One step: ``(output, new_states)``."""
        self._counter += 1
        return super().forward(inputs, states)


class HybridRecurrentCell(RecurrentCell, HybridBlock):
    """Base of cells whose step is a ``hybrid_forward(F, inputs, states, **params)``."""

    def __init__(self, prefix=None, params=None):
        super().__init__(prefix=prefix, params=params)

    def hybrid_forward(self, F, x, *args, **kwargs):
        raise NotImplementedError


def _gate_params(cell, gates, hidden_size, input_size, i2h_weight_initializer, h2h_weight_initializer,
                 i2h_bias_initializer, h2h_bias_initializer):
    n = gates * hidden_size
    cell.i2h_weight = cell.params.get("i2h_weight", shape=(n, input_size), init=i2h_weight_initializer,
                                      allow_deferred_init=True)
    cell.h2h_weight = cell.params.get("h2h_weight", shape=(n, hidden_size), init=h2h_weight_initializer,
                                      allow_deferred_init=True)
    cell.i2h_bias = cell.params.get("i2h_bias", shape=(n,), init=i2h_bias_initializer, allow_deferred_init=True)
    cell.h2h_bias = cell.params.get("h2h_bias", shape=(n,), init=h2h_bias_initializer, allow_deferred_init=True)


def _mapping(cell):
    shape = cell.i2h_weight.shape
    return f"{shape[1] if shape[1] else None} -> {shape[0]}"


class RNNCell(HybridRecurrentCell):
    """Elman cell: ``h' = activation(W_ih x + b_ih + W_hh h + b_hh)``.

    Shapes: inputs (N, input_size), states [(N, hidden_size)] → output (N, hidden_size).
    Parameters: ``i2h_weight`` (hidden_size, input_size), ``h2h_weight`` (hidden_size, hidden_size),
    ``i2h_bias``, ``h2h_bias`` (hidden_size,).

    >>> cell = mx.gluon.rnn.RNNCell(8); cell.initialize()
    >>> out, states = cell(mx.nd.ones((2, 3)), cell.begin_state(2))
    """

    def __init__(self, hidden_size, activation="tanh", i2h_weight_initializer=None, h2h_weight_initializer=None,
                 i2h_bias_initializer="zeros", h2h_bias_initializer="zeros", input_size=0, prefix=None, params=None):
        super().__init__(prefix=prefix, params=params)
        self._hidden_size = hidden_size
        self._activation = activation
        self._input_size = input_size
        _gate_params(self, 1, hidden_size, input_size, i2h_weight_initializer, h2h_weight_initializer,
                     i2h_bias_initializer, h2h_bias_initializer)

    def state_info(self, batch_size=0):
        return [{"shape": (batch_size, self._hidden_size), "__layout__": "NC"}]

    def _alias(self):
        return "rnn"

    def __repr__(self):
        return f"{self.__class__.__name__}({_mapping(self)}, {self._activation})"

    def hybrid_forward(self, F, inputs, states, i2h_weight, h2h_weight, i2h_bias, h2h_bias):
        prefix = f"t{self._counter}_"
        i2h = F.FullyConnected(data=inputs, weight=i2h_weight, bias=i2h_bias, num_hidden=self._hidden_size,
                               name=prefix + "i2h")
        h2h = F.FullyConnected(data=states[0], weight=h2h_weight, bias=h2h_bias, num_hidden=self._hidden_size,
                               name=prefix + "h2h")
        output = self._get_activation(F, i2h + h2h, self._activation, name=prefix + "out")
        return output, [output]


class LSTMCell(HybridRecurrentCell):
    """Long short-term memory cell; gates in MXNet's order (input, forget, cell candidate, output).

    Shapes: inputs (N, input_size), states [h (N, hidden_size), c (N, hidden_size)] → output h'.
    Parameters: ``i2h_weight`` (4*hidden_size, input_size), ``h2h_weight`` (4*hidden_size, hidden_size),
    ``i2h_bias``, ``h2h_bias`` (4*hidden_size,).
    """

    def __init__(self, hidden_size, i2h_weight_initializer=None, h2h_weight_initializer=None,
                 i2h_bias_initializer="zeros", h2h_bias_initializer="zeros", input_size=0, prefix=None, params=None,
                 activation="tanh", recurrent_activation="sigmoid"):
        super().__init__(prefix=prefix, params=params)
        self._hidden_size = hidden_size
        self._input_size = input_size
        self._activation = activation
        self._recurrent_activation = recurrent_activation
        _gate_params(self, 4, hidden_size, input_size, i2h_weight_initializer, h2h_weight_initializer,
                     i2h_bias_initializer, h2h_bias_initializer)

    def state_info(self, batch_size=0):
        return [{"shape": (batch_size, self._hidden_size), "__layout__": "NC"},
                {"shape": (batch_size, self._hidden_size), "__layout__": "NC"}]

    def _alias(self):
        return "lstm"

    def __repr__(self):
        return f"{self.__class__.__name__}({_mapping(self)})"

    def hybrid_forward(self, F, inputs, states, i2h_weight, h2h_weight, i2h_bias, h2h_bias):
        prefix = f"t{self._counter}_"
        n = 4 * self._hidden_size
        i2h = F.FullyConnected(data=inputs, weight=i2h_weight, bias=i2h_bias, num_hidden=n, name=prefix + "i2h")
        h2h = F.FullyConnected(data=states[0], weight=h2h_weight, bias=h2h_bias, num_hidden=n, name=prefix + "h2h")
        gates = F.SliceChannel(i2h + h2h, num_outputs=4, name=prefix + "slice")
        act, ract = self._activation, self._recurrent_activation
        in_gate = self._get_activation(F, gates[0], ract, name=prefix + "i")
        forget_gate = self._get_activation(F, gates[1], ract, name=prefix + "f")
        in_transform = self._get_activation(F, gates[2], act, name=prefix + "c")
        out_gate = self._get_activation(F, gates[3], ract, name=prefix + "o")
        next_c = F.elemwise_add(F.elemwise_mul(forget_gate, states[1]), F.elemwise_mul(in_gate, in_transform),
                                name=prefix + "state")
        next_h = F.elemwise_mul(out_gate, self._get_activation(F, next_c, act), name=prefix + "out")
        return next_h, [next_h, next_c]


class GRUCell(HybridRecurrentCell):
    """Gated recurrent unit (Cho et al. 2014); gates in MXNet's order (reset, update, candidate).

    ``h' = (1 - z) * tanh(W_in x + b_in + r * (W_hn h + b_hn)) + z * h``.
    Parameters: ``i2h_weight`` (3*hidden_size, input_size), ``h2h_weight`` (3*hidden_size, hidden_size),
    ``i2h_bias``, ``h2h_bias`` (3*hidden_size,).
    """

    def __init__(self, hidden_size, i2h_weight_initializer=None, h2h_weight_initializer=None,
                 i2h_bias_initializer="zeros", h2h_bias_initializer="zeros", input_size=0, prefix=None, params=None):
        super().__init__(prefix=prefix, params=params)
        self._hidden_size = hidden_size
        self._input_size = input_size
        _gate_params(self, 3, hidden_size, input_size, i2h_weight_initializer, h2h_weight_initializer,
                     i2h_bias_initializer, h2h_bias_initializer)

    def state_info(self, batch_size=0):
        return [{"shape": (batch_size, self._hidden_size), "__layout__": "NC"}]

    def _alias(self):
        return "gru"

    def __repr__(self):
        return f"{self.__class__.__name__}({_mapping(self)})"

    def hybrid_forward(self, F, inputs, states, i2h_weight, h2h_weight, i2h_bias, h2h_bias):
        prefix = f"t{self._counter}_"
        prev_h = states[0]
        n = 3 * self._hidden_size
        i2h = F.FullyConnected(data=inputs, weight=i2h_weight, bias=i2h_bias, num_hidden=n, name=prefix + "i2h")
        h2h = F.FullyConnected(data=prev_h, weight=h2h_weight, bias=h2h_bias, num_hidden=n, name=prefix + "h2h")
        i2h_r, i2h_z, i2h = F.SliceChannel(i2h, num_outputs=3, name=prefix + "i2h_slice")
        h2h_r, h2h_z, h2h = F.SliceChannel(h2h, num_outputs=3, name=prefix + "h2h_slice")
        reset_gate = F.sigmoid(i2h_r + h2h_r, name=prefix + "r_act")
        update_gate = F.sigmoid(i2h_z + h2h_z, name=prefix + "z_act")
        candidate = F.tanh(i2h + reset_gate * h2h, name=prefix + "h_act")
        ones = F.ones_like(update_gate, name=prefix + "ones_like")
        next_h = F.elemwise_add(F.elemwise_mul(ones - update_gate, candidate), F.elemwise_mul(update_gate, prev_h),
                                name=prefix + "out")
        return next_h, [next_h]


from ._wrapper_cells import (  # noqa: E402
    BidirectionalCell,
    DropoutCell,
    HybridSequentialRNNCell,
    ModifierCell,
    ResidualCell,
    SequentialRNNCell,
    ZoneoutCell,
)


def _in_mode(x):
    """Begin states as ``mx.np.ndarray`` in NumPy mode (symbols and other values unchanged)."""
    from ...ndarray.ndarray import NDArray, in_mode

    return in_mode(x) if isinstance(x, NDArray) else x
