"""``nd._internal``: operators generated from the registry (MXNet's ``mx.nd._internal`` namespace)."""
from ._namespace import functions as _functions

globals().update(_functions("_internal"))
