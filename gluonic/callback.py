"""``mx.callback``: the batch-end and epoch-end callbacks of MXNet 1.9's ``Module.fit``.

Batch-end callbacks receive a ``BatchEndParam(epoch, nbatch, eval_metric, locals)``;
epoch-end callbacks receive ``(epoch, symbol, arg_params, aux_params)``. They report
through ``logging`` with MXNet's message formats, so log parsers written for MXNet work.

>>> import gluonic as mx
>>> # mod.fit(train_iter, num_epoch=5,
>>> #         batch_end_callback=mx.callback.Speedometer(batch_size=32, frequent=50),
>>> #         epoch_end_callback=mx.callback.do_checkpoint('mlp'))
"""
from __future__ import annotations

import logging
import math
import time
from collections.abc import Callable

from .model import save_checkpoint

__all__ = ["module_checkpoint", "do_checkpoint", "log_train_metric", "Speedometer", "ProgressBar",
           "LogValidationMetricsCallback"]


def module_checkpoint(mod, prefix: str, period: int = 1, save_optimizer_states: bool = False) -> Callable:
    """An epoch-end callback calling ``mod.save_checkpoint(prefix, epoch + 1)`` every ``period`` epochs.

    Unlike :func:`do_checkpoint` it can save the optimizer states too.
    """
    period = int(max(1, period))

    def _callback(iter_no, sym=None, arg=None, aux=None):
        if (iter_no + 1) % period == 0:
            mod.save_checkpoint(prefix, iter_no + 1, save_optimizer_states)

    return _callback


def do_checkpoint(prefix: str, period: int = 1) -> Callable:
    """An epoch-end callback writing ``prefix-symbol.json`` and ``prefix-%04d.params`` every ``period`` epochs.

    The epoch number in the file name is ``epoch + 1`` (the number of epochs done), as in MXNet.

    >>> # mod.fit(..., epoch_end_callback=mx.callback.do_checkpoint('mlp', period=2))
    """
    period = int(max(1, period))

    def _callback(iter_no, sym, arg, aux):
        if (iter_no + 1) % period == 0:
            save_checkpoint(prefix, iter_no + 1, sym, arg, aux)

    return _callback


def log_train_metric(period: int, auto_reset: bool = False) -> Callable:
    """A batch-end callback logging ``Iter[epoch] Batch[nbatch] Train-<metric>=<value>`` every ``period`` batches.

    With ``auto_reset`` the metric's local statistics are cleared after each report.
    """

    def _callback(param):
        if param.nbatch % period == 0 and param.eval_metric is not None:
            for name, value in param.eval_metric.get_name_value():
                logging.info("Iter[%d] Batch[%d] Train-%s=%f", param.epoch, param.nbatch, name, value)
            if auto_reset:
                param.eval_metric.reset_local()

    return _callback


class Speedometer:
    """A batch-end callback logging the training speed (samples/sec) and the metric every ``frequent`` batches.

    Parameters
    ----------
    batch_size : int
        Samples per batch (to turn batches per second into samples per second).
    frequent : int, default 50
        Report every ``frequent`` batches.
    auto_reset : bool, default True
        Clear the metric's local statistics after each report, so each line shows the
        metric over the last ``frequent`` batches (``Batch [50-100]``); otherwise the
        metric since the epoch began (``Batch [0-100]``).

    Logged as ``Epoch[0] Batch [50-100]\\tSpeed: 1234.56 samples/sec\\taccuracy=0.912500``
    (``Iter[0] Batch [100]\\tSpeed: ...`` without a metric).
    """

    def __init__(self, batch_size: int, frequent: int = 50, auto_reset: bool = True):
        self.batch_size = batch_size
        self.frequent = frequent
        self.init = False
        self.tic = 0.0
        self.last_count = 0
        self.auto_reset = auto_reset

    def __call__(self, param) -> None:
        count = param.nbatch
        if self.last_count > count:  # a new epoch began
            self.init = False
        self.last_count = count
        if not self.init:
            self.init = True
            self.tic = time.time()
            return
        if count % self.frequent != 0:
            return
        elapsed = time.time() - self.tic
        speed = self.frequent * self.batch_size / elapsed if elapsed > 0 else float("inf")
        if param.eval_metric is not None:
            name_value = param.eval_metric.get_name_value()
            pairs = [x for nv in name_value for x in nv]
            fields = "\t%s=%f" * len(name_value)
            if self.auto_reset:
                param.eval_metric.reset_local()
                logging.info("Epoch[%d] Batch [%d-%d]\tSpeed: %.2f samples/sec" + fields,
                             param.epoch, count - self.frequent, count, speed, *pairs)
            else:
                logging.info("Epoch[%d] Batch [0-%d]\tSpeed: %.2f samples/sec" + fields,
                             param.epoch, count, speed, *pairs)
        else:
            logging.info("Iter[%d] Batch [%d]\tSpeed: %.2f samples/sec", param.epoch, count, speed)
        self.tic = time.time()


class ProgressBar:
    """A batch-end callback logging a text progress bar ``[=====-----] 50%`` out of ``total`` batches.

    Parameters
    ----------
    total : int
        Batches in an epoch.
    length : int, default 80
        Characters in the bar.
    """

    def __init__(self, total: int, length: int = 80):
        self.bar_len = length
        self.total = total

    def __call__(self, param) -> None:
        count = param.nbatch
        filled = int(round(self.bar_len * count / float(self.total)))
        percents = math.ceil(100.0 * count / float(self.total))
        bar = "=" * filled + "-" * (self.bar_len - filled)
        logging.info("[%s] %s%s\r", bar, percents, "%")


class LogValidationMetricsCallback:
    """An eval-end callback logging ``Epoch[k] Validation-<metric>=<value>`` for each metric."""

    def __call__(self, param) -> None:
        if not param.eval_metric:
            return
        for name, value in param.eval_metric.get_name_value():
            logging.info("Epoch[%d] Validation-%s=%f", param.epoch, name, value)
