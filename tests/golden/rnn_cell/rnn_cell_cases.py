"""Cases shared by ``make_golden_rnn_cell.py`` (real MXNet) and ``tests/gluon/rnn/test_rnn_cell.py``.

Each case: name -> (cell expression over ``rnn``, input shape, layout, merge_outputs, valid_length or None).
"""
CASES = {
    "rnn_tanh": ("rnn.RNNCell(5)", (2, 4, 3), "NTC", True, None),
    "rnn_relu_tnc": ("rnn.RNNCell(5, activation='relu', input_size=3)", (4, 2, 3), "TNC", True, None),
    "lstm": ("rnn.LSTMCell(5)", (2, 4, 3), "NTC", True, None),
    "lstm_valid_tnc": ("rnn.LSTMCell(4)", (4, 3, 3), "TNC", True, [1, 4, 2]),
    "gru": ("rnn.GRUCell(5)", (2, 4, 3), "NTC", False, None),
    "gru_valid": ("rnn.GRUCell(4)", (3, 4, 3), "NTC", True, [2, 4, 1]),
    "bidir_valid": ("rnn.BidirectionalCell(rnn.LSTMCell(3), rnn.GRUCell(2))", (3, 4, 3), "NTC", True, [2, 4, 3]),
    "bidir_list": ("rnn.BidirectionalCell(rnn.RNNCell(3), rnn.LSTMCell(3))", (2, 3, 3), "TNC", False, None),
    "seq_residual": ("seq(rnn.SequentialRNNCell(), rnn.LSTMCell(3), rnn.ResidualCell(rnn.GRUCell(3)), "
                     "rnn.DropoutCell(0.0))", (2, 4, 3), "NTC", True, None),
    "hseq_valid": ("seq(rnn.HybridSequentialRNNCell(), rnn.GRUCell(3), rnn.ResidualCell(rnn.RNNCell(3)))",
                   (2, 4, 3), "NTC", True, [3, 1]),
    # gluon.contrib.rnn
    "conv1d_rnn": ("crnn.Conv1DRNNCell((2, 6), 3, 3, 3, i2h_pad=1)", (2, 3, 2, 6), "NTC", True, None),
    "conv2d_lstm": ("crnn.Conv2DLSTMCell((2, 5, 5), 2, (3, 3), (3, 3))", (2, 3, 2, 5, 5), "NTC", True, None),
    "conv2d_gru_dilate": ("crnn.Conv2DGRUCell((2, 6, 6), 2, (3, 3), (3, 3), i2h_dilate=(2, 2), h2h_dilate=(2, 1))",
                          (3, 2, 2, 6, 6), "TNC", False, None),
    "conv3d_gru": ("crnn.Conv3DGRUCell((1, 4, 4, 4), 2, 3, 3, i2h_pad=1)", (2, 2, 1, 4, 4, 4), "NTC", True, None),
    "conv1d_lstm_valid": ("crnn.Conv1DLSTMCell((2, 5), 2, 3, 5, i2h_pad=1)", (3, 3, 2, 5), "NTC", True, [1, 3, 2]),
    "lstmp_valid": ("crnn.LSTMPCell(5, 3)", (2, 4, 3), "NTC", True, [4, 2]),
    "vardrop_zero": ("crnn.VariationalDropoutCell(rnn.GRUCell(3))", (2, 3, 3), "NTC", False, None),
}


def seq(container, *cells):
    for c in cells:
        container.add(c)
    return container


def build(expr, rnn, crnn):
    """``rnn`` is ``gluon.rnn``, ``crnn`` is ``gluon.contrib.rnn`` (of MXNet or gluonic)."""
    return eval(expr, {"rnn": rnn, "crnn": crnn, "seq": seq})
