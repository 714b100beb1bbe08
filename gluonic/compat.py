"""Run unmodified MXNet programs: make ``import mxnet`` (and every ``mxnet.x.y``) import gluonic.

>>> from gluonic import compat
>>> compat.install_mxnet_alias()
>>> import mxnet
>>> mxnet.nd.ones((2,)).sum().asscalar()
2.0
>>> from mxnet import np as mnp
>>> mnp is compat.gluonic_module("numpy")
True
>>> compat.uninstall_mxnet_alias()

The command line form is ``gluonic run script.py [args...]`` (see :mod:`gluonic.__main__`).
"""
from __future__ import annotations

import importlib
import importlib.abc
import importlib.util
import sys

__all__ = ["install_mxnet_alias", "uninstall_mxnet_alias", "gluonic_module"]

_ALIAS = "mxnet"


def gluonic_module(name: str = ""):
    """The gluonic module standing for ``mxnet.<name>`` (``""``: the package itself)."""
    return importlib.import_module("gluonic" + ("." + name if name else ""))


class _AliasLoader(importlib.abc.Loader):
    def __init__(self, target: str):
        self._target = target

    def create_module(self, spec):
        return importlib.import_module(self._target)

    def exec_module(self, module) -> None:  # the gluonic module is already executed
        pass


class _MXNetFinder(importlib.abc.MetaPathFinder):
    """Resolves ``mxnet`` and ``mxnet.a.b`` to ``gluonic`` and ``gluonic.a.b``."""

    def find_spec(self, fullname, path=None, target=None):
        if fullname != _ALIAS and not fullname.startswith(_ALIAS + "."):
            return None
        real = "gluonic" + fullname[len(_ALIAS):]
        if importlib.util.find_spec(real) is None:
            return None
        return importlib.util.spec_from_loader(fullname, _AliasLoader(real))


_FINDER = _MXNetFinder()


def install_mxnet_alias() -> None:
    """Make ``import mxnet`` give gluonic (idempotent). Refuses when real MXNet is already imported."""
    existing = sys.modules.get(_ALIAS)
    if existing is not None and not existing.__name__.startswith("gluonic"):
        raise ImportError("The real mxnet package is already imported in this process; call "
                          "gluonic.compat.install_mxnet_alias() before anything imports mxnet")
    if _FINDER not in sys.meta_path:
        sys.meta_path.insert(0, _FINDER)


def uninstall_mxnet_alias() -> None:
    """Undo :func:`install_mxnet_alias` (modules already imported as ``mxnet.*`` are forgotten)."""
    if _FINDER in sys.meta_path:
        sys.meta_path.remove(_FINDER)
    for name in [n for n in sys.modules if n == _ALIAS or n.startswith(_ALIAS + ".")]:
        if sys.modules[name].__name__.startswith("gluonic"):
            del sys.modules[name]
