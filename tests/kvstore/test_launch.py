"""``gluonic-launch`` runs the distributed example with 2 worker processes (real interpreters via torchrun)."""
import os
import subprocess
import sys

import pytest

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))


@pytest.mark.slow
def test_launcher_runs_the_example_with_two_workers_and_resumes(tmp_path):
    example = os.path.join(ROOT, "examples", "distributed_mnist.py")
    ckpt = str(tmp_path / "ckpt")

    def launch(epochs):
        cmd = [sys.executable, "-m", "gluonic.launch", "-n", "2", sys.executable, example, "--epochs", str(epochs),
               "--batch-size", "128", "--checkpoint", ckpt]
        # The workers import this checkout, whatever gluonic is installed (or not) in the interpreter.
        env = {**os.environ, "PYTHONPATH": os.pathsep.join(filter(None, [ROOT, os.environ.get("PYTHONPATH")]))}
        done = subprocess.run(cmd, capture_output=True, text=True, cwd=ROOT, timeout=180, env=env)
        assert done.returncode == 0, (done.stdout + done.stderr)[-3000:]
        return done.stdout

    first = launch(1)
    assert "workers: 2" in first and os.path.exists(ckpt + ".params")
    second = launch(2)  # a new job continues after rank 0's checkpoint of epoch 1
    assert "resumed from" in second and "epoch   2" in second and "epoch   1" not in second
