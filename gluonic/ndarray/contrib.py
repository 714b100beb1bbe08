"""``nd.contrib``: operators generated from the registry (MXNet's ``mx.nd.contrib`` namespace)."""
from ._namespace import functions as _functions

globals().update(_functions("contrib"))
