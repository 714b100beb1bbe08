"""``Block.summary``: MXNet's table of layers, output shapes and parameter counts."""
from __future__ import annotations

from collections import OrderedDict

from .. import ndarray as nd


def _shape_str(args) -> str:
    def shapes(a):
        if isinstance(a, (list, tuple)):
            return [shapes(x) for x in a]
        return a.shape if isinstance(a, nd.NDArray) else a

    s = shapes(args)
    if isinstance(s, list):
        return str(s)[1:-1]
    return str(s)


def print_summary(block, inputs) -> None:
    """Run ``block(*inputs)`` once with hooks and print the summary table."""
    from .block import HybridBlock
    from .nn.basic_layers import HybridSequential, Sequential

    summary: OrderedDict[str, dict] = OrderedDict()
    summary["Input"] = {"output_shape": _shape_str(inputs), "n_params": 0, "trainable": 0, "shared": 0}
    seen: set[int] = set()
    hooks = []

    def hook(b, _, outputs):
        key = f"{b.__class__.__name__}-{len(summary)}"
        entry = {"output_shape": _shape_str(outputs), "n_params": 0, "trainable": 0, "shared": 0}
        for p in b.params.values():
            size = p.data().size
            entry["n_params"] += size
            entry["trainable"] += 0 if p.grad_req == "null" else size
            if id(p) in seen:
                entry["shared"] += size
            else:
                seen.add(id(p))
        summary[key] = entry

    def register(b):
        if isinstance(b, HybridBlock) and b._active:
            raise AssertionError(f'"{b.name}" must not be hybridized to print summary.')
        if not isinstance(b, (Sequential, HybridSequential)):
            hooks.append(b.register_forward_hook(hook))

    try:
        block.apply(register)
        block(*inputs)
        fmt = "{:>20}  {:>42} {:>15}"
        print("-" * 80)
        print(fmt.format("Layer (type)", "Output Shape", "Param #"))
        print("=" * 80)
        total = trainable = shared = 0
        for layer, e in summary.items():
            print(fmt.format(layer, str(e["output_shape"]), e["n_params"]))
            total += e["n_params"]
            trainable += e["trainable"]
            shared += e["shared"]
        print("=" * 80)
        print("Parameters in forward computation graph, duplicate included")
        print(f"   Total params: {total}")
        print(f"   Trainable params: {trainable}")
        print(f"   Non-trainable params: {total - trainable}")
        print(f"Shared params in forward computation graph: {shared}")
        print(f"Unique parameters in model: {total - shared}")
        print("-" * 80)
    finally:
        for h in hooks:
            h.detach()
