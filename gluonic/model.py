"""``mx.model``: symbolic checkpoints in MXNet's file layout.

A checkpoint is two files: ``prefix-symbol.json`` (the graph) and ``prefix-%04d.params``
(the arrays, keyed ``arg:<name>`` for arguments and ``aux:<name>`` for auxiliary states).
Files written by real MXNet load here, and the other way round.

>>> import gluonic as mx
>>> from gluonic import model
>>> # model.save_checkpoint("mlp", 3, net, arg_params, aux_params)   # mlp-symbol.json, mlp-0003.params
>>> # net, arg_params, aux_params = model.load_checkpoint("mlp", 3)
"""
from __future__ import annotations

import logging
from collections import namedtuple

from . import ndarray as nd
from . import symbol as sym
from .base import FileFormatError
from .context import cpu

__all__ = ["save_checkpoint", "load_checkpoint", "load_params", "BatchEndParam"]

#: What batch-end callbacks receive (MXNet's ``mx.model.BatchEndParam``).
BatchEndParam = namedtuple("BatchEndParams", ["epoch", "nbatch", "eval_metric", "locals"])


def save_checkpoint(prefix: str, epoch: int, symbol, arg_params: dict, aux_params: dict,
                    remove_amp_cast: bool = True) -> None:
    """Write ``prefix-symbol.json`` (unless ``symbol`` is None) and ``prefix-%04d.params``.

    Parameters
    ----------
    prefix : str
        Path prefix of the two files.
    epoch : int
        Epoch number, written with four digits (``-0003.params``).
    symbol : Symbol or None
        The network.
    arg_params, aux_params : dict of str to NDArray
        Weights and auxiliary states (BatchNorm's moving statistics), saved on the CPU.
    remove_amp_cast : bool
        Drop ``amp_cast`` nodes from the saved graph (gluonic graphs contain none).
    """
    if symbol is not None:
        symbol.save(f"{prefix}-symbol.json", remove_amp_cast=remove_amp_cast)
    save_dict = {f"arg:{k}": v.as_in_context(cpu()) for k, v in arg_params.items()}
    save_dict.update({f"aux:{k}": v.as_in_context(cpu()) for k, v in aux_params.items()})
    param_name = f"{prefix}-{epoch:04d}.params"
    nd.save(param_name, save_dict)
    logging.info('Saved checkpoint to "%s"', param_name)


def load_params(prefix: str, epoch: int) -> tuple[dict, dict]:
    """``(arg_params, aux_params)`` from ``prefix-%04d.params``, split on the ``arg:``/``aux:`` key prefixes.

    Raises
    ------
    FileFormatError
        If the file holds a list (no names) or a key without an ``arg:``/``aux:`` prefix.
    """
    fname = f"{prefix}-{epoch:04d}.params"
    save_dict = nd.load(fname)
    arg_params: dict = {}
    aux_params: dict = {}
    if not save_dict:
        logging.warning("Params file '%s' is empty", fname)
        return arg_params, aux_params
    if not isinstance(save_dict, dict):
        raise FileFormatError(f"'{fname}' holds a list of {len(save_dict)} unnamed arrays; a checkpoint needs "
                              "'arg:<name>'/'aux:<name>' keys (save it with save_checkpoint)")
    for key, value in save_dict.items():
        kind, _, name = key.partition(":")
        if kind == "arg" and name:
            arg_params[name] = value
        elif kind == "aux" and name:
            aux_params[name] = value
        else:
            raise FileFormatError(
                f"'{fname}': key '{key}' is not 'arg:<name>' or 'aux:<name>'. A file written by "
                f"Block.save_parameters loads with load_parameters instead. Received: key {key!r}")
    return arg_params, aux_params


def load_checkpoint(prefix: str, epoch: int):
    """``(symbol, arg_params, aux_params)`` from ``prefix-symbol.json`` and ``prefix-%04d.params``.

    >>> # sym, args, auxs = mx.model.load_checkpoint("resnet-18", 0)
    >>> # ex = sym.simple_bind(mx.cpu(), data=(1, 3, 224, 224)); ex.copy_params_from(args, auxs)
    """
    symbol = sym.load(f"{prefix}-symbol.json")
    arg_params, aux_params = load_params(prefix, epoch)
    return symbol, arg_params, aux_params
