"""``gluon.contrib``: contributed Gluon layers (``contrib.nn``, ``contrib.rnn``)."""
from . import nn, rnn

__all__ = ["nn", "rnn"]
