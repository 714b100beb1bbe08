"""``nd.linalg``: operators generated from the registry (MXNet's ``mx.nd.linalg`` namespace)."""
from ._namespace import functions as _functions

globals().update(_functions("linalg"))
