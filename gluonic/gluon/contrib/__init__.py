"""``gluon.contrib``: contributed Gluon layers (``contrib.nn``)."""
from . import nn

__all__ = ["nn"]
