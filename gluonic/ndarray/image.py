"""``nd.image``: operators generated from the registry (MXNet's ``mx.nd.image`` namespace)."""
from ._namespace import functions as _functions

globals().update(_functions("image"))
