"""Global modes, held in context variables: autograd recording and train/predict mode."""
from __future__ import annotations

import contextvars

recording: contextvars.ContextVar[bool] = contextvars.ContextVar("gluonic_recording", default=False)
training: contextvars.ContextVar[bool] = contextvars.ContextVar("gluonic_training", default=False)
#: True while a hybridized block's code is traced into a graph (np creation functions then record nodes).
tracing_graph: contextvars.ContextVar[bool] = contextvars.ContextVar("gluonic_tracing_graph", default=False)


#: The active fold scope (gluonic.fold), checked by op dispatch and HybridBlock calls; [None] when off.
#: A plain list, not a context variable: the check sits on the per-op hot path.
fold_scope: list = [None]


def is_recording() -> bool:
    """Whether operations are being recorded for gradient computation."""
    return recording.get()


def is_training() -> bool:
    """Whether layers such as Dropout and BatchNorm run in training mode."""
    return training.get()
