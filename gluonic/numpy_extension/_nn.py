"""``npx`` neural-network operators: activations, softmax, dense/conv/pool layers, normalization, RNN.

Each function runs the legacy operator of the same meaning (``npx.fully_connected`` is
``FullyConnected``) on ``mx.np`` arrays, or records it when given np symbols (inside a
hybridized block). Signatures follow MXNet 1.9's ``mx.npx``; attributes left at None
take the operator's default. ``out=`` receives the result; ``name`` is accepted for
MXNet compatibility and ignored.
"""
from __future__ import annotations

from ..ndarray.ndarray import NDArray
from ._call import run

__all__ = ["relu", "sigmoid", "softmax", "log_softmax", "activation", "leaky_relu", "fully_connected",
           "convolution", "deconvolution", "pooling", "batch_norm", "layer_norm", "dropout", "embedding",
           "sequence_mask", "rnn"]


def relu(data, out=None, name=None):
    """``max(data, 0)`` elementwise (any shape, dtype kept).

    >>> from gluonic import np, npx
    >>> npx.relu(np.array([-1.0, 2.0]))
    array([0., 2.])
    """
    return run("relu", [data], out)


def sigmoid(data, out=None, name=None):
    """``1 / (1 + exp(-data))`` elementwise (any shape).

    >>> from gluonic import np, npx
    >>> npx.sigmoid(np.array([0.0]))
    array([0.5])
    """
    return run("sigmoid", [data], out)


def softmax(data, length=None, axis=-1, temperature=None, dtype=None, use_length=False, out=None, name=None):
    """Softmax along ``axis``: ``exp(x / T) / sum(exp(x / T))``.

    With ``use_length=True``, ``length`` (the shape of ``data`` without ``axis``, integers)
    gives how many leading entries along ``axis`` take part; the rest get 0.
    ``dtype`` sets the output dtype (default: the input's).

    Shapes: ``data`` (…) → same shape (a 0-d ``data`` gives 1.0, as in MXNet).

    >>> from gluonic import np, npx
    >>> npx.softmax(np.array([0.0, 0.0]))
    array([0.5, 0.5])
    """
    return _softmax("softmax", data, length, out, axis=axis, temperature=temperature, dtype=dtype,
                    use_length=use_length)


def _softmax(op: str, data, length, out, **attrs):
    if isinstance(data, NDArray) and data.ndim == 0 and length is None:  # 0-d: as MXNet, over the one element
        flat = run(op, [run("_npx_reshape", [data], newshape=(1,))], None, **{**attrs, "axis": -1})
        return run("_npx_reshape", [flat], out, newshape=())
    return run(op, [data, length] if op == "softmax" else [data], out, **attrs)


def log_softmax(data, axis=-1, temperature=None, dtype=None, use_length=False, out=None, name=None):
    """``log(softmax(data, axis))`` computed stably. Shapes: same as ``data``.

    >>> from gluonic import np, npx
    >>> npx.log_softmax(np.array([0.0, 0.0])).round(4)
    array([-0.6931, -0.6931])
    """
    return _softmax("log_softmax", data, None, out, axis=axis, temperature=temperature, dtype=dtype,
                    use_length=use_length)


def activation(data, act_type=None, out=None, name=None):
    """Elementwise activation ``act_type`` (required): 'relu', 'sigmoid', 'tanh', 'softrelu' or 'softsign'.

    Shapes: same as ``data``.

    >>> from gluonic import np, npx
    >>> npx.activation(np.array([-1.0, 1.0]), act_type="relu")
    array([0., 1.])
    """
    return run("Activation", [data], out, act_type=act_type)


def leaky_relu(data, gamma=None, act_type="leaky", slope=0.25, lower_bound=0.125, upper_bound=0.334, out=None,
               name=None):
    """Leaky ReLU family ``act_type``: 'leaky' (``x if x > 0 else slope * x``), 'prelu' (slope ``gamma``,
    one per channel), 'elu', 'selu', 'gelu', 'rrelu'. Shapes: same as ``data``.

    >>> from gluonic import np, npx
    >>> npx.leaky_relu(np.array([-1.0, 2.0]), slope=0.1)
    array([-0.1,  2. ])
    """
    return run("LeakyReLU", [data, gamma], out, act_type=act_type, slope=slope, lower_bound=lower_bound,
               upper_bound=upper_bound)


def fully_connected(data, weight, bias=None, num_hidden=None, no_bias=False, flatten=True, out=None, name=None):
    """``data @ weight.T + bias``.

    Shapes: ``data`` (N, …) flattened to (N, K) when ``flatten`` (else the last axis is K);
    ``weight`` (num_hidden, K); ``bias`` (num_hidden,) → (N, num_hidden) (or (…, num_hidden)).
    ``num_hidden`` defaults to ``weight.shape[0]`` for arrays (MXNet requires it; symbols too).

    >>> from gluonic import np, npx
    >>> npx.fully_connected(np.ones((2, 3)), np.ones((4, 3)), np.zeros(4), num_hidden=4).shape
    (2, 4)
    """
    if num_hidden is None and isinstance(weight, NDArray):
        num_hidden = weight.shape[0]
    no_bias = no_bias or bias is None
    return run("FullyConnected", [data, weight, None if no_bias else bias], out, num_hidden=num_hidden,
               no_bias=no_bias, flatten=flatten)


def convolution(data, weight, bias=None, kernel=None, stride=None, dilate=None, pad=None, num_filter=None,
                num_group=1, workspace=1024, no_bias=False, cudnn_tune=None, cudnn_off=False, layout=None, out=None,
                name=None):
    """1-, 2- or 3-d convolution (cross-correlation) with ``num_filter`` filters of size ``kernel``.

    Shapes (NCHW): ``data`` (N, C, H, W); ``weight`` (num_filter, C // num_group, *kernel);
    ``bias`` (num_filter,) → (N, num_filter, H', W') with
    ``H' = (H + 2 * pad - dilate * (kernel - 1) - 1) // stride + 1``.

    >>> from gluonic import np, npx
    >>> x, w = np.ones((1, 1, 4, 4)), np.ones((2, 1, 3, 3))
    >>> npx.convolution(x, w, kernel=(3, 3), num_filter=2, no_bias=True).shape
    (1, 2, 2, 2)
    """
    no_bias = no_bias or bias is None
    return run("Convolution", [data, weight, None if no_bias else bias], out, kernel=kernel, stride=stride,
               dilate=dilate, pad=pad, num_filter=num_filter, num_group=num_group, workspace=workspace,
               no_bias=no_bias, cudnn_tune=cudnn_tune, cudnn_off=cudnn_off, layout=layout)


def deconvolution(data, weight, bias=None, kernel=None, stride=None, dilate=None, pad=None, adj=None,
                  target_shape=None, num_filter=None, num_group=1, workspace=512, no_bias=True, cudnn_tune=None,
                  cudnn_off=False, layout=None, out=None, name=None):
    """Transposed convolution (the gradient of :func:`convolution`), ``num_filter`` output channels.

    Shapes (NCHW): ``data`` (N, C, H, W); ``weight`` (C, num_filter // num_group, *kernel) →
    (N, num_filter, H', W') with ``H' = (H - 1) * stride - 2 * pad + dilate * (kernel - 1) + adj + 1``.
    As in MXNet, ``no_bias`` defaults to True (a given ``bias`` is then ignored).

    >>> from gluonic import np, npx
    >>> npx.deconvolution(np.ones((1, 1, 4, 4)), np.ones((1, 2, 3, 3)), kernel=(3, 3), num_filter=2).shape
    (1, 2, 6, 6)
    """
    return run("Deconvolution", [data, weight, None if no_bias else bias], out, kernel=kernel, stride=stride,
               dilate=dilate, pad=pad, adj=adj, target_shape=target_shape, num_filter=num_filter,
               num_group=num_group, workspace=workspace, no_bias=no_bias, cudnn_tune=cudnn_tune,
               cudnn_off=cudnn_off, layout=layout)


def pooling(data, kernel=None, pool_type="max", global_pool=False, cudnn_off=False, pooling_convention="valid",
            stride=None, pad=None, p_value=None, count_include_pad=None, layout=None, out=None, name=None):
    """Max/avg/sum/lp pooling over windows of size ``kernel`` (stride 1 by default, as in MXNet).

    Shapes (NCHW): (N, C, H, W) → (N, C, H', W'), ``H' = (H + 2 * pad - kernel) // stride + 1``
    ('valid'; 'full' rounds up); ``global_pool`` → (N, C, 1, 1).

    >>> from gluonic import np, npx
    >>> npx.pooling(np.ones((1, 1, 4, 4)), kernel=(2, 2), stride=(2, 2)).shape
    (1, 1, 2, 2)
    """
    return run("Pooling", [data], out, kernel=kernel, pool_type=pool_type, global_pool=global_pool,
               cudnn_off=cudnn_off, pooling_convention=pooling_convention, stride=stride, pad=pad, p_value=p_value,
               count_include_pad=count_include_pad, layout=layout)


def batch_norm(data, gamma, beta, moving_mean, moving_var, eps=1e-3, momentum=0.9, fix_gamma=True,
               use_global_stats=False, output_mean_var=False, axis=1, cudnn_off=False, min_calib_range=None,
               max_calib_range=None, out=None, name=None):
    """Batch normalization over every axis but ``axis`` (the channels).

    In training mode (``autograd.record()``) the batch statistics are used and
    ``moving_mean``/``moving_var`` are updated in place (``momentum``); otherwise the
    moving statistics are used. ``fix_gamma=True`` (MXNet's default) uses gamma = 1.

    Shapes: ``data`` (N, C, …); ``gamma``, ``beta``, ``moving_mean``, ``moving_var`` (C,) → like ``data``
    (with ``output_mean_var``, also the batch mean and inverse std, (C,)).

    >>> from gluonic import np, npx
    >>> c = np.ones(3)
    >>> npx.batch_norm(np.ones((2, 3)), c, c * 0, c * 0, c).shape
    (2, 3)
    """
    return run("BatchNorm", [data, gamma, beta, moving_mean, moving_var], out, eps=eps, momentum=momentum,
               fix_gamma=fix_gamma, use_global_stats=use_global_stats, output_mean_var=output_mean_var, axis=axis,
               cudnn_off=cudnn_off, min_calib_range=min_calib_range, max_calib_range=max_calib_range)


def layer_norm(data, gamma, beta, axis=-1, eps=1e-5, output_mean_var=False, out=None, name=None):
    """``(x - mean) / sqrt(var + eps) * gamma + beta`` with statistics along ``axis``.

    Shapes: ``data`` (…, C at ``axis``, …); ``gamma``, ``beta`` (C,) → like ``data``.

    >>> from gluonic import np, npx
    >>> npx.layer_norm(np.array([[1.0, 3.0]]), np.ones(2), np.zeros(2)).round(3)
    array([[-1.,  1.]])
    """
    return run("LayerNorm", [data, gamma, beta], out, axis=axis, eps=eps, output_mean_var=output_mean_var)


def dropout(data, p=0.5, mode="training", axes=None, cudnn_off=False, out=None, name=None):
    """Zero elements with probability ``p`` and scale the rest by ``1 / (1 - p)``.

    Active in training mode (``autograd.record()``) or always with ``mode='always'``;
    otherwise the identity. ``axes`` share one mask along those axes. Shapes: same as ``data``.

    >>> from gluonic import np, npx
    >>> npx.dropout(np.ones(3))  # not training: unchanged
    array([1., 1., 1.])
    """
    return run("Dropout", [data], out, p=p, mode=mode, axes=axes, cudnn_off=cudnn_off)


def embedding(data, weight, input_dim=None, output_dim=None, dtype="float32", sparse_grad=False, out=None,
              name=None):
    """Rows of ``weight`` picked by the integer (or integral float) indices in ``data``.

    Shapes: ``data`` (…); ``weight`` (input_dim, output_dim) → (…, output_dim).
    ``input_dim``/``output_dim`` default to ``weight``'s shape for arrays (MXNet requires them; symbols too).

    >>> from gluonic import np, npx
    >>> npx.embedding(np.array([0, 2]), np.eye(3), input_dim=3, output_dim=3)
    array([[1., 0., 0.],
           [0., 0., 1.]])
    """
    if (input_dim is None or output_dim is None) and isinstance(weight, NDArray):
        input_dim = weight.shape[0] if input_dim is None else input_dim
        output_dim = weight.shape[1] if output_dim is None else output_dim
    return run("Embedding", [data, weight], out, input_dim=input_dim, output_dim=output_dim, dtype=dtype,
               sparse_grad=sparse_grad)


def sequence_mask(data, sequence_length=None, use_sequence_length=False, value=0.0, axis=0, out=None, name=None):
    """Set the steps of each sequence beyond its length to ``value``.

    Shapes: ``data`` (T, N, …) with time on ``axis`` (0 or 1) and batch on the other;
    ``sequence_length`` (N,) → like ``data``. Without ``use_sequence_length``, ``data`` unchanged.

    >>> from gluonic import np, npx
    >>> npx.sequence_mask(np.ones((3, 1)), np.array([2]), use_sequence_length=True).ravel()
    array([1., 1., 0.])
    """
    return run("SequenceMask", [data, sequence_length], out, use_sequence_length=use_sequence_length, value=value,
               axis=axis)


def rnn(data, parameters, state, state_cell=None, sequence_length=None, state_size=None, num_layers=None,
        bidirectional=False, mode=None, p=0.0, state_outputs=False, projection_size=None, lstm_state_clip_min=None,
        lstm_state_clip_max=None, lstm_state_clip_nan=False, use_sequence_length=False, out=None, name=None):
    """The fused multi-layer RNN (``mode``: 'rnn_relu', 'rnn_tanh', 'lstm', 'gru') with MXNet's packed parameters.

    Shapes: ``data`` (T, N, I); ``parameters`` 1-d (all weights, then all biases);
    ``state`` (and ``state_cell`` for LSTM) (L * D, N, state_size) → output (T, N, D * state_size),
    plus the final states when ``state_outputs`` (a list).

    >>> from gluonic import np, npx
    >>> # a 1-layer tanh RNN, input size 2, hidden 3: 3*2 + 3*3 weights + 2*3 biases
    >>> npx.rnn(np.ones((4, 1, 2)), np.zeros(21), np.zeros((1, 1, 3)), state_size=3, num_layers=1,
    ...         mode="rnn_tanh").shape
    (4, 1, 3)
    """
    return run("RNN", [data, parameters, state, state_cell, sequence_length], out, state_size=state_size,
               num_layers=num_layers, bidirectional=bidirectional, mode=mode, p=p, state_outputs=state_outputs,
               projection_size=projection_size, lstm_state_clip_min=lstm_state_clip_min,
               lstm_state_clip_max=lstm_state_clip_max, lstm_state_clip_nan=lstm_state_clip_nan,
               use_sequence_length=use_sequence_length)
