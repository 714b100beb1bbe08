"""Typed attribute schemas for operators, parsing MXNet's string attributes.

An op's attributes are declared once, like a dataclass::

    class FullyConnectedAttrs(Attrs):
        num_hidden: int
        no_bias: bool = False
        flatten: bool = True

``FullyConnectedAttrs.parse("FullyConnected", {"num_hidden": "10", "no_bias": "True"})``
accepts Python values or the strings MXNet writes into ``-symbol.json`` files
(``"(3, 3)"``, ``"True"``, ``"relu"``, ``"None"``) and returns a frozen instance.
Supported annotations: ``int``, ``float``, ``bool``, ``str``, ``Shape`` (tuple of
ints), ``Floats`` (tuple of floats), ``X | None``, ``Literal[...]`` and ``DType``.
"""
from __future__ import annotations

import ast
import dataclasses
import types
import typing
from typing import Any, ClassVar, Literal, Union

import numpy as np

from ..base import GluonicTypeError, GluonicValueError

__all__ = ["Attrs", "Shape", "Floats", "DType", "format_attr", "Literal"]

Shape = tuple[int, ...]
Floats = tuple[float, ...]


class DType(str):
    """Annotation for a dtype attribute: stored as a NumPy dtype name (``'float32'``)."""


_REQUIRED = dataclasses.MISSING


def _parse_bool(v: Any) -> bool:
    if isinstance(v, str):
        s = v.strip().lower()
        if s in ("true", "1"):
            return True
        if s in ("false", "0"):
            return False
        raise ValueError(f"not a boolean: {v!r}")
    if isinstance(v, (bool, int, np.bool_, np.integer)):
        return bool(v)
    raise ValueError(f"not a boolean: {v!r}")


def _parse_int(v: Any) -> int:
    if isinstance(v, str):
        v = ast.literal_eval(v.strip())
    if isinstance(v, (bool, np.bool_)):
        return int(v)
    if isinstance(v, (int, np.integer)):
        return int(v)
    if isinstance(v, (float, np.floating)) and float(v).is_integer():
        return int(v)
    raise ValueError(f"not an integer: {v!r}")


def _parse_float(v: Any) -> float:
    if isinstance(v, str):
        s = v.strip()
        low = s.lower()
        if low in ("inf", "+inf", "infinity"):
            return float("inf")
        if low in ("-inf", "-infinity"):
            return float("-inf")
        if low == "nan":
            return float("nan")
        return float(s)
    if isinstance(v, (int, float, np.integer, np.floating)) and not isinstance(v, bool):
        return float(v)
    raise ValueError(f"not a number: {v!r}")


def _parse_tuple(item_parser):
    def parse(v: Any) -> tuple:
        if isinstance(v, str):
            s = v.strip()
            if s in ("", "()", "[]"):
                return ()
            s = s.replace("None", "'None'") if "None" in s else s
            v = ast.literal_eval(s)
        if isinstance(v, np.ndarray):
            v = v.tolist()
        if isinstance(v, (list, tuple)):
            return tuple(None if x == "None" or x is None else item_parser(x) for x in v)
        return (item_parser(v),)

    return parse


def _parse_dtype(v: Any) -> str:
    from .._dtype import name

    return name(v.strip() if isinstance(v, str) else v)


def _parse_str(v: Any) -> str:
    return v if isinstance(v, str) else str(v)


def _converter(tp) -> tuple[typing.Callable[[Any], Any], bool]:
    """Return (parser, accepts_none) for an annotation."""
    origin = typing.get_origin(tp)
    if origin in (Union, types.UnionType):
        args = [a for a in typing.get_args(tp) if a is not type(None)]
        inner, _ = _converter(args[0])
        return inner, True
    if origin is Literal:
        choices = typing.get_args(tp)

        def parse_choice(v: Any) -> str:
            s = str(v).strip()
            if s not in choices:
                raise ValueError(f"must be one of {list(choices)}, got {v!r}")
            return s

        return parse_choice, False
    if origin is tuple:
        item = typing.get_args(tp)[0]
        return _parse_tuple(_converter(item)[0]), False
    if tp is DType:
        return _parse_dtype, False
    if tp is bool:
        return _parse_bool, False
    if tp is int:
        return _parse_int, False
    if tp is float:
        return _parse_float, False
    if tp is str or tp is Any:
        return _parse_str, False
    raise TypeError(f"unsupported attribute annotation {tp!r}")


class Attrs:
    """Base class of operator attribute schemas (see module docstring).

    Subclasses become frozen dataclasses; instances are hashable and compare by value.
    ``_given`` holds the names the caller set explicitly (what a symbol JSON stores).
    """

    _fields: ClassVar[dict[str, tuple[Any, Any, bool]]] = {}

    def __init_subclass__(cls, **kwargs):
        super().__init_subclass__(**kwargs)
        dataclasses.dataclass(frozen=True, eq=True)(cls)
        hints = typing.get_type_hints(cls, include_extras=False)
        fields = {}
        for f in dataclasses.fields(cls):
            parser, nullable = _converter(hints[f.name])
            fields[f.name] = (parser, f.default, nullable)
        cls._fields = fields

    @classmethod
    def parse(cls, op_name: str, kwargs: dict[str, Any]) -> Attrs:
        """Build an instance from Python values or MXNet attribute strings.

        Raises
        ------
        GluonicValueError
            For an unknown attribute name, a missing required one, or a value that
            does not parse.
        """
        values = {}
        fields = cls._fields
        for key, raw in kwargs.items():
            spec = fields.get(key)
            if spec is None:
                raise GluonicValueError(
                    f"Operator {op_name}: cannot find argument '{key}'. Possible arguments: "
                    f"{', '.join(fields) or '(none)'}. Received: {key}={raw!r}"
                )
            parser, _default, nullable = spec
            if raw is None or (isinstance(raw, str) and raw.strip() == "None"):
                if not nullable:
                    raise GluonicValueError(
                        f"Operator {op_name}: argument '{key}' cannot be None. Received: {key}={raw!r}"
                    )
                values[key] = None
                continue
            try:
                values[key] = parser(raw)
            except GluonicTypeError as e:  # a bad dtype: TypeError, as in MXNet
                raise GluonicTypeError(
                    f"Operator {op_name}: invalid value for argument '{key}': {e}"
                ) from None
            except (ValueError, SyntaxError, TypeError) as e:
                raise GluonicValueError(
                    f"Operator {op_name}: invalid value for argument '{key}': {e}. Received: {key}={raw!r}"
                ) from None
        for key, (_p, default, _n) in fields.items():
            if key not in values and default is _REQUIRED:
                raise GluonicValueError(
                    f"Operator {op_name}: required argument '{key}' is missing. Received: {sorted(kwargs)}"
                )
        return cls(**values)

    def replace(self, **changes) -> Attrs:
        return dataclasses.replace(self, **changes)

    def to_strings(self, names=None) -> dict[str, str]:
        """MXNet's string form of the attributes (all, or only ``names``)."""
        names = self._fields if names is None else names
        return {k: format_attr(getattr(self, k)) for k in names}


def format_attr(value: Any) -> str:
    """Format one attribute value the way MXNet writes it into symbol JSON."""
    if isinstance(value, bool):
        return "True" if value else "False"
    if value is None:
        return "None"
    if isinstance(value, tuple):
        inner = ", ".join(format_attr(v) for v in value)
        return f"({inner},)" if len(value) == 1 else f"({inner})"
    if isinstance(value, float):
        return repr(value)
    if isinstance(value, list):
        return format_attr(tuple(value))
    if isinstance(value, (type, np.dtype)) or value.__class__.__name__ == "dtype":  # np.float64, dtype('int32')
        from .._dtype import name

        try:
            return name(value)
        except Exception:  # noqa: BLE001 - not a dtype after all
            return str(value)
    return str(value)
