"""``gluon.rnn``: recurrent cells (the fused RNN/LSTM/GRU layers come separately)."""
from . import rnn_cell
from .rnn_cell import (
                       BidirectionalCell,
                       DropoutCell,
                       GRUCell,
                       HybridRecurrentCell,
                       HybridSequentialRNNCell,
                       LSTMCell,
                       ModifierCell,
                       RecurrentCell,
                       ResidualCell,
                       RNNCell,
                       SequentialRNNCell,
                       ZoneoutCell,
)

__all__ = ["rnn_cell", "RecurrentCell", "HybridRecurrentCell", "RNNCell", "LSTMCell", "GRUCell", "SequentialRNNCell",
           "HybridSequentialRNNCell", "DropoutCell", "ModifierCell", "ZoneoutCell", "ResidualCell", "BidirectionalCell",
           "RNN", "LSTM", "GRU"]
from .rnn_layer import GRU, LSTM, RNN
