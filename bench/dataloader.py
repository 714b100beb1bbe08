"""DataLoader throughput: gluonic vs ``torch.utils.data.DataLoader``, 0 and N worker processes.

Usage:
    python bench/dataloader.py [--samples 2048] [--batch-size 64] [--workers 2] [--epochs 3]

The dataset holds uint8 images of shape 3x64x64 in memory; the per-sample transform is
CPU-bound NumPy work (cast, random crop with padding, random flip, per-channel
normalization, a 3-tap blur). Both loaders run the same dataset and transform; gluonic
returns ``(NDArray data, NDArray label)``, torch ``(Tensor, Tensor)``. Prints samples/s
(best of ``--epochs`` epochs, after one warm-up epoch, which also pays the workers' start).
On a 2-core machine, 2 workers cannot beat 0 by more than about 2x, and less since the
main process needs a core too.
"""
from __future__ import annotations

import argparse
import os
import sys
import time

import numpy as np
import torch

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), ".."))

from gluonic.gluon import data as gdata  # noqa: E402

_MEAN = np.array([0.485, 0.456, 0.406], dtype=np.float32).reshape(3, 1, 1) * 255
_STD = np.array([0.229, 0.224, 0.225], dtype=np.float32).reshape(3, 1, 1) * 255


def transform(img: np.ndarray) -> np.ndarray:
    """uint8 (3, 64, 64) -> normalized, augmented float32 (3, 64, 64)."""
    x = np.pad(img, ((0, 0), (4, 4), (4, 4)), mode="reflect").astype(np.float32)
    i, j = np.random.randint(0, 9, size=2)
    x = x[:, i:i + 64, j:j + 64]
    if np.random.rand() < 0.5:
        x = x[:, :, ::-1]
    x = (x - _MEAN) / _STD
    x = (x[:, :, :-2] + 2 * x[:, :, 1:-1] + x[:, :, 2:]) * 0.25
    return np.ascontiguousarray(np.pad(x, ((0, 0), (0, 0), (1, 1)), mode="edge"))


class ImageSet:
    """Plain in-memory image dataset: ``(transform(image), label)``."""

    def __init__(self, n: int, as_torch: bool = False):
        rng = np.random.default_rng(0)
        self.images = rng.integers(0, 256, size=(n, 3, 64, 64), dtype=np.uint8)
        self.labels = rng.integers(0, 10, size=n)
        self.as_torch = as_torch

    def __len__(self) -> int:
        return len(self.images)

    def __getitem__(self, i):
        x = transform(self.images[i])
        if self.as_torch:
            return torch.from_numpy(x), int(self.labels[i])
        return x, int(self.labels[i])


def _epoch_rate(loader) -> tuple[float, int]:
    t0 = time.perf_counter()
    count = 0
    for x, _y in loader:
        count += x.shape[0]
    return count / (time.perf_counter() - t0), count


def _rates(make_loaders, n: int, epochs: int) -> list[float]:
    """Best samples/s of each loader over ``epochs`` epochs, run in alternation (fair on a noisy machine)."""
    loaders = [make() for make in make_loaders]
    for loader in loaders:  # warm-up
        _epoch_rate(loader)
    best = [0.0] * len(loaders)
    for _ in range(epochs):
        for i, loader in enumerate(loaders):
            rate, count = _epoch_rate(loader)
            assert count == n
            best[i] = max(best[i], rate)
    return best


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--samples", type=int, default=2048)
    ap.add_argument("--batch-size", type=int, default=64)
    ap.add_argument("--workers", type=int, default=2)
    ap.add_argument("--epochs", type=int, default=3)
    args = ap.parse_args()
    torch.set_num_threads(1)
    g_ds, t_ds = ImageSet(args.samples), ImageSet(args.samples, as_torch=True)
    rows = []
    for nw in (0, args.workers):
        g, t = _rates([
            lambda nw=nw: gdata.DataLoader(gdata.SimpleDataset(g_ds), args.batch_size, shuffle=True, num_workers=nw),
            lambda nw=nw: torch.utils.data.DataLoader(t_ds, args.batch_size, shuffle=True, num_workers=nw),
        ], args.samples, args.epochs)
        rows.append((nw, g, t))
    print(f"DataLoader, {args.samples} samples of 3x64x64, batch {args.batch_size}, {os.cpu_count()} CPUs")
    print(f"{'workers':>8} {'gluonic (samples/s)':>20} {'torch (samples/s)':>18} {'gluonic/torch':>14}")
    for nw, g, t in rows:
        print(f"{nw:>8} {g:>20,.0f} {t:>18,.0f} {g / t:>14.2f}")


if __name__ == "__main__":
    main()
