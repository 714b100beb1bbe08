"""Initializers built from others: Mixed (by name pattern), Load (from saved arrays), FusedRNN."""
from __future__ import annotations

import logging
import math
import os
import re

import torch

from ..base import GluonicTypeError, GluonicValueError
from ..ndarray.ndarray import NDArray, from_torch
from ._base import InitDesc, Initializer, _where, _write, create, register

__all__ = ["Mixed", "Load", "FusedRNN"]


def _without_own_init(desc):
    """``desc`` without its ``__init__`` attribute (so dispatch goes by name, not back to us)."""
    if isinstance(desc, InitDesc):
        return InitDesc(str(desc), global_init=desc.global_init)
    return desc


class _Composite(Initializer):
    """Initializers that delegate; compared by identity and not serializable (MXNet: not
    Initializers at all; here they are, so ``create`` and Gluon's ``initialize`` accept them)."""

    __eq__ = object.__eq__
    __hash__ = object.__hash__

    def dumps(self) -> str:
        raise GluonicTypeError(
            f"{type(self).__name__} cannot be serialized with dumps(); use it directly as the initializer. "
            f"Received: {self!r}"
        )

    def _init_weight(self, desc, arr) -> None:
        # Used as a parameter's own initializer (desc.attrs['__init__']): dispatch by name.
        self(_without_own_init(desc), arr)


class Mixed(_Composite):
    """Initializes each parameter with the initializer of the first pattern its name matches.

    Parameters
    ----------
    patterns : list of str
        Regular expressions, matched at the start of the name (``re.match``).
    initializers : list of Initializer
        One per pattern (instances, or names/JSON strings for :func:`create`).

    Raises
    ------
    ValueError
        When a name matches no pattern (end the list with ``'.*'`` for a default).

    >>> init = mx.init.Mixed(['bias', '.*'], [mx.init.Zero(), mx.init.Uniform(0.1)])
    """

    def __init__(self, patterns, initializers):
        patterns, initializers = list(patterns), list(initializers)
        if len(patterns) != len(initializers):
            raise GluonicValueError(
                "Mixed: patterns and initializers must have the same length. "
                f"Received: {len(patterns)} patterns, {len(initializers)} initializers"
            )
        super().__init__()
        inits = [create(i) if isinstance(i, str) else i for i in initializers]
        self.map = list(zip([re.compile(p) for p in patterns], inits))

    def __call__(self, name, arr) -> None:
        for prog, init in self.map:
            if prog.match(name):
                init(name, arr)
                return
        raise GluonicValueError(
            f"Mixed: parameter name {str(name)!r} did not match any pattern; consider adding a '.*' pattern "
            f"at the end with a default initializer. Received: patterns {[p.pattern for p, _ in self.map]}"
        )

    def __repr__(self) -> str:
        return f"Mixed(patterns={[p.pattern for p, _ in self.map]!r}, initializers={[i for _, i in self.map]!r})"


class Load(_Composite):
    """Initializes parameters with arrays loaded from a file or a dict, by name.

    ``arg:`` / ``aux:`` prefixes of the loaded names (MXNet's checkpoint files) are dropped.
    Parameters not found are left to ``default_init``.

    Parameters
    ----------
    param : str or dict of str to NDArray
        A file saved by ``nd.save`` (a dict save), or the dict itself.
    default_init : Initializer, optional
        For parameters not in ``param``.
    verbose : bool
        Log (``logging.info``) where each parameter came from.

    Raises
    ------
    ValueError
        On ``__call__``: the loaded array's shape differs from the parameter's, or the
        name is missing and there is no ``default_init``.
    """

    def __init__(self, param, default_init=None, verbose: bool = False):
        if isinstance(param, (str, os.PathLike)):
            from ..ndarray.utils import load

            param = load(param)
        if not isinstance(param, dict):
            raise GluonicTypeError(
                "Load: param must be a dict of name to NDArray, or a file saved from one. "
                f"Received: {type(param).__name__}"
            )
        super().__init__()
        self.param = {}
        for name, arr in param.items():
            self.param[name[4:] if name.startswith(("arg:", "aux:")) else name] = arr
        self.default_init = default_init
        self.verbose = verbose

    def __call__(self, name, arr) -> None:
        if name in self.param:
            src = self.param[name]
            if tuple(arr.shape) != tuple(src.shape):
                raise GluonicValueError(
                    f"Parameter {str(name)} cannot be initialized from loading. Shape mismatch, "
                    f"target {tuple(arr.shape)} vs loaded {tuple(src.shape)}. Received: loaded shape {tuple(src.shape)}"
                )
            _write(arr, src)
            if self.verbose:
                logging.info("Initialized %s by loading", name)
            return
        if self.default_init is None:
            known = sorted(self.param)
            shown = ", ".join(known[:10]) + (", ..." if len(known) > 10 else "")
            raise GluonicValueError(
                f"Cannot initialize {str(name)}: not found in the loaded params and no default initializer "
                f"is provided (pass default_init=...). Received: loaded names [{shown}]"
            )
        self.default_init(name, arr)
        if self.verbose:
            logging.info("Initialized %s by default", name)

    def __repr__(self) -> str:
        return f"Load({len(self.param)} arrays, default_init={self.default_init!r})"


_GATES = {"rnn_relu": [""], "rnn_tanh": [""], "lstm": ["_i", "_f", "_c", "_o"], "gru": ["_r", "_z", "_o"]}


@register
class FusedRNN(Initializer):
    """Initializes the flat parameter vector of a fused RNN (the ``RNN`` op's ``parameters``).

    The vector is cut as MXNet's ``FusedRNNCell`` lays it out: for each layer and direction
    (``l``, ``r``) the input-to-hidden then hidden-to-hidden weights of each gate
    (``l0_i2h_f_weight`` ...), then all biases in the same order. Each piece is initialized
    as a parameter of that name with ``init`` (or the global initializer when ``init`` is
    None); for ``mode='lstm'`` the forget-gate biases get ``forget_bias``.

    Parameters
    ----------
    init : Initializer, str or None
        For the unpacked pieces (a name or ``dumps()`` string works too, unlike MXNet).
    num_hidden, num_layers : int
    mode : {'rnn_relu', 'rnn_tanh', 'lstm', 'gru'}
    bidirectional : bool
    forget_bias : float
    """

    def __init__(self, init, num_hidden: int, num_layers: int, mode: str, bidirectional: bool = False,
                 forget_bias: float = 1.0):
        if mode not in _GATES:
            raise GluonicValueError(f"FusedRNN: mode must be one of {sorted(_GATES)}. Received: {mode!r}")
        if isinstance(init, str):
            init = create(init)
        super().__init__(init=init.dumps() if init is not None else None, num_hidden=num_hidden,
                         num_layers=num_layers, mode=mode, bidirectional=bidirectional, forget_bias=forget_bias)
        self._init = init
        self._num_hidden = num_hidden
        self._num_layers = num_layers
        self._mode = mode
        self._bidirectional = bidirectional
        self._forget_bias = forget_bias

    def _pieces(self, flat: torch.Tensor) -> list[tuple[str, torch.Tensor]]:
        """(name, view) for each weight and bias of ``flat``, in MXNet's order."""
        gates = _GATES[self._mode]
        dirs = ["l", "r"] if self._bidirectional else ["l"]
        b, m, h, layers = len(dirs), len(gates), self._num_hidden, self._num_layers
        size = flat.numel()
        n_in = size // b // h // m - (layers - 1) * (h + b * h + 2) - h - 2 if b * h * m else 0
        expected = (n_in + h + 2) * h * m * b + (layers - 1) * m * h * (h + b * h + 2) * b
        if n_in <= 0 or expected != size:
            raise GluonicValueError(
                f"FusedRNN: the parameter vector's size fits no input size for mode={self._mode!r}, "
                f"num_hidden={h}, num_layers={layers}, bidirectional={self._bidirectional}. Received: size {size}"
            )
        out, p = [], 0
        for layer in range(layers):
            cols = n_in if layer == 0 else b * h
            for d in dirs:
                for group, width in (("i2h", cols), ("h2h", h)):
                    for g in gates:
                        out.append((f"{d}{layer}_{group}{g}_weight", flat[p:p + h * width].view(h, width)))
                        p += h * width
        for layer in range(layers):
            for d in dirs:
                for group in ("i2h", "h2h"):
                    for g in gates:
                        out.append((f"{d}{layer}_{group}{g}_bias", flat[p:p + h]))
                        p += h
        return out

    def _init_weight(self, desc, arr) -> None:
        shape, dtype, device, ctx = _where(arr)
        work = torch.zeros(math.prod(shape), dtype=dtype if isinstance(arr, NDArray) else torch.float32, device=device)
        global_init = getattr(desc, "global_init", None)
        init = self._init
        if init is None and (global_init is None or isinstance(global_init, FusedRNN)):
            raise GluonicValueError(
                f"FusedRNN: parameter {str(desc)!r} needs an initializer for its pieces: pass init=..., or "
                f"initialize with another global initializer. Received: init=None, global initializer {global_init!r}"
            )
        for name, view in self._pieces(work):
            piece = from_torch(view, ctx)
            if self._mode == "lstm" and name.endswith("_f_bias"):
                _write(piece, self._forget_bias)
            else:
                (init or global_init)(InitDesc(name, global_init=global_init), piece)
        _write(arr, work.reshape(shape))
