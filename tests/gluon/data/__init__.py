"""Tests of gluon.data. ``child_pids`` lists this process's children from /proc (zombies included)."""
import os


def child_pids(parent: int | None = None) -> set[int]:
    """PIDs whose parent is ``parent`` (default: this process), read from /proc; includes unreaped zombies."""
    parent = os.getpid() if parent is None else parent
    pids = set()
    for entry in os.listdir("/proc"):
        if not entry.isdigit():
            continue
        try:
            with open(f"/proc/{entry}/stat") as f:
                stat = f.read()
        except OSError:
            continue
        fields = stat[stat.rindex(")") + 2:].split()  # after "pid (comm) "
        if int(fields[1]) == parent:
            pids.add(int(entry))
    return pids


def alive(pid: int) -> bool:
    """Whether ``pid`` exists and is not a zombie."""
    try:
        with open(f"/proc/{pid}/stat") as f:
            stat = f.read()
    except OSError:
        return False
    return stat[stat.rindex(")") + 2] != "Z"
