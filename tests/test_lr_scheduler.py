"""mx.lr_scheduler against learning rates recorded from real MXNet 1.9.1, and its errors."""
import json
import logging
import os
import sys

import pytest

from gluonic import lr_scheduler

HERE = os.path.join(os.path.dirname(os.path.abspath(__file__)), "optimizer")
sys.path.insert(0, HERE)
from cases import SCHEDULER_UPDATES, SCHEDULERS  # noqa: E402


@pytest.fixture(scope="module")
def golden():
    with open(os.path.join(HERE, "lr_scheduler_golden.json")) as f:
        return json.load(f)


@pytest.mark.parametrize("case,cls,kwargs", SCHEDULERS, ids=[c[0] for c in SCHEDULERS])
def test_matches_mxnet(golden, case, cls, kwargs):
    sched = getattr(lr_scheduler, cls)(**kwargs)
    assert [sched(n) for n in SCHEDULER_UPDATES] == golden[case]  # exact: same float operations


def test_factor_scheduler_jumps_when_resuming(caplog):
    s = lr_scheduler.FactorScheduler(step=10, factor=0.5, base_lr=1.0)
    with caplog.at_level(logging.INFO):
        assert s(35) == 0.125
    assert "Change learning rate" in caplog.text
    s = lr_scheduler.FactorScheduler(step=1, factor=0.1, stop_factor_lr=0.05, base_lr=1.0)
    assert s(5) == 0.05


def test_warmup_modes():
    s = lr_scheduler.PolyScheduler(max_update=10, base_lr=1.0, warmup_steps=4, warmup_begin_lr=0.2)
    assert [s(n) for n in range(4)] == pytest.approx([0.2, 0.4, 0.6, 0.8])
    s = lr_scheduler.CosineScheduler(max_update=10, base_lr=1.0, warmup_steps=4, warmup_begin_lr=0.2,
                                     warmup_mode="constant")
    assert [s(n) for n in range(4)] == [0.2] * 4 and s(4) == 1.0 and s(10) == 0.0 and s(50) == 0.0
    with pytest.raises(ValueError):
        s.get_warmup_lr(4)


def test_base_scheduler_is_abstract():
    with pytest.raises(NotImplementedError):
        lr_scheduler.LRScheduler()(1)


@pytest.mark.parametrize("make,match", [
    (lambda: lr_scheduler.FactorScheduler(step=0), "greater or equal than 1"),
    (lambda: lr_scheduler.FactorScheduler(step=2, factor=1.5), "no more than 1"),
    (lambda: lr_scheduler.MultiFactorScheduler(step=[3, 2]), "increasing"),
    (lambda: lr_scheduler.MultiFactorScheduler(step=[0, 2]), "greater or equal than 1"),
    (lambda: lr_scheduler.MultiFactorScheduler(step=5), "non-empty list"),
    (lambda: lr_scheduler.MultiFactorScheduler(step=[2], factor=2), "no more than 1"),
    (lambda: lr_scheduler.PolyScheduler(max_update=0), "strictly positive"),
    (lambda: lr_scheduler.CosineScheduler(max_update=0), "strictly positive"),
    (lambda: lr_scheduler.LRScheduler(base_lr=0.1, warmup_begin_lr=0.5), "higher than warmup_begin_lr"),
    (lambda: lr_scheduler.LRScheduler(warmup_steps=-1), "positive or 0"),
    (lambda: lr_scheduler.LRScheduler(warmup_mode="cosine"), "linear and constant"),
])
def test_invalid_arguments(make, match):
    with pytest.raises(ValueError, match=match):
        make()


@pytest.mark.parametrize("make", [
    lambda: lr_scheduler.PolyScheduler(max_update=10.0),
    lambda: lr_scheduler.CosineScheduler(max_update="10"),
    lambda: lr_scheduler.LRScheduler(warmup_steps=2.0),
])
def test_integer_arguments(make):
    with pytest.raises(TypeError):
        make()
