"""Activation layers: Activation, LeakyReLU, PReLU, ELU, SELU, GELU, Swish, SiLU."""
from __future__ import annotations

from ... import initializer
from ...base import GluonicValueError
from ..block import HybridBlock

__all__ = ["Activation", "LeakyReLU", "PReLU", "ELU", "SELU", "GELU", "Swish", "SiLU"]


class Activation(HybridBlock):
    """Apply an activation function (``relu``, ``sigmoid``, ``tanh``, ``softrelu``, ``softsign``).

    Shapes: input and output of any, equal shape.
    """

    def __init__(self, activation: str, **kwargs):
        self._act_type = activation
        super().__init__(**kwargs)

    def _alias(self) -> str:
        return self._act_type

    def hybrid_forward(self, F, x):
        return F.Activation(x, act_type=self._act_type, name="fwd")

    def __repr__(self) -> str:
        return f"{self.__class__.__name__}({self._act_type})"


class LeakyReLU(HybridBlock):
    """Leaky ReLU (Maas et al., 2013): ``x`` if ``x > 0`` else ``alpha * x``.

    Parameters
    ----------
    alpha : float
        Slope for negative inputs, >= 0.

    Shapes: input of any shape → same shape.

    Example
    -------
    >>> mx.gluon.nn.LeakyReLU(0.1)(mx.nd.array([-2.0, 3.0])).asnumpy()
    array([-0.2,  3. ], dtype=float32)
    """

    def __init__(self, alpha, **kwargs):
        if alpha < 0:
            raise GluonicValueError(f"Slope coefficient for LeakyReLU must be no less than 0. Received: alpha={alpha}")
        super().__init__(**kwargs)
        self._alpha = alpha

    def hybrid_forward(self, F, x):
        return F.LeakyReLU(x, act_type="leaky", slope=self._alpha, name="fwd")

    def __repr__(self) -> str:
        return f"{self.__class__.__name__}({self._alpha})"


class PReLU(HybridBlock):
    """Parametric ReLU (He et al., 2015): ``x`` if ``x > 0`` else ``alpha * x`` with a learned ``alpha``.

    Parameters
    ----------
    alpha_initializer : Initializer, default Constant(0.25)
    in_channels : int, default 1
        Number of slopes: 1 (shared) or the number of channels (axis 1 of the input).

    Shapes: input (N, C, ...) → same shape. Parameter ``alpha``: (in_channels,).

    Example
    -------
    >>> prelu = mx.gluon.nn.PReLU()
    >>> prelu.initialize()
    >>> prelu(mx.nd.array([-4.0, 4.0])).asnumpy()
    array([-1.,  4.], dtype=float32)
    """

    def __init__(self, alpha_initializer=initializer.Constant(0.25), in_channels=1, **kwargs):  # noqa: B008
        super().__init__(**kwargs)
        with self.name_scope():
            self.alpha = self.params.get("alpha", shape=(in_channels,), init=alpha_initializer)

    def hybrid_forward(self, F, x, alpha):
        return F.LeakyReLU(x, gamma=alpha, act_type="prelu", name="fwd")


class ELU(HybridBlock):
    """Exponential linear unit (Clevert et al., 2015): ``x`` if ``x > 0`` else ``alpha * (exp(x) - 1)``.

    Parameters
    ----------
    alpha : float, default 1.0

    Shapes: input of any shape → same shape.

    Example
    -------
    >>> mx.gluon.nn.ELU()(mx.nd.array([0.0, 2.0])).asnumpy()
    array([0., 2.], dtype=float32)
    """

    def __init__(self, alpha=1.0, **kwargs):
        super().__init__(**kwargs)
        self._alpha = alpha

    def hybrid_forward(self, F, x):
        return F.LeakyReLU(x, act_type="elu", slope=self._alpha)


class SELU(HybridBlock):
    """Scaled exponential linear unit (Klambauer et al., 2017):
    ``scale * (x if x > 0 else alpha * (exp(x) - 1))`` with the paper's fixed constants.

    Shapes: input of any shape → same shape. Unlike MXNet 1.9, whose SELU gradient is wrong
    for negative inputs, the gradient here is exact.

    >>> mx.gluon.nn.SELU()(mx.nd.array([1.0])).asnumpy().round(4)
    array([1.0507], dtype=float32)
    """

    def __init__(self, **kwargs):
        super().__init__(**kwargs)

    def hybrid_forward(self, F, x):
        return F.LeakyReLU(x, act_type="selu", name="fwd")


class GELU(HybridBlock):
    """Gaussian error linear unit (Hendrycks and Gimpel, 2016): ``x * Phi(x)``, with the exact
    (erf) normal CDF as in MXNet 1.9.

    Shapes: input of any shape → same shape.

    >>> mx.gluon.nn.GELU()(mx.nd.array([0.0, 1.0])).asnumpy().round(4)
    array([0.    , 0.8413], dtype=float32)
    """

    def __init__(self, **kwargs):
        super().__init__(**kwargs)

    def hybrid_forward(self, F, x):
        return F.LeakyReLU(x, act_type="gelu", name="fwd")


class Swish(HybridBlock):
    """Swish (Ramachandran et al., 2017): ``x * sigmoid(beta * x)``.

    Parameters
    ----------
    beta : float, default 1.0

    Shapes: input of any shape → same shape.

    >>> mx.gluon.nn.Swish()(mx.nd.array([0.0, 1.0])).asnumpy().round(4)
    array([0.    , 0.7311], dtype=float32)
    """

    def __init__(self, beta=1.0, **kwargs):
        super().__init__(**kwargs)
        self._beta = beta

    def hybrid_forward(self, F, x):
        return x * F.sigmoid(self._beta * x, name="fwd")


class SiLU(Swish):
    """Sigmoid linear unit: ``x * sigmoid(x)``, i.e. ``Swish(beta=1.0)``.

    Not in MXNet 1.9 (MXNet 2.0 added it); provided for code written against newer APIs.

    >>> mx.gluon.nn.SiLU()(mx.nd.array([1.0])).asnumpy().round(4)
    array([0.7311], dtype=float32)
    """

    def __init__(self, **kwargs):
        super().__init__(beta=1.0, **kwargs)
