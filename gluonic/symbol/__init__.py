"""``mx.sym``: symbolic graphs built from the same op registry as ``mx.nd``."""
from ..ndarray import _namespace as _nd_namespace
from ..ops import registry as _registry
from ..ops.signature import make_function as _make_function
from . import evaluate
from ._compose import symbol_invoke as _symbol_invoke
from .serialize import fromjson, load, load_json
from .symbol import Group, Symbol, Variable, var

_nd_namespace.set_symbol_invoke(_symbol_invoke)


def _build() -> dict:
    """``sym`` functions for every registered name, in MXNet's namespaces (as for ``nd``)."""
    spaces: dict[str, dict] = {k: {} for k in ("top", "_internal", "contrib", "linalg", "random", "image")}
    for name in _registry.all_names():
        op = _registry.get(name)
        for prefix, (sub, top_prefix) in _nd_namespace._PREFIXES.items():
            if name.startswith(prefix):
                short = name[len(prefix):]
                spaces[sub][short] = _make_function(op, short, _symbol_invoke, f"gluonic.symbol.{sub}")
                spaces["_internal"][name] = _make_function(op, name, _symbol_invoke, "gluonic.symbol._internal")
                if top_prefix:
                    spaces["top"][top_prefix + short] = _make_function(op, top_prefix + short, _symbol_invoke,
                                                                       "gluonic.symbol")
                break
        else:
            fn = _make_function(op, name, _symbol_invoke, "gluonic.symbol")
            spaces["_internal" if name.startswith("_") else "top"][name] = fn
    return spaces


_FUNCTIONS = _build()
globals().update(_FUNCTIONS["top"])


def _attach_methods() -> None:
    """Symbol has the same operator methods as NDArray (``x.sum()``, ``x.clip(0, 1)``)."""
    from ..ndarray._methods import OP_METHODS

    for method_name in OP_METHODS:
        fn = _FUNCTIONS["top"].get(method_name)
        if fn is not None and method_name not in Symbol.__dict__:
            def method(self, *args, _fn=fn, **kwargs):
                return _fn(self, *args, **kwargs)

            method.__name__ = method_name
            method.__doc__ = f"Method form of ``sym.{method_name}`` with this symbol as the first input."
            setattr(Symbol, method_name, method)


_attach_methods()

from .creation import *  # noqa: E402,F403  (hand-written functions take precedence)
from .creation import __all__ as _creation_all  # noqa: E402


class _Namespace:
    def __init__(self, functions: dict):
        self.__dict__.update(functions)


_internal = _Namespace(_FUNCTIONS["_internal"])
contrib = _Namespace(_FUNCTIONS["contrib"])
linalg = _Namespace(_FUNCTIONS["linalg"])
random = _Namespace(_FUNCTIONS["random"])
image = _Namespace(_FUNCTIONS["image"])

__all__ = ["Symbol", "var", "Variable", "Group", "load", "load_json", "fromjson", "evaluate", *_creation_all]
