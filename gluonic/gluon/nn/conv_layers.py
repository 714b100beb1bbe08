"""Convolution and pooling layers (1-D, 2-D and 3-D; channels-first or channels-last).

Every layer is a thin HybridBlock over one registry op: ``Convolution`` for ``ConvND``,
``Deconvolution`` for ``ConvNDTranspose`` and ``Pooling`` for the pooling layers.
Parameter names, shapes and layouts are MXNet 1.9's, so ``.params`` files load both ways:

- ``ConvND`` weight ``(channels, in_channels/groups, *kernel_size)``, or
  ``(channels, *kernel_size, in_channels/groups)`` with a channels-last layout;
- ``ConvNDTranspose`` weight ``(in_channels, channels/groups, *kernel_size)``, or
  ``(in_channels, *kernel_size, channels/groups)`` channels-last;
- ``bias`` ``(channels,)``. With ``in_channels=0`` the input-channel dimension is 0
  until the first forward pass infers it (deferred initialization).

Layouts: ``NCW``/``NWC``, ``NCHW``/``NHWC``, ``NCDHW``/``NDHWC`` (MXNet accepts only
``NCW`` for the 1-D convolutions; gluonic accepts ``NWC`` there too).
"""
from __future__ import annotations

from numbers import Integral

from ...base import GluonicValueError
from ..block import HybridBlock
from .activations import Activation

__all__ = ["Conv1D", "Conv2D", "Conv3D", "Conv1DTranspose", "Conv2DTranspose", "Conv3DTranspose",
           "MaxPool1D", "MaxPool2D", "MaxPool3D", "AvgPool1D", "AvgPool2D", "AvgPool3D",
           "GlobalMaxPool1D", "GlobalMaxPool2D", "GlobalMaxPool3D",
           "GlobalAvgPool1D", "GlobalAvgPool2D", "GlobalAvgPool3D"]

_LAYOUTS = {1: ("NCW", "NWC"), 2: ("NCHW", "NHWC"), 3: ("NCDHW", "NDHWC")}


def _tuple(layer: str, name: str, value, n: int) -> tuple[int, ...]:
    """``value`` as a tuple of ``n`` ints (an int is repeated ``n`` times)."""
    if isinstance(value, Integral):
        return (int(value),) * n
    try:
        out = tuple(int(v) for v in value)
    except TypeError:
        out = None
    if out is None or len(out) != n:
        raise GluonicValueError(f"{layer}: {name} must be an int or a tuple/list of {n} ints. Received: {name}={value!r}")
    return out


def _check_layout(layer: str, layout: str, nsp: int) -> None:
    if layout not in _LAYOUTS[nsp]:
        raise GluonicValueError(
            f"{layer}: layout must be {' or '.join(repr(v) for v in _LAYOUTS[nsp])}. Received: layout={layout!r}")


# --------------------------------------------------------------------------- convolution

class _Conv(HybridBlock):
    """N-D (transposed) convolution: ``activation(conv(x, weight) + bias)``.

    The base of ``Conv1D``...``Conv3DTranspose``; ``op_name`` is ``'Convolution'`` or
    ``'Deconvolution'`` and ``adj`` the output padding of the latter. ``self._kwargs`` holds
    the op attributes, as in MXNet.
    """

    def __init__(self, channels, kernel_size, strides, padding, dilation, groups, layout, in_channels=0,
                 activation=None, use_bias=True, weight_initializer=None, bias_initializer="zeros",
                 op_name="Convolution", adj=None, prefix=None, params=None):
        super().__init__(prefix=prefix, params=params)
        cls = self.__class__.__name__
        nsp = len(kernel_size)
        if channels <= 0 or groups <= 0 or channels % groups:
            raise GluonicValueError(f"{cls}: channels must be a positive multiple of groups >= 1. "
                                    f"Received: channels={channels}, groups={groups}")
        if in_channels < 0 or in_channels % groups:
            raise GluonicValueError(f"{cls}: in_channels must be 0 (inferred) or a multiple of groups. "
                                    f"Received: in_channels={in_channels}, groups={groups}")
        with self.name_scope():
            self._channels = channels
            self._in_channels = in_channels
            self._op_name = op_name
            self._kwargs = {
                "kernel": tuple(kernel_size), "stride": _tuple(cls, "strides", strides, nsp),
                "dilate": _tuple(cls, "dilation", dilation, nsp), "pad": _tuple(cls, "padding", padding, nsp),
                "num_filter": channels, "num_group": groups, "no_bias": not use_bias, "layout": layout}
            if adj is not None:
                self._kwargs["adj"] = adj
            self.weight = self.params.get("weight", shape=self._weight_shape(), init=weight_initializer,
                                          allow_deferred_init=True)
            if use_bias:
                self.bias = self.params.get("bias", shape=(channels,), init=bias_initializer,
                                            allow_deferred_init=True)
            else:
                self.bias = None
            self.act = Activation(activation, prefix=activation + "_") if activation is not None else None

    def _weight_shape(self) -> tuple[int, ...]:
        k, g, channels, in_channels = self._kwargs["kernel"], self._kwargs["num_group"], self._channels, self._in_channels
        if self._op_name == "Convolution":
            out_axis, in_axis = channels, in_channels // g
        else:
            out_axis, in_axis = in_channels, channels // g
        if self._kwargs["layout"].endswith("C"):
            return (out_axis, *k, in_axis)
        return (out_axis, in_axis, *k)

    def _alias(self) -> str:
        return "conv"

    def hybrid_forward(self, F, x, weight, bias=None):
        op = getattr(F, self._op_name)
        if bias is None:
            out = op(x, weight, name="fwd", **self._kwargs)
        else:
            out = op(x, weight, bias, name="fwd", **self._kwargs)
        if self.act is not None:
            out = self.act(out)
        return out

    def _in_repr(self):
        """The input side of the repr: MXNet's ``weight.shape[1]`` for channels-first
        convolutions (input channels per group), the true count elsewhere (MXNet prints
        a kernel size for channels-last layouts and swaps the sides of transposed ones)."""
        shape = self.weight.shape
        if self._op_name == "Convolution":
            n = shape[-1] if self._kwargs["layout"].endswith("C") else shape[1]
        else:
            n = shape[0]
        return n if n and n > 0 else None

    def __repr__(self) -> str:
        kw = self._kwargs
        n = len(kw["kernel"])
        s = f"{self.__class__.__name__}({self._in_repr()} -> {self._channels}, kernel_size={kw['kernel']}, " \
            f"stride={kw['stride']}"
        if kw["pad"] != (0,) * n:
            s += f", padding={kw['pad']}"
        if kw["dilate"] != (1,) * n:
            s += f", dilation={kw['dilate']}"
        if kw.get("adj", (0,) * n) != (0,) * n:
            s += f", output_padding={kw['adj']}"
        if kw["num_group"] != 1:
            s += f", groups={kw['num_group']}"
        if self.bias is None:
            s += ", bias=False"
        if self.act is not None:
            s += f", {self.act}"
        return s + ")"


def _conv_init(self, nsp: int, transposed: bool, channels, kernel_size, strides, padding, dilation, groups, layout,
               activation, use_bias, weight_initializer, bias_initializer, in_channels, kwargs,
               output_padding=None) -> None:
    cls = self.__class__.__name__
    _check_layout(cls, layout, nsp)
    kernel = _tuple(cls, "kernel_size", kernel_size, nsp)
    adj = None
    if transposed:
        adj = _tuple(cls, "output_padding", output_padding, nsp)
        self.outpad = adj
    op_name = kwargs.pop("op_name", "Deconvolution" if transposed else "Convolution")
    _Conv.__init__(self, channels, kernel, strides, padding, dilation, groups, layout, in_channels, activation,
                   use_bias, weight_initializer, bias_initializer, op_name=op_name, adj=adj, **kwargs)


class Conv1D(_Conv):
    """1-D convolution over the ``W`` axis (temporal convolution).

    Parameters
    ----------
    channels : int
        Output channels (filters).
    kernel_size, strides, padding, dilation : int or tuple of 1 int
        Window size, step, zero padding on both sides and dilation rate.
    groups : int
        Split input and output channels into ``groups`` independent convolutions.
    layout : {'NCW', 'NWC'}
    activation : str, optional
        Applied to the output (see ``Activation``).
    use_bias : bool
    weight_initializer, bias_initializer : Initializer or str
    in_channels : int
        Input channels; 0 infers them at the first forward pass.

    Shapes: input (N, in_channels, W) → output (N, channels, out_W) with
    ``out_W = floor((W + 2*padding - dilation*(kernel_size-1) - 1) / strides) + 1``.
    Parameters: ``weight`` (channels, in_channels/groups, kernel_size), ``bias`` (channels,).

    >>> conv = mx.gluon.nn.Conv1D(4, 3, padding=1)
    >>> conv.initialize()
    >>> conv(mx.nd.ones((2, 3, 10))).shape
    (2, 4, 10)
    """

    def __init__(self, channels, kernel_size, strides=1, padding=0, dilation=1, groups=1, layout="NCW",
                 activation=None, use_bias=True, weight_initializer=None, bias_initializer="zeros", in_channels=0,
                 **kwargs):
        _conv_init(self, 1, False, channels, kernel_size, strides, padding, dilation, groups, layout, activation,
                   use_bias, weight_initializer, bias_initializer, in_channels, kwargs)


class Conv2D(_Conv):
    """2-D convolution over the ``H`` and ``W`` axes (arguments as ``Conv1D``, tuples of 2).

    Layouts ``'NCHW'`` (default) or ``'NHWC'``. Shapes: input (N, in_channels, H, W) →
    (N, channels, out_H, out_W), each axis as in ``Conv1D``. Parameters: ``weight``
    (channels, in_channels/groups, kh, kw) — (channels, kh, kw, in_channels/groups) for
    NHWC — and ``bias`` (channels,).

    >>> conv = mx.gluon.nn.Conv2D(16, kernel_size=3, strides=2, in_channels=3)
    >>> conv
    Conv2D(3 -> 16, kernel_size=(3, 3), stride=(2, 2))
    >>> conv.initialize()
    >>> conv(mx.nd.ones((1, 3, 9, 9))).shape
    (1, 16, 4, 4)
    """

    def __init__(self, channels, kernel_size, strides=(1, 1), padding=(0, 0), dilation=(1, 1), groups=1,
                 layout="NCHW", activation=None, use_bias=True, weight_initializer=None, bias_initializer="zeros",
                 in_channels=0, **kwargs):
        _conv_init(self, 2, False, channels, kernel_size, strides, padding, dilation, groups, layout, activation,
                   use_bias, weight_initializer, bias_initializer, in_channels, kwargs)


class Conv3D(_Conv):
    """3-D convolution over the ``D``, ``H`` and ``W`` axes (arguments as ``Conv1D``, tuples of 3).

    Layouts ``'NCDHW'`` (default) or ``'NDHWC'``. Shapes: input (N, in_channels, D, H, W) →
    (N, channels, out_D, out_H, out_W). Parameters: ``weight``
    (channels, in_channels/groups, kd, kh, kw) — channels-last: (channels, kd, kh, kw,
    in_channels/groups) — and ``bias`` (channels,).

    >>> conv = mx.gluon.nn.Conv3D(2, kernel_size=(1, 3, 3), padding=(0, 1, 1))
    >>> conv.initialize()
    >>> conv(mx.nd.ones((1, 3, 4, 5, 5))).shape
    (1, 2, 4, 5, 5)
    """

    def __init__(self, channels, kernel_size, strides=(1, 1, 1), padding=(0, 0, 0), dilation=(1, 1, 1), groups=1,
                 layout="NCDHW", activation=None, use_bias=True, weight_initializer=None, bias_initializer="zeros",
                 in_channels=0, **kwargs):
        _conv_init(self, 3, False, channels, kernel_size, strides, padding, dilation, groups, layout, activation,
                   use_bias, weight_initializer, bias_initializer, in_channels, kwargs)


class Conv1DTranspose(_Conv):
    """Transposed 1-D convolution (a.k.a. deconvolution; the gradient of ``Conv1D``).

    Arguments as ``Conv1D``, plus ``output_padding`` (int or tuple of 1), extra size
    added on one side of the output (must be smaller than ``strides`` or ``dilation``).

    Shapes: input (N, in_channels, W) → (N, channels, out_W) with
    ``out_W = (W-1)*strides - 2*padding + dilation*(kernel_size-1) + 1 + output_padding``.
    Parameters: ``weight`` (in_channels, channels/groups, kernel_size), ``bias`` (channels,).

    The repr shows ``in_channels -> channels`` (MXNet prints the weight's first two
    dimensions, which are swapped for transposed convolutions) and ``output_padding``
    when non-zero (MXNet meant to, but never does).

    >>> up = mx.gluon.nn.Conv1DTranspose(4, 4, strides=2, padding=1)
    >>> up.initialize()
    >>> up(mx.nd.ones((1, 3, 5))).shape
    (1, 4, 10)
    """

    def __init__(self, channels, kernel_size, strides=1, padding=0, output_padding=0, dilation=1, groups=1,
                 layout="NCW", activation=None, use_bias=True, weight_initializer=None, bias_initializer="zeros",
                 in_channels=0, **kwargs):
        _conv_init(self, 1, True, channels, kernel_size, strides, padding, dilation, groups, layout, activation,
                   use_bias, weight_initializer, bias_initializer, in_channels, kwargs, output_padding)


class Conv2DTranspose(_Conv):
    """Transposed 2-D convolution (arguments as ``Conv1DTranspose``, tuples of 2).

    Layouts ``'NCHW'`` or ``'NHWC'``. Shapes: (N, in_channels, H, W) → (N, channels,
    out_H, out_W), each axis as in ``Conv1DTranspose``. Parameters: ``weight``
    (in_channels, channels/groups, kh, kw) — NHWC: (in_channels, kh, kw, channels/groups) —
    and ``bias`` (channels,).

    >>> up = mx.gluon.nn.Conv2DTranspose(8, 3, strides=2, output_padding=1, in_channels=4)
    >>> up
    Conv2DTranspose(4 -> 8, kernel_size=(3, 3), stride=(2, 2), output_padding=(1, 1))
    >>> up.initialize()
    >>> up(mx.nd.ones((1, 4, 5, 5))).shape
    (1, 8, 12, 12)
    """

    def __init__(self, channels, kernel_size, strides=(1, 1), padding=(0, 0), output_padding=(0, 0),
                 dilation=(1, 1), groups=1, layout="NCHW", activation=None, use_bias=True, weight_initializer=None,
                 bias_initializer="zeros", in_channels=0, **kwargs):
        _conv_init(self, 2, True, channels, kernel_size, strides, padding, dilation, groups, layout, activation,
                   use_bias, weight_initializer, bias_initializer, in_channels, kwargs, output_padding)


class Conv3DTranspose(_Conv):
    """Transposed 3-D convolution (arguments as ``Conv1DTranspose``, tuples of 3).

    Layouts ``'NCDHW'`` or ``'NDHWC'``. Shapes: (N, in_channels, D, H, W) → (N, channels,
    out_D, out_H, out_W). Parameters: ``weight`` (in_channels, channels/groups, kd, kh, kw)
    — channels-last: (in_channels, kd, kh, kw, channels/groups) — and ``bias`` (channels,).

    >>> up = mx.gluon.nn.Conv3DTranspose(2, 2, strides=2)
    >>> up.initialize()
    >>> up(mx.nd.ones((1, 3, 2, 3, 4))).shape
    (1, 2, 4, 6, 8)
    """

    def __init__(self, channels, kernel_size, strides=(1, 1, 1), padding=(0, 0, 0), output_padding=(0, 0, 0),
                 dilation=(1, 1, 1), groups=1, layout="NCDHW", activation=None, use_bias=True,
                 weight_initializer=None, bias_initializer="zeros", in_channels=0, **kwargs):
        _conv_init(self, 3, True, channels, kernel_size, strides, padding, dilation, groups, layout, activation,
                   use_bias, weight_initializer, bias_initializer, in_channels, kwargs, output_padding)


# --------------------------------------------------------------------------- pooling

class _Pooling(HybridBlock):
    """Pooling over the spatial axes with the ``Pooling`` op; ``ceil_mode`` selects
    ``pooling_convention='full'`` (MXNet's ceil rule), else ``'valid'``.

    ``strides=None`` means ``strides = pool_size``. ``self._kwargs`` holds the op
    attributes, as in MXNet.
    """

    def __init__(self, pool_size, strides, padding, ceil_mode, global_pool, pool_type, layout,
                 count_include_pad=None, **kwargs):
        super().__init__(**kwargs)
        cls = self.__class__.__name__
        nsp = len(pool_size)
        _check_layout(cls, layout, nsp)
        pool_size = _tuple(cls, "pool_size", pool_size, nsp)
        if any(k < 1 for k in pool_size):
            raise GluonicValueError(f"{cls}: every pool_size entry must be >= 1. Received: pool_size={pool_size}")
        self._kwargs = {
            "kernel": pool_size, "stride": _tuple(cls, "strides", pool_size if strides is None else strides, nsp),
            "pad": _tuple(cls, "padding", padding, nsp), "global_pool": global_pool, "pool_type": pool_type,
            "layout": layout, "pooling_convention": "full" if ceil_mode else "valid"}
        if count_include_pad is not None:
            self._kwargs["count_include_pad"] = count_include_pad

    def _alias(self) -> str:
        return "pool"

    def hybrid_forward(self, F, x):
        return F.Pooling(x, name="fwd", **self._kwargs)

    def __repr__(self) -> str:
        kw = self._kwargs
        return (f"{self.__class__.__name__}(size={kw['kernel']}, stride={kw['stride']}, padding={kw['pad']}, "
                f"ceil_mode={kw['pooling_convention'] == 'full'}, global_pool={kw['global_pool']}, "
                f"pool_type={kw['pool_type']}, layout={kw['layout']})")


class MaxPool1D(_Pooling):
    """Max pooling over the W axis.

    Parameters
    ----------
    pool_size : int or tuple of 1 int
        Window size.
    strides : int, tuple of 1 int, or None
        Step between windows; None means ``pool_size``.
    padding : int or tuple of 1 int
        Implicit padding on both sides (never the maximum).
    layout : {'NCW', 'NWC'}
    ceil_mode : bool
        Round the number of windows up: MXNet's ``pooling_convention='full'``, where the
        last window may start inside the right padding.

    Shapes: input (N, C, W) → (N, C, out_W) with
    ``out_W = floor((W + 2*padding - pool_size) / strides) + 1`` (``ceil`` with ``ceil_mode``).

    >>> mx.gluon.nn.MaxPool1D()(mx.nd.array([[[1, 3, 2, 5, 4]]])).asnumpy().tolist()
    [[[3.0, 5.0]]]
    """

    def __init__(self, pool_size=2, strides=None, padding=0, layout="NCW", ceil_mode=False, **kwargs):
        super().__init__(_tuple("MaxPool1D", "pool_size", pool_size, 1), strides, padding, ceil_mode, False, "max",
                         layout, **kwargs)


class MaxPool2D(_Pooling):
    """Max pooling over the H and W axes (arguments as ``MaxPool1D``, tuples of 2).

    Layouts ``'NCHW'`` or ``'NHWC'``. Shapes: (N, C, H, W) → (N, C, out_H, out_W), each
    axis as in ``MaxPool1D``.

    >>> pool = mx.gluon.nn.MaxPool2D(pool_size=3, strides=2, ceil_mode=True)
    >>> pool
    MaxPool2D(size=(3, 3), stride=(2, 2), padding=(0, 0), ceil_mode=True, global_pool=False, pool_type=max, layout=NCHW)
    >>> pool(mx.nd.ones((1, 1, 6, 6))).shape
    (1, 1, 3, 3)
    """

    def __init__(self, pool_size=(2, 2), strides=None, padding=0, layout="NCHW", ceil_mode=False, **kwargs):
        super().__init__(_tuple("MaxPool2D", "pool_size", pool_size, 2), strides, padding, ceil_mode, False, "max",
                         layout, **kwargs)


class MaxPool3D(_Pooling):
    """Max pooling over the D, H and W axes (arguments as ``MaxPool1D``, tuples of 3;
    note MXNet's order: ``ceil_mode`` before ``layout``).

    Layouts ``'NCDHW'`` or ``'NDHWC'``. Shapes: (N, C, D, H, W) → (N, C, out_D, out_H, out_W).

    >>> mx.gluon.nn.MaxPool3D()(mx.nd.ones((1, 2, 4, 4, 4))).shape
    (1, 2, 2, 2, 2)
    """

    def __init__(self, pool_size=(2, 2, 2), strides=None, padding=0, ceil_mode=False, layout="NCDHW", **kwargs):
        super().__init__(_tuple("MaxPool3D", "pool_size", pool_size, 3), strides, padding, ceil_mode, False, "max",
                         layout, **kwargs)


class AvgPool1D(_Pooling):
    """Average pooling over the W axis.

    Parameters
    ----------
    pool_size, strides, padding, layout, ceil_mode
        As ``MaxPool1D`` (padding is zeros).
    count_include_pad : bool
        Whether padded elements count in the divisor of windows that overlap the padding.

    Shapes: input (N, C, W) → (N, C, out_W), ``out_W`` as in ``MaxPool1D``.

    >>> mx.gluon.nn.AvgPool1D(3, 1, 1)(mx.nd.array([[[3, 3, 3]]])).asnumpy().tolist()
    [[[2.0, 3.0, 2.0]]]
    """

    def __init__(self, pool_size=2, strides=None, padding=0, layout="NCW", ceil_mode=False, count_include_pad=True,
                 **kwargs):
        super().__init__(_tuple("AvgPool1D", "pool_size", pool_size, 1), strides, padding, ceil_mode, False, "avg",
                         layout, count_include_pad, **kwargs)


class AvgPool2D(_Pooling):
    """Average pooling over the H and W axes (arguments as ``AvgPool1D``, tuples of 2;
    MXNet's order: ``ceil_mode`` before ``layout``).

    Layouts ``'NCHW'`` or ``'NHWC'``. Shapes: (N, C, H, W) → (N, C, out_H, out_W).

    >>> mx.gluon.nn.AvgPool2D(3, 1, 1, count_include_pad=False)(mx.nd.ones((1, 1, 3, 3))).asnumpy().min()
    1.0
    """

    def __init__(self, pool_size=(2, 2), strides=None, padding=0, ceil_mode=False, layout="NCHW",
                 count_include_pad=True, **kwargs):
        super().__init__(_tuple("AvgPool2D", "pool_size", pool_size, 2), strides, padding, ceil_mode, False, "avg",
                         layout, count_include_pad, **kwargs)


class AvgPool3D(_Pooling):
    """Average pooling over the D, H and W axes (arguments as ``AvgPool2D``, tuples of 3).

    Layouts ``'NCDHW'`` or ``'NDHWC'``. Shapes: (N, C, D, H, W) → (N, C, out_D, out_H, out_W).

    >>> mx.gluon.nn.AvgPool3D(layout="NDHWC")(mx.nd.ones((1, 4, 4, 4, 3))).shape
    (1, 2, 2, 2, 3)
    """

    def __init__(self, pool_size=(2, 2, 2), strides=None, padding=0, ceil_mode=False, layout="NCDHW",
                 count_include_pad=True, **kwargs):
        super().__init__(_tuple("AvgPool3D", "pool_size", pool_size, 3), strides, padding, ceil_mode, False, "avg",
                         layout, count_include_pad, **kwargs)


class GlobalMaxPool1D(_Pooling):
    """Global max pooling: each feature map becomes its maximum.

    ``layout`` ``'NCW'`` or ``'NWC'``. Shapes: (N, C, W) → (N, C, 1) (NWC: (N, 1, C)).
    The 2-D and 3-D versions are alike, with layouts as ``MaxPool2D``/``MaxPool3D``.

    >>> mx.gluon.nn.GlobalMaxPool1D()(mx.nd.array([[[1, 3, 2]]])).asnumpy().tolist()
    [[[3.0]]]
    """

    def __init__(self, layout="NCW", **kwargs):
        super().__init__((1,), None, 0, True, True, "max", layout, **kwargs)


class GlobalMaxPool2D(_Pooling):
    """Global max pooling over H and W: (N, C, H, W) → (N, C, 1, 1) (see ``GlobalMaxPool1D``).

    >>> mx.gluon.nn.GlobalMaxPool2D()(mx.nd.ones((2, 3, 4, 4))).shape
    (2, 3, 1, 1)
    """

    def __init__(self, layout="NCHW", **kwargs):
        super().__init__((1, 1), None, 0, True, True, "max", layout, **kwargs)


class GlobalMaxPool3D(_Pooling):
    """Global max pooling over D, H and W: (N, C, D, H, W) → (N, C, 1, 1, 1) (see ``GlobalMaxPool1D``)."""

    def __init__(self, layout="NCDHW", **kwargs):
        super().__init__((1, 1, 1), None, 0, True, True, "max", layout, **kwargs)


class GlobalAvgPool1D(_Pooling):
    """Global average pooling: each feature map becomes its mean.

    ``layout`` ``'NCW'`` or ``'NWC'``. Shapes: (N, C, W) → (N, C, 1) (NWC: (N, 1, C)).
    The 2-D and 3-D versions are alike, with layouts as ``AvgPool2D``/``AvgPool3D``.

    >>> mx.gluon.nn.GlobalAvgPool1D()(mx.nd.array([[[1, 3, 2]]])).asnumpy().tolist()
    [[[2.0]]]
    """

    def __init__(self, layout="NCW", **kwargs):
        super().__init__((1,), None, 0, True, True, "avg", layout, **kwargs)


class GlobalAvgPool2D(_Pooling):
    """Global average pooling over H and W: (N, C, H, W) → (N, C, 1, 1) (see ``GlobalAvgPool1D``).

    >>> mx.gluon.nn.GlobalAvgPool2D(layout="NHWC")(mx.nd.ones((2, 4, 4, 3))).shape
    (2, 1, 1, 3)
    """

    def __init__(self, layout="NCHW", **kwargs):
        super().__init__((1, 1), None, 0, True, True, "avg", layout, **kwargs)


class GlobalAvgPool3D(_Pooling):
    """Global average pooling over D, H and W: (N, C, D, H, W) → (N, C, 1, 1, 1) (see ``GlobalAvgPool1D``)."""

    def __init__(self, layout="NCDHW", **kwargs):
        super().__init__((1, 1, 1), None, 0, True, True, "avg", layout, **kwargs)
