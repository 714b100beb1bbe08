"""The ``gluonic`` command: ``gluonic run script.py [args...]`` runs an unmodified MXNet script on gluonic.

``gluonic inspect`` and ``gluonic convert onnx`` look into and convert saved models (see ``_cli_model``).

``python -m gluonic run train.py --epochs 3`` is the same. The script sees
``sys.argv == ["train.py", "--epochs", "3"]`` and ``import mxnet`` gives gluonic.
"""
from __future__ import annotations

import argparse
import os
import runpy
import sys


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="gluonic", description="gluonic: the MXNet Gluon API on PyTorch")
    sub = parser.add_subparsers(dest="command", required=True)
    run = sub.add_parser("run", help="run an MXNet script with `import mxnet` mapped to gluonic")
    run.add_argument("script", help="path of the Python script")
    run.add_argument("args", nargs=argparse.REMAINDER, help="arguments passed to the script")
    from ._cli_model import add_subcommands, run_command

    add_subcommands(sub)  # inspect, convert
    ns = parser.parse_args(argv)
    if ns.command != "run":
        return run_command(ns)
    if not os.path.isfile(ns.script):
        parser.error(f"no such script: {ns.script}")
    from .compat import install_mxnet_alias

    install_mxnet_alias()
    sys.argv = [ns.script, *ns.args]
    sys.path.insert(0, os.path.dirname(os.path.abspath(ns.script)))
    runpy.run_path(ns.script, run_name="__main__")
    return 0


if __name__ == "__main__":
    sys.exit(main())
