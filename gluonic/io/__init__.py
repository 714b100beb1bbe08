"""MXNet's binary formats: NDArray files (``nd.save``/``nd.load``, ``.params``).

Keep this package's import light: ``gluonic.ndarray`` imports ``ndarray_format`` from
here while it is itself being imported, so modules that need NDArray (data iterators)
must not be imported eagerly by this ``__init__``.
"""
from . import ndarray_format

__all__ = ["ndarray_format"]
