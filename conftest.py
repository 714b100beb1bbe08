"""pytest configuration: doctest namespace, seeds printed on failure, GPU skip marker.

``GLUONIC_TEST_CTX=gpu(0)`` runs every test with that default context, so arrays made
without ``ctx=`` (most tests' arrays) live on the GPU. A test after which the GPU reports
an error (a device-side assert poisons the process's CUDA context) ends its worker
process with that error printed, so each such failure is charged to the test that caused
it (run with ``pytest -n N``: xdist starts a fresh worker).
"""
import os
import random
import sys

import numpy as np
import pytest
import torch

# Tests use tiny tensors: one intra-op thread avoids thread contention on small machines.
torch.set_num_threads(1)

# Doctests show NumPy scalars as MXNet users see them (``12.0``, not ``np.float32(12.0)``).
try:
    np.set_printoptions(legacy="1.25")
except (ValueError, TypeError):  # NumPy < 2 already prints that way
    pass


@pytest.fixture(autouse=True)
def _doctest_names(doctest_namespace, request):
    import gluonic as mx

    doctest_namespace["mx"] = mx
    # In the NumPy-interface modules, `np` in an example is gluonic's np (mx.np), elsewhere NumPy.
    module = getattr(getattr(request.node, "dtest", None), "globs", {}).get("__name__", "")
    doctest_namespace["np"] = mx.np if module.startswith(("gluonic.numpy", "gluonic.numpy_extension")) else np
    doctest_namespace["npx"] = mx.npx


@pytest.fixture(autouse=True)
def _restore_np_mode():
    """A test that switches NumPy mode on (npx.set_np) cannot leak it into the next test."""
    from gluonic import util

    shape, array = util.is_np_shape(), util.is_np_array()
    yield
    util.set_np_shape(shape)
    util._np_array.set(array)


_TEST_CTX = os.environ.get("GLUONIC_TEST_CTX")


@pytest.fixture(autouse=True)
def _default_context(request):
    if not _TEST_CTX:
        yield
        return
    from gluonic.context import as_context

    with as_context(_TEST_CTX):
        yield
    if torch.cuda.is_initialized():
        try:
            torch.cuda.synchronize()
        except Exception as e:  # noqa: BLE001 (any CUDA error ends the process)
            print(f"\nCUDA error after {request.node.nodeid}: {e}", file=sys.stderr, flush=True)
            os._exit(70)


@pytest.fixture(autouse=True)
def _seed(request):
    """Seed every RNG per test; the seed is shown when a test fails."""
    seed = int(os.environ.get("GLUONIC_TEST_SEED", "1234"))
    random.seed(seed)
    np.random.seed(seed)
    torch.manual_seed(seed)
    import gluonic as mx

    mx.random.seed(seed)
    request.node.user_properties.append(("seed", seed))
    yield


def pytest_runtest_makereport(item, call):
    if call.excinfo is not None and call.when == "call":
        seeds = [v for k, v in item.user_properties if k == "seed"]
        if seeds:
            item.add_report_section("call", "seed", f"GLUONIC_TEST_SEED={seeds[0]}")


def pytest_collection_modifyitems(config, items):
    if not torch.cuda.is_available():
        skip = pytest.mark.skip(reason="no GPU")
        for item in items:
            if "gpu" in item.keywords:
                item.add_marker(skip)


# Generator scripts for golden files run under real MXNet, not in the suite.
collect_ignore_glob = ["tests/*make_*.py"]
