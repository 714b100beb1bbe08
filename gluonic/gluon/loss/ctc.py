"""``CTCLoss``: Connectionist Temporal Classification (Graves et al., 2006)."""
from __future__ import annotations

from ...base import GluonicValueError
from ._base import Loss, _apply_weighting

__all__ = ["CTCLoss"]


class CTCLoss(Loss):
    r"""Connectionist Temporal Classification loss over unnormalized scores.

    The last class (``alphabet_size - 1``) is the blank; labels are 0-based and padded
    with -1 to a rectangle. For the vocabulary ``[a, b, c]`` (a=0, b=1, c=2, blank=3,
    alphabet_size 4) the sequences 'ba', 'cbb', 'abac' become::

        [[1, 0, -1, -1],
         [2, 1,  1, -1],
         [0, 1,  0,  2]]

    Parameters
    ----------
    layout : {'NTC', 'TNC'}, default 'NTC'
        Layout of ``pred``: batch, sequence and alphabet axes.
    label_layout : {'NT', 'TN'}, default 'NT'
        Layout of ``label``.
    weight : float or None
        Global scalar weight.

    Inputs: ``pred`` per ``layout`` (e.g. (batch_size, seq_len, alphabet_size));
    ``label`` per ``label_layout``; optional ``pred_lengths`` and ``label_lengths``
    (batch_size,) for sequences of different lengths (without ``label_lengths`` a label
    ends at its first -1); optional ``sample_weight`` broadcastable to (batch_size,).
    Output: (batch_size,). Alignments that cannot exist cost 0 (as MXNet).

    Raises
    ------
    GluonicValueError
        For an unknown layout, or (when called) labels outside [0, alphabet_size - 1).

    >>> from gluonic import nd
    >>> from gluonic.gluon import loss
    >>> round(loss.CTCLoss()(nd.zeros((1, 4, 3)), nd.array([[0, 1]])).asscalar(), 4)
    1.6864
    """

    def __init__(self, layout="NTC", label_layout="NT", weight=None, **kwargs):
        if layout not in ("NTC", "TNC"):
            raise GluonicValueError(f"CTCLoss: only the 'NTC' and 'TNC' layouts are supported for pred. "
                                    f"Received: {layout!r}")
        if label_layout not in ("NT", "TN"):
            raise GluonicValueError(f"CTCLoss: only the 'NT' and 'TN' layouts are supported for label. "
                                    f"Received: {label_layout!r}")
        self._layout = layout
        self._label_layout = label_layout
        super().__init__(weight, label_layout.find("N"), **kwargs)

    def hybrid_forward(self, F, pred, label, pred_lengths=None, label_lengths=None, sample_weight=None):
        if self._layout == "NTC":
            pred = F.swapaxes(pred, dim1=0, dim2=1)
        if self._batch_axis == 1:
            label = F.swapaxes(label, dim1=0, dim2=1)
        loss = F.CTCLoss(pred, label, pred_lengths, label_lengths,
                         use_data_lengths=pred_lengths is not None,
                         use_label_lengths=label_lengths is not None,
                         blank_label="last")
        return _apply_weighting(F, loss, self._weight, sample_weight)
