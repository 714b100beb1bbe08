"""Containers, Dense, Dropout, Embedding, Flatten, Lambda, HybridLambda, Identity, ReflectionPad2D.

The normalization layers live in ``norm_layers.py`` and are re-exported here, as MXNet has
them in ``gluon.nn.basic_layers``.
"""
from __future__ import annotations

from numbers import Number

from ...base import GluonicValueError
from ..block import Block, HybridBlock
from .norm_layers import BatchNorm, BatchNormReLU, GroupNorm, InstanceNorm, LayerNorm, SyncBatchNorm

__all__ = ["Sequential", "HybridSequential", "Dense", "Dropout", "BatchNorm", "BatchNormReLU", "SyncBatchNorm",
           "LayerNorm", "InstanceNorm", "GroupNorm", "Embedding", "Flatten", "Lambda", "HybridLambda", "Identity",
           "ReflectionPad2D"]


def _run_in_sequence(blocks, x, args):
    """Feed ``x`` through ``blocks``; a block returning a tuple passes its tail on as extra inputs."""
    for block in blocks:
        x = block(x, *args)
        args = []
        if isinstance(x, (tuple, list)):
            args = x[1:]
            x = x[0]
    if args:
        x = tuple([x] + list(args))
    return x


class Sequential(Block):
    """Stacks Blocks sequentially.

    >>> net = mx.gluon.nn.Sequential()
    >>> net.add(mx.gluon.nn.Dense(4), mx.gluon.nn.Dense(2))
    >>> len(net)
    2
    """

    def __init__(self, prefix=None, params=None):
        super().__init__(prefix=prefix, params=params)

    def add(self, *blocks) -> None:
        """Append blocks to the end of the sequence."""
        for block in blocks:
            self.register_child(block)

    def forward(self, x, *args):
        return _run_in_sequence(self._children.values(), x, args)

    def __repr__(self) -> str:
        from ..utils import _indent

        mods = "\n".join(f"  ({key}): {_indent(repr(block), 2)}" for key, block in self._children.items())
        return f"{self.__class__.__name__}(\n{mods}\n)"

    def __getitem__(self, key):
        layers = list(self._children.values())[key]
        if isinstance(layers, list):
            net = type(self)(prefix=self._prefix)
            with net.name_scope():
                net.add(*layers)
            return net
        return layers

    def __len__(self) -> int:
        return len(self._children)

    def hybridize(self, active: bool = True, **kwargs) -> None:
        if self._children and all(isinstance(c, HybridBlock) for c in self._children.values()):
            import warnings

            warnings.warn(f"All children of this Sequential layer '{self.prefix}' are HybridBlocks. Consider "
                          "using HybridSequential for the best performance.", stacklevel=2)
        super().hybridize(active, **kwargs)


class HybridSequential(HybridBlock):
    """Stacks HybridBlocks sequentially (hybridizable)."""

    def __init__(self, prefix=None, params=None):
        super().__init__(prefix=prefix, params=params)

    def add(self, *blocks) -> None:
        """Append blocks to the end of the sequence."""
        for block in blocks:
            self.register_child(block)

    def hybrid_forward(self, F, x, *args):
        return _run_in_sequence(self._children.values(), x, args)

    __repr__ = Sequential.__repr__
    __getitem__ = Sequential.__getitem__
    __len__ = Sequential.__len__


class Dense(HybridBlock):
    """Densely connected layer: ``output = activation(dot(input, weight.T) + bias)``.

    Parameters
    ----------
    units : int
        Output dimension.
    activation : str, optional
        Activation after the product (``'relu'``, ``'tanh'``, ...), see ``Activation``.
    use_bias : bool
    flatten : bool
        Flatten all but the first axis of the input (else apply to the last axis).
    dtype : str or numpy dtype
    weight_initializer, bias_initializer : Initializer or str
    in_units : int
        Input size; 0 infers it at the first forward pass.

    Shapes: input (batch_size, in_units) (or (x1, ..., xn, in_units) with
    ``flatten=False``) → output (batch_size, units).
    Parameter names: ``weight`` (units, in_units), ``bias`` (units,).
    """

    def __init__(self, units, activation=None, use_bias=True, flatten=True, dtype="float32",
                 weight_initializer=None, bias_initializer="zeros", in_units=0, **kwargs):
        super().__init__(**kwargs)
        if units <= 0:
            raise GluonicValueError(f"Dense: units must be positive. Received: units={units}")
        self._flatten = flatten
        with self.name_scope():
            self._units = units
            self._in_units = in_units
            self.weight = self.params.get("weight", shape=(units, in_units), init=weight_initializer, dtype=dtype,
                                          allow_deferred_init=True)
            if use_bias:
                self.bias = self.params.get("bias", shape=(units,), init=bias_initializer, dtype=dtype,
                                            allow_deferred_init=True)
            else:
                self.bias = None
            if activation is not None:
                from .activations import Activation

                self.act = Activation(activation, prefix=activation + "_")
            else:
                self.act = None

    def hybrid_forward(self, F, x, weight, bias=None):
        act = F.FullyConnected(x, weight, bias, no_bias=bias is None, num_hidden=self._units,
                               flatten=self._flatten, name="fwd")
        if self.act is not None:
            act = self.act(act)
        return act

    def __repr__(self) -> str:
        shape = self.weight.shape
        act = self.act if self.act is not None else "linear"
        return f"{self.__class__.__name__}({shape[1] if shape[1] else None} -> {shape[0]}, {act})"


class Dropout(HybridBlock):
    """Randomly zero a fraction ``rate`` of the inputs during training (Srivastava et al., 2014).

    The kept values are scaled by ``1 / (1 - rate)``; in prediction the layer is the identity.

    Parameters
    ----------
    rate : float
        Fraction of the inputs to drop, in [0, 1].
    axes : tuple of int, default ()
        Axes along which one random mask is shared (variational dropout).

    Shapes: input of any shape → same shape.

    Example
    -------
    >>> drop = mx.gluon.nn.Dropout(0.5)
    >>> drop(mx.nd.ones((2, 2))).asnumpy()  # prediction mode: identity
    array([[1., 1.],
           [1., 1.]], dtype=float32)
    """

    def __init__(self, rate, axes=(), **kwargs):
        super().__init__(**kwargs)
        if not 0 <= rate <= 1:
            raise GluonicValueError(f"Dropout: rate must be in [0, 1]. Received: rate={rate}")
        self._rate = rate
        self._axes = axes

    def hybrid_forward(self, F, x):
        if self._rate > 0:
            return F.Dropout(x, p=self._rate, axes=self._axes, name="fwd", cudnn_off=False)
        return F.identity(x)

    def __repr__(self) -> str:
        return f"{self.__class__.__name__}(p = {self._rate}, axes={self._axes})"


class Embedding(HybridBlock):
    """Map integer indices to dense vectors: row ``i`` of ``weight`` for index ``i``.

    Parameters
    ----------
    input_dim : int
        Vocabulary size (indices run over 0 .. input_dim - 1; others are clipped).
    output_dim : int
        Size of each vector.
    dtype : str or numpy dtype, default 'float32'
    weight_initializer : Initializer or str, optional
    sparse_grad : bool, default False
        Ask for a row-sparse gradient (accepted; gluonic computes it dense).

    Shapes: input (d1, ..., dK) of indices → output (d1, ..., dK, output_dim).
    Parameter ``weight``: (input_dim, output_dim).

    Example
    -------
    >>> emb = mx.gluon.nn.Embedding(10, 4)
    >>> emb.initialize()
    >>> emb(mx.nd.array([[1, 2, 3]])).shape
    (1, 3, 4)
    """

    def __init__(self, input_dim, output_dim, dtype="float32", weight_initializer=None, sparse_grad=False, **kwargs):
        super().__init__(**kwargs)
        grad_stype = "row_sparse" if sparse_grad else "default"
        self._kwargs = {"input_dim": input_dim, "output_dim": output_dim, "dtype": dtype, "sparse_grad": sparse_grad}
        self.weight = self.params.get("weight", shape=(input_dim, output_dim), init=weight_initializer, dtype=dtype,
                                      allow_deferred_init=True, grad_stype=grad_stype)

    def hybrid_forward(self, F, x, weight):
        return F.Embedding(x, weight, name="fwd", **self._kwargs)

    def __repr__(self) -> str:
        k = self._kwargs
        return f"{self.__class__.__name__}({k['input_dim']} -> {k['output_dim']}, {k['dtype']})"


class Flatten(HybridBlock):
    """Flatten all axes but the first: (N, d1, ..., dK) → (N, d1 * ... * dK).

    >>> mx.gluon.nn.Flatten()(mx.nd.ones((2, 3, 4))).shape
    (2, 12)
    """

    def __init__(self, **kwargs):
        super().__init__(**kwargs)

    def hybrid_forward(self, F, x):
        return F.flatten(x)

    def __repr__(self) -> str:
        return self.__class__.__name__


def _function_name(function) -> str:
    return getattr(function, "__name__", type(function).__name__)


class Lambda(Block):
    """Wrap a function (or the name of an ``mx.nd`` function) as a Block.

    Parameters
    ----------
    function : str or callable
        A name such as ``'tanh'`` (looked up in ``mx.nd``) or a callable on NDArrays.

    Inputs and outputs: whatever ``function`` takes and returns.

    Example
    -------
    >>> block = mx.gluon.nn.Lambda(lambda x: x * 2)
    >>> block(mx.nd.array([1.0, 2.0])).asnumpy()
    array([2., 4.], dtype=float32)
    """

    def __init__(self, function, prefix=None):
        super().__init__(prefix=prefix)
        from ... import ndarray as nd

        if isinstance(function, str):
            if not hasattr(nd, function):
                raise GluonicValueError(f"Lambda: function name {function!r} is not found in ndarray. "
                                        f"Received: function={function!r}")
            self._func_impl = getattr(nd, function)
        elif callable(function):
            self._func_impl = function
        else:
            raise GluonicValueError(f"Unrecognized function in lambda: {function} of type {type(function)}. "
                                    "Pass a callable or the name of an mx.nd function.")

    def forward(self, *args):
        return self._func_impl(*args)

    def __repr__(self) -> str:
        return f"{self.__class__.__name__}({_function_name(self._func_impl)})"


class HybridLambda(HybridBlock):
    """Wrap ``function(F, x, *args)`` (or the name of a function found in both ``mx.nd`` and
    ``mx.sym``) as a HybridBlock.

    Parameters
    ----------
    function : str or callable
        A name such as ``'tanh'``, or a callable taking ``F`` (``mx.nd`` or ``mx.sym``)
        and the inputs.

    Example
    -------
    >>> block = mx.gluon.nn.HybridLambda(lambda F, x: F.relu(x))
    >>> block(mx.nd.array([-1.0, 2.0])).asnumpy()
    array([0., 2.], dtype=float32)
    """

    def __init__(self, function, prefix=None):
        super().__init__(prefix=prefix)
        from ... import ndarray as nd
        from ... import symbol as sym

        if isinstance(function, str):
            if not (hasattr(nd, function) and hasattr(sym, function)):
                raise GluonicValueError(f"HybridLambda: function name {function!r} is not found in symbol/ndarray. "
                                        f"Received: function={function!r}")
            name = function
            self._func = lambda F, *args: getattr(F, name)(*args)
            self._func_name = function
        elif callable(function):
            self._func = function
            self._func_name = _function_name(function)
        else:
            raise GluonicValueError(f"Unrecognized function in lambda: {function} of type {type(function)}. "
                                    "Pass a callable f(F, x, ...) or the name of an mx.nd/mx.sym function.")

    def hybrid_forward(self, F, x, *args):
        return self._func(F, x, *args)

    def __repr__(self) -> str:
        return f"{self.__class__.__name__}({self._func_name})"


class Identity(HybridBlock):
    """Return the input unchanged (``gluon.contrib.nn.Identity`` in MXNet 1.9; also in ``nn`` here).

    Useful as a placeholder branch, e.g. in residual blocks.

    >>> x = mx.nd.ones((2,))
    >>> mx.gluon.nn.Identity()(x) is x
    True
    """

    def __init__(self, prefix=None, params=None):
        super().__init__(prefix=prefix, params=params)

    def hybrid_forward(self, F, x):
        return x


class ReflectionPad2D(HybridBlock):
    """Pad the two spatial axes of (N, C, H, W) data by reflection (without repeating the border).

    Parameters
    ----------
    padding : int or tuple of 8 ints, default 0
        An int pads every side of H and W by that much; a tuple is MXNet's ``pad_width``
        (before/after for each of the 4 axes; the first four must be 0).

    Shapes: (N, C, H, W) → (N, C, H + 2p, W + 2p) for an int ``p`` (p < H and p < W).

    Example
    -------
    >>> pad = mx.gluon.nn.ReflectionPad2D(1)
    >>> pad(mx.nd.arange(4).reshape((1, 1, 2, 2))).asnumpy()[0, 0]
    array([[3., 2., 3., 2.],
           [1., 0., 1., 0.],
           [3., 2., 3., 2.],
           [1., 0., 1., 0.]], dtype=float32)
    """

    def __init__(self, padding=0, **kwargs):
        super().__init__(**kwargs)
        if isinstance(padding, Number):
            padding = (0, 0, 0, 0, padding, padding, padding, padding)
        padding = tuple(padding)
        if len(padding) != 8:
            raise GluonicValueError("ReflectionPad2D: padding must be an int or a tuple of 8 ints (before and after "
                                    f"each of the 4 axes). Received: padding={padding}")
        self._padding = padding

    def hybrid_forward(self, F, x):
        return F.pad(x, mode="reflect", pad_width=self._padding)
