"""Runnable examples shipped with gluonic (``python -m gluonic.examples.digits``)."""
