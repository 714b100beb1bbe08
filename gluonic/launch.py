"""``gluonic-launch``: start the workers of a distributed job (a thin wrapper over ``torchrun``).

    gluonic-launch -n 2 python train.py --epochs 3        # 2 workers on this machine
    gluonic-launch -n 4 --nnodes 2 --node-rank 0 --master-addr 10.0.0.1 python train.py

One machine: the workers meet on 127.0.0.1 at a free port. Several machines: run the same
command on each with its ``--node-rank`` and rank 0's ``--master-addr``. Each worker gets
``RANK``, ``WORLD_SIZE``, ``LOCAL_RANK``, ``MASTER_ADDR`` and ``MASTER_PORT``, which
``mx.kv.create('dist_sync')`` reads; ``OMP_NUM_THREADS`` defaults to 1 per worker
(``--threads`` changes it). MXNet's ``tools/launch.py`` options ``-s/--num-servers`` and
``--launcher local`` are accepted (there are no servers to start). If a worker fails, torchrun
stops the others and the launcher exits with a non-zero status.
"""
from __future__ import annotations

import argparse
import os
import socket
import subprocess
import sys

__all__ = ["main", "build_command"]


def _free_port(host: str) -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind((host, 0))
        return s.getsockname()[1]


def _parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(prog="gluonic-launch", description=__doc__.split("\n\n")[0],
                                formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("-n", "--num-workers", type=int, required=True, help="workers on this machine")
    p.add_argument("-s", "--num-servers", type=int, default=0, help="ignored: gluonic needs no parameter servers")
    p.add_argument("--launcher", default="local", help="only 'local' (run this on every machine for several)")
    p.add_argument("--nnodes", type=int, default=1, help="number of machines")
    p.add_argument("--node-rank", type=int, default=0, help="index of this machine")
    p.add_argument("--master-addr", default="127.0.0.1", help="address of the machine with rank 0")
    p.add_argument("--master-port", type=int, default=0, help="rendezvous port (default: a free one)")
    p.add_argument("--threads", type=int, default=None, help="OMP_NUM_THREADS per worker (default 1)")
    p.add_argument("command", nargs=argparse.REMAINDER, help="the training command, e.g. python train.py")
    return p


def build_command(argv: list[str]) -> tuple[list[str], dict[str, str]]:
    """The torchrun command line and environment for ``gluonic-launch`` arguments ``argv``."""
    parser = _parser()
    args = parser.parse_args(argv)
    if args.launcher != "local":
        parser.error(f"--launcher {args.launcher}: gluonic starts the workers of one machine; run gluonic-launch "
                     "on each machine with --nnodes, --node-rank and --master-addr instead")
    if args.num_workers < 1:
        parser.error(f"-n must be at least 1. Received: {args.num_workers}")
    command = list(args.command)
    if command and command[0] == "--":
        command = command[1:]
    if not command:
        parser.error("the training command is missing, e.g. gluonic-launch -n 2 python train.py")
    if command[0].endswith(".py"):
        command = [sys.executable, *command]
    if args.nnodes > 1 and args.master_port == 0:
        parser.error("--master-port is needed with several machines (the same on every machine)")
    port = args.master_port or _free_port(args.master_addr)
    cmd = [sys.executable, "-m", "torch.distributed.run", f"--nnodes={args.nnodes}",
           f"--nproc-per-node={args.num_workers}", f"--node-rank={args.node_rank}",
           f"--master-addr={args.master_addr}", f"--master-port={port}", "--no-python", *command]
    environ = dict(os.environ)
    environ["OMP_NUM_THREADS"] = str(args.threads) if args.threads else environ.get("OMP_NUM_THREADS", "1")
    return cmd, environ


def main(argv: list[str] | None = None) -> int:
    cmd, environ = build_command(sys.argv[1:] if argv is None else argv)
    try:
        return subprocess.call(cmd, env=environ)
    except KeyboardInterrupt:
        return 130


if __name__ == "__main__":
    sys.exit(main())
