"""``mx.npx``: MXNet's NumPy extensions — the neural-network operators and switches of NumPy mode.

>>> from gluonic import np, npx
>>> npx.relu(np.array([-1.0, 2.0]))
array([0., 2.])
"""
from ..context import cpu, cpu_pinned, current_context, gpu, num_gpus
from ..ndarray.ndarray import waitall
from ..util import is_np_array, is_np_shape, reset_np, set_np
from . import _ops, image, random
from ._ops import *  # noqa: F403

__all__ = ["set_np", "reset_np", "is_np_array", "is_np_shape", "cpu", "cpu_pinned", "gpu", "num_gpus",
           "current_context", "waitall", "image", "random"] + _ops.__all__
