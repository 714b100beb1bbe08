"""``npx.random``: MXNet's NumPy-extension samplers (``bernoulli``, ``uniform_n``, ``normal_n``) and ``seed``.

The samplers are defined with the other ``mx.np.random`` functions (same machinery,
registry ops ``_npi_bernoulli``, ``_npi_uniform_n``, ``_npi_normal_n``); this module is
where MXNet exposes them.

>>> from gluonic import np, npx
>>> npx.random.seed(0)
>>> npx.random.normal_n(np.zeros(3), 1.0, batch_shape=(2,)).shape
(2, 3)
"""
from ..numpy.random import bernoulli, normal_n, seed, uniform_n

__all__ = ["bernoulli", "normal_n", "uniform_n", "seed"]
