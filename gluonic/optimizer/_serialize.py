"""Updater states (and optionally the optimizer) to bytes and back, without pickle.

MXNet pickles ``(states, optimizer)``; unpickling runs arbitrary code, so gluonic writes its
own format instead: an NDArray file (``nd.save``'s format, see ``docs/file_formats.md``)
whose arrays are the state arrays, named ``s<k>``, plus one uint8 array named
``__gluonic_states__`` holding a UTF-8 JSON header::

    {"format": "gluonic.updater_states", "version": 1,
     "states": [[<index>, <state>], ...], "optimizer": null | <object>}

Values in the header are JSON values, with tagged objects for what JSON lacks:
``{"array": "s3"}`` (an array of the file), ``{"tuple": [...]}``, ``{"dict": [[k, v], ...]}``
(keys of any type), ``{"float": "inf"|"-inf"|"nan"}``, and
``{"object": "module:QualName", "attrs": {...}}`` for the optimizer and its learning-rate
scheduler. Loading only rebuilds classes that are already-imported subclasses of
:class:`Optimizer` or :class:`~gluonic.lr_scheduler.LRScheduler`; their ``__init__`` is
not run, their attributes are restored as saved. Round trips are exact.
"""
from __future__ import annotations

import json
import math

import numpy as np

from ..base import FileFormatError, GluonicTypeError
from ..io import ndarray_format as fmt
from ..ndarray.ndarray import NDArray, _wrap
from ..ndarray.utils import load_context

FORMAT = "gluonic.updater_states"
VERSION = 1
HEADER = "__gluonic_states__"


class _Writer:
    def __init__(self):
        self.arrays: list[fmt.StoredArray] = []
        self.names: list[str] = []

    def value(self, v, where: str):
        if v is None or isinstance(v, (bool, str)):
            return v
        if isinstance(v, (int, np.integer)):
            return int(v)
        if isinstance(v, (float, np.floating)):
            v = float(v)
            return v if math.isfinite(v) else {"float": repr(v)}
        if isinstance(v, NDArray):
            name = f"s{len(self.arrays)}"
            self.arrays.append(fmt.tensor_to_stored(v._tensor, v._ctx.device_typeid, v._ctx.device_id))
            self.names.append(name)
            return {"array": name}
        if isinstance(v, tuple):
            return {"tuple": [self.value(x, f"{where}[{i}]") for i, x in enumerate(v)]}
        if isinstance(v, list):
            return [self.value(x, f"{where}[{i}]") for i, x in enumerate(v)]
        if isinstance(v, dict):
            return {"dict": [[self.value(k, f"{where} key"), self.value(x, f"{where}[{k!r}]")] for k, x in v.items()]}
        if _is_restorable(type(v)):
            return self.obj(v, where)
        raise GluonicTypeError(f"Cannot save the optimizer state: {where} is a {type(v).__module__}."
                               f"{type(v).__qualname__}, which gluonic's state format does not hold (numbers, "
                               "strings, NDArrays, lists, tuples, dicts, optimizers and LR schedulers). "
                               f"Received: {v!r:.80}")

    def obj(self, o, where: str):
        attrs = {k: self.value(x, f"{where}.{k}") for k, x in vars(o).items() if k != "param_dict"}
        return {"object": f"{type(o).__module__}:{type(o).__qualname__}", "attrs": attrs}


def _is_restorable(klass: type) -> bool:
    from ..lr_scheduler import LRScheduler
    from .optimizer import Optimizer

    return issubclass(klass, (Optimizer, LRScheduler))


def _subclasses(base: type) -> list[type]:
    out, todo = [], [base]
    while todo:
        k = todo.pop()
        out.append(k)
        todo.extend(k.__subclasses__())
    return out


def _find_class(spec: str) -> type:
    from ..lr_scheduler import LRScheduler
    from .optimizer import Optimizer

    for base in (Optimizer, LRScheduler):
        for k in _subclasses(base):
            if f"{k.__module__}:{k.__qualname__}" == spec:
                return k
    name = spec.rpartition(":")[2].rpartition(".")[2].lower()  # moved module: fall back on the registry
    if name in Optimizer.opt_registry:
        return Optimizer.opt_registry[name]
    raise FileFormatError(f"The optimizer states name class {spec!r}, which is neither an imported Optimizer nor "
                          "an LRScheduler subclass; import the module that defines it before loading. "
                          f"Received: {spec!r}")


def dump_states(states: dict, optimizer=None) -> bytes:
    """``states`` (index -> state) and optionally ``optimizer``, as bytes."""
    w = _Writer()
    header = {
        "format": FORMAT,
        "version": VERSION,
        "states": [[w.value(k, "an index"), w.value(s, f"the state of index {k!r}")] for k, s in states.items()],
        "optimizer": None if optimizer is None else w.obj(optimizer, "optimizer"),
    }
    raw = np.frombuffer(json.dumps(header, allow_nan=False).encode("utf-8"), dtype=np.uint8).copy()
    arrays = [*w.arrays, fmt.StoredArray(raw, "uint8")]
    return fmt.to_bytes(arrays, [*w.names, HEADER])


class _Reader:
    def __init__(self, arrays: dict):
        self.arrays = arrays

    def value(self, v):
        if v is None or isinstance(v, (bool, int, float, str)):
            return v
        if isinstance(v, list):
            return [self.value(x) for x in v]
        if isinstance(v, dict) and len(v) == 1:
            (tag, x), = v.items()
            if tag == "array":
                return self.arrays[x]
            if tag == "tuple":
                return tuple(self.value(y) for y in x)
            if tag == "dict":
                return {self.value(k): self.value(y) for k, y in x}
            if tag == "float":
                return float(x)
        if isinstance(v, dict) and set(v) == {"object", "attrs"}:
            klass = _find_class(v["object"])
            o = klass.__new__(klass)
            o.__dict__.update({k: self.value(x) for k, x in v["attrs"].items()})
            if hasattr(klass, "opt_registry"):
                o.param_dict = {}
            return o
        raise FileFormatError(f"Unexpected value in the optimizer states header. Received: {v!r:.80}")


def load_states(buf: bytes) -> tuple[dict, object]:
    """The ``(states, optimizer or None)`` that :func:`dump_states` wrote."""
    if not isinstance(buf, (bytes, bytearray, memoryview)):
        raise GluonicTypeError(f"Updater states must be bytes. Received: {type(buf).__name__}")
    parsed = fmt.read_bytes(buf, "The optimizer states")
    named = dict(zip(parsed.names, parsed.arrays))
    if HEADER not in named:
        raise FileFormatError("These bytes are not gluonic optimizer states (no header array); states pickled by "
                              "MXNet cannot be loaded. Received: arrays " + ", ".join(parsed.names[:5]))
    header = json.loads(bytes(named.pop(HEADER).data).decode("utf-8"))
    if header.get("format") != FORMAT or header.get("version") != VERSION:
        raise FileFormatError(f"Unsupported optimizer states format. Received: {header.get('format')!r} "
                              f"version {header.get('version')!r}")
    arrays = {}
    for name, a in named.items():
        t = fmt.stored_to_tensor(a).clone()
        ctx = load_context(a.dev_type, a.dev_id)
        arrays[name] = _wrap(t.to(ctx.torch_device), ctx)
    r = _Reader(arrays)
    states = {r.value(k): r.value(s) for k, s in header["states"]}
    optimizer = None if header["optimizer"] is None else r.value(header["optimizer"])
    return states, optimizer
