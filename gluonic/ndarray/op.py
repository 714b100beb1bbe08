"""``nd.op``: operators generated from the registry (MXNet's ``mx.nd.op`` namespace)."""
from ._namespace import functions as _functions

globals().update(_functions("op"))
