"""Normalization layers: BatchNorm (and BatchNormReLU, SyncBatchNorm), LayerNorm, InstanceNorm, GroupNorm.

Parameter names, shapes and ``grad_req`` follow MXNet 1.9.1, so ``.params`` files load
both ways. ``center=False`` / ``scale=False`` keep ``beta`` / ``gamma`` as parameters
(zeros / ones) that are not trained (``grad_req='null'``).
"""
from __future__ import annotations

import warnings

import numpy as np

from ...base import GluonicValueError
from ..block import HybridBlock

__all__ = ["BatchNorm", "BatchNormReLU", "SyncBatchNorm", "LayerNorm", "InstanceNorm", "GroupNorm"]


def _kwargs_repr(kwargs: dict) -> str:
    return ", ".join(f"{k}={v!r}" for k, v in kwargs.items())


class _BatchNorm(HybridBlock):
    """Shared implementation of BatchNorm, BatchNormReLU and SyncBatchNorm."""

    def __init__(self, axis=1, momentum=0.9, epsilon=1e-5, center=True, scale=True, use_global_stats=False,
                 fuse_relu=False, beta_initializer="zeros", gamma_initializer="ones",
                 running_mean_initializer="zeros", running_variance_initializer="ones", in_channels=0, **kwargs):
        super().__init__(**kwargs)
        self._kwargs = {"axis": axis, "eps": epsilon, "momentum": momentum, "fix_gamma": not scale,
                        "use_global_stats": use_global_stats}
        self.fuse_relu = fuse_relu
        if in_channels != 0:
            self.in_channels = in_channels
        shape = (in_channels,)
        self.gamma = self.params.get("gamma", grad_req="write" if scale else "null", shape=shape,
                                     init=gamma_initializer, allow_deferred_init=True, differentiable=scale)
        self.beta = self.params.get("beta", grad_req="write" if center else "null", shape=shape,
                                    init=beta_initializer, allow_deferred_init=True, differentiable=center)
        self.running_mean = self.params.get("running_mean", grad_req="null", shape=shape,
                                            init=running_mean_initializer, allow_deferred_init=True,
                                            differentiable=False)
        self.running_var = self.params.get("running_var", grad_req="null", shape=shape,
                                           init=running_variance_initializer, allow_deferred_init=True,
                                           differentiable=False)

    def cast(self, dtype) -> None:
        """Cast parameters; float16 stays float32 (half-precision data takes float32 statistics)."""
        if np.dtype(dtype).name == "float16":
            dtype = "float32"
        super().cast(dtype)

    def hybrid_forward(self, F, x, gamma, beta, running_mean, running_var):
        out = F.BatchNorm(x, gamma, beta, running_mean, running_var, name="fwd", **self._kwargs)
        if self.fuse_relu:
            out = F.relu(out)
        return out

    def __repr__(self) -> str:
        channels = self.gamma.shape[0]
        return f"{self.__class__.__name__}({_kwargs_repr(self._kwargs)}, in_channels={channels if channels else None})"


class BatchNorm(_BatchNorm):
    """Batch normalization (Ioffe and Szegedy, 2014): normalize each channel over the batch.

    In training (``autograd.record()`` or ``autograd.train_mode()``) the batch's mean and
    (biased) variance normalize the data, and the running statistics are updated in place:
    ``running = running * momentum + batch_stat * (1 - momentum)``. In prediction, or with
    ``use_global_stats=True``, the running statistics are used.

    Parameters
    ----------
    axis : int, default 1
        The channel axis (``1`` for NCHW, ``-1`` or ``3`` for NHWC).
    momentum : float, default 0.9
    epsilon : float, default 1e-5
        Added to the variance before the square root.
    center : bool, default True
        Learn ``beta`` (else beta stays 0).
    scale : bool, default True
        Learn ``gamma`` (else gamma is fixed at 1).
    use_global_stats : bool, default False
        Always normalize with the running statistics.
    beta_initializer, gamma_initializer, running_mean_initializer, running_variance_initializer
        Initializers (or their names) of the four parameters.
    in_channels : int, default 0
        Number of channels; 0 infers it at the first forward pass.

    Shapes: input of any shape with C = ``shape[axis]`` → output of the same shape.
    Parameters: ``gamma``, ``beta``, ``running_mean``, ``running_var``, each (C,);
    the running statistics have ``grad_req='null'``.

    Example
    -------
    >>> bn = mx.gluon.nn.BatchNorm()
    >>> bn.initialize()
    >>> with mx.autograd.record():
    ...     y = bn(mx.nd.array([[1.0, 2.0], [3.0, 6.0]]))
    >>> bn.running_mean.data().asnumpy()
    array([0.2, 0.4], dtype=float32)
    """

    def __init__(self, axis=1, momentum=0.9, epsilon=1e-5, center=True, scale=True, use_global_stats=False,
                 beta_initializer="zeros", gamma_initializer="ones", running_mean_initializer="zeros",
                 running_variance_initializer="ones", in_channels=0, **kwargs):
        super().__init__(axis=axis, momentum=momentum, epsilon=epsilon, center=center, scale=scale,
                         use_global_stats=use_global_stats, fuse_relu=False, beta_initializer=beta_initializer,
                         gamma_initializer=gamma_initializer, running_mean_initializer=running_mean_initializer,
                         running_variance_initializer=running_variance_initializer, in_channels=in_channels,
                         **kwargs)


class BatchNormReLU(_BatchNorm):
    """``BatchNorm`` followed by ReLU (same arguments and parameters as :class:`BatchNorm`).

    MXNet runs this as one fused operator (``contrib.BatchNormWithReLU``); here it is
    ``BatchNorm`` then ``relu``, with identical results.
    """

    def __init__(self, axis=1, momentum=0.9, epsilon=1e-5, center=True, scale=True, use_global_stats=False,
                 beta_initializer="zeros", gamma_initializer="ones", running_mean_initializer="zeros",
                 running_variance_initializer="ones", in_channels=0, **kwargs):
        super().__init__(axis=axis, momentum=momentum, epsilon=epsilon, center=center, scale=scale,
                         use_global_stats=use_global_stats, fuse_relu=True, beta_initializer=beta_initializer,
                         gamma_initializer=gamma_initializer, running_mean_initializer=running_mean_initializer,
                         running_variance_initializer=running_variance_initializer, in_channels=in_channels,
                         **kwargs)


class SyncBatchNorm(BatchNorm):
    """Cross-device batch normalization (``gluon.contrib.nn.SyncBatchNorm`` in MXNet).

    Same parameters as :class:`BatchNorm` on channel axis 1. In a single process on one
    device it computes exactly what ``BatchNorm`` computes; ``num_devices`` is recorded
    (it appears in the repr) but statistics are not yet synchronized across devices.

    Parameters
    ----------
    in_channels : int, default 0
    num_devices : int, optional
        Number of devices sharing the batch (default: the number of GPUs, at least 1, with a warning).
    momentum, epsilon, center, scale, use_global_stats, *_initializer
        As in :class:`BatchNorm`.
    """

    def __init__(self, in_channels=0, num_devices=None, momentum=0.9, epsilon=1e-5, center=True, scale=True,
                 use_global_stats=False, beta_initializer="zeros", gamma_initializer="ones",
                 running_mean_initializer="zeros", running_variance_initializer="ones", **kwargs):
        super().__init__(axis=1, momentum=momentum, epsilon=epsilon, center=center, scale=scale,
                         use_global_stats=use_global_stats, beta_initializer=beta_initializer,
                         gamma_initializer=gamma_initializer, running_mean_initializer=running_mean_initializer,
                         running_variance_initializer=running_variance_initializer, in_channels=in_channels,
                         **kwargs)
        if num_devices is None:
            num_devices = self._get_num_devices()
        self._kwargs = {"eps": epsilon, "momentum": momentum, "fix_gamma": not scale,
                        "use_global_stats": use_global_stats, "ndev": num_devices, "key": self.prefix}

    def _get_num_devices(self) -> int:
        from ...context import num_gpus

        warnings.warn("Caution using SyncBatchNorm: if not using all the GPUs, please mannually set num_devices",
                      UserWarning, stacklevel=3)
        return max(num_gpus(), 1)

    def hybrid_forward(self, F, x, gamma, beta, running_mean, running_var):
        k = self._kwargs
        return F.BatchNorm(x, gamma, beta, running_mean, running_var, name="fwd", eps=k["eps"],
                           momentum=k["momentum"], fix_gamma=k["fix_gamma"], use_global_stats=k["use_global_stats"])


class _AffineNorm(HybridBlock):
    """A normalization with a learned per-channel ``gamma`` (scale) and ``beta`` (shift)."""

    def _affine_params(self, shape, center, scale, beta_initializer, gamma_initializer) -> None:
        self.gamma = self.params.get("gamma", grad_req="write" if scale else "null", shape=shape,
                                     init=gamma_initializer, allow_deferred_init=True)
        self.beta = self.params.get("beta", grad_req="write" if center else "null", shape=shape,
                                    init=beta_initializer, allow_deferred_init=True)

    def __repr__(self) -> str:
        return f"{self.__class__.__name__}({_kwargs_repr(self._kwargs)}, in_channels={self.gamma.shape[0]})"


class LayerNorm(_AffineNorm):
    """Layer normalization (Ba et al., 2016): normalize each sample over one ``axis``.

    ``out = (x - mean) / sqrt(var + epsilon) * gamma + beta``, statistics over ``axis``.

    Parameters
    ----------
    axis : int, default -1
    epsilon : float, default 1e-5
    center, scale : bool, default True
        Learn ``beta`` / ``gamma`` (else they stay 0 / 1).
    beta_initializer, gamma_initializer : Initializer or str
    in_channels : int, default 0
        Size of ``axis``; 0 infers it at the first forward pass.

    Shapes: input of any shape with C = ``shape[axis]`` → same shape. Parameters ``gamma``,
    ``beta``: (C,).

    Example
    -------
    >>> ln = mx.gluon.nn.LayerNorm()
    >>> ln.initialize()
    >>> ln(mx.nd.array([[1.0, 3.0]])).asnumpy().round(3)
    array([[-1.,  1.]], dtype=float32)
    """

    def __init__(self, axis=-1, epsilon=1e-5, center=True, scale=True, beta_initializer="zeros",
                 gamma_initializer="ones", in_channels=0, prefix=None, params=None):
        super().__init__(prefix=prefix, params=params)
        self._kwargs = {"eps": epsilon, "axis": axis, "center": center, "scale": scale}
        self._axis = axis
        self._epsilon = epsilon
        self._center = center
        self._scale = scale
        self._affine_params((in_channels,), center, scale, beta_initializer, gamma_initializer)

    def hybrid_forward(self, F, data, gamma, beta):
        return F.LayerNorm(data, gamma=gamma, beta=beta, axis=self._axis, eps=self._epsilon)


class InstanceNorm(_AffineNorm):
    """Instance normalization (Ulyanov et al., 2016): normalize each (sample, channel) over its
    spatial positions.

    Parameters
    ----------
    axis : int, default 1
        The channel axis.
    epsilon : float, default 1e-5
    center : bool, default True
        Learn ``beta``.
    scale : bool, default False
        Learn ``gamma`` (by default it stays 1).
    beta_initializer, gamma_initializer : Initializer or str
    in_channels : int, default 0
        Number of channels; 0 infers it at the first forward pass.

    Shapes: input (N, C, d1, ...) (channels on ``axis``, at least 3 dimensions) → same shape.
    Parameters ``gamma``, ``beta``: (C,).

    Example
    -------
    >>> inorm = mx.gluon.nn.InstanceNorm()
    >>> inorm.initialize()
    >>> inorm(mx.nd.array([[[1.1, 2.2]], [[3.3, 4.4]]])).asnumpy().round(3)
    array([[[-1.,  1.]],
    <BLANKLINE>
           [[-1.,  1.]]], dtype=float32)
    """

    def __init__(self, axis=1, epsilon=1e-5, center=True, scale=False, beta_initializer="zeros",
                 gamma_initializer="ones", in_channels=0, **kwargs):
        super().__init__(**kwargs)
        self._kwargs = {"eps": epsilon, "axis": axis, "center": center, "scale": scale}
        self._axis = axis
        self._epsilon = epsilon
        self._affine_params((in_channels,), center, scale, beta_initializer, gamma_initializer)

    def hybrid_forward(self, F, x, gamma, beta):
        if self._axis == 1:
            return F.InstanceNorm(x, gamma, beta, name="fwd", eps=self._epsilon)
        x = F.swapaxes(x, dim1=1, dim2=self._axis)
        return F.swapaxes(F.InstanceNorm(x, gamma, beta, name="fwd", eps=self._epsilon), dim1=1, dim2=self._axis)


class GroupNorm(_AffineNorm):
    """Group normalization (Wu and He, 2018): channels split into ``num_groups`` groups, each
    normalized per sample over its channels and positions.

    As in MXNet 1.9, ``gamma`` and ``beta`` hold one value per *group*.

    Parameters
    ----------
    num_groups : int, default 1
    epsilon : float, default 1e-5
    center, scale : bool, default True
    beta_initializer, gamma_initializer : Initializer or str

    Shapes: input (N, C, ...) with C divisible by ``num_groups`` → same shape. Parameters
    ``gamma``, ``beta``: (num_groups,).

    Example
    -------
    >>> gn = mx.gluon.nn.GroupNorm(num_groups=2)
    >>> gn.initialize()
    >>> gn(mx.nd.array([[[1.0, 3.0], [5.0, 7.0]]])).asnumpy().round(3)
    array([[[-1.,  1.],
            [-1.,  1.]]], dtype=float32)
    """

    def __init__(self, num_groups=1, epsilon=1e-5, center=True, scale=True, beta_initializer="zeros",
                 gamma_initializer="ones", prefix=None, params=None):
        super().__init__(prefix=prefix, params=params)
        if num_groups < 1:
            raise GluonicValueError(f"GroupNorm: num_groups must be at least 1. Received: num_groups={num_groups}")
        self._kwargs = {"eps": epsilon, "num_groups": num_groups, "center": center, "scale": scale}
        self._num_groups = num_groups
        self._epsilon = epsilon
        self._center = center
        self._scale = scale
        self._affine_params((num_groups,), center, scale, beta_initializer, gamma_initializer)

    def hybrid_forward(self, F, data, gamma, beta):
        return F.GroupNorm(data, gamma=gamma, beta=beta, num_groups=self._num_groups, eps=self._epsilon)

    def __repr__(self) -> str:
        return f"{self.__class__.__name__}({_kwargs_repr(self._kwargs)})"
