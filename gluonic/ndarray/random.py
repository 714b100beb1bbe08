"""``nd.random``: random sampling (MXNet's ``mx.nd.random``)."""
from ._namespace import functions as _functions

globals().update(_functions("random"))
