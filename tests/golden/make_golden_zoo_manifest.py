"""Record every model-zoo network's parameters as real MXNet 1.9.1 names them.

Run with a Python that has mxnet: /path/to/mxnet-python tests/golden/make_golden_zoo_manifest.py
Writes tests/golden/model_zoo/manifest.json: for each name of ``vision.get_model`` (default
arguments, classes=1000), built under a fresh NameManager, initialized and run once on a
batch of one image of the pretrained size (224x224; 299x299 for inceptionv3):
- ``params``: ``collect_params()`` names (``resnetv10_conv0_weight``) and shapes, in order;
- ``structural``: ``_collect_params_with_prefix()`` names (``features.0.weight``, the keys of
  ``save_parameters`` files and of the pretrained files) with the parameter each names;
- ``input_shape``, ``output_shape`` and the network's ``repr``;
and ``vision_names``, the public names of ``mxnet.gluon.model_zoo.vision``.
Also writes tests/golden/model_zoo/outputs.npz: each network's output (inference mode) for
the deterministic weights and input of tests/model_zoo/zoo_weights.py, at the small input
size listed there (``--outputs-only`` rewrites just this file).
"""
import json
import os
import sys

import mxnet as mx
import numpy as np
from mxnet.gluon.model_zoo import vision

HERE = os.path.join(os.path.dirname(os.path.abspath(__file__)), "model_zoo")
sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "model_zoo"))
import zoo_weights  # noqa: E402

NAMES = ["resnet18_v1", "resnet34_v1", "resnet50_v1", "resnet101_v1", "resnet152_v1",
         "resnet18_v2", "resnet34_v2", "resnet50_v2", "resnet101_v2", "resnet152_v2",
         "vgg11", "vgg13", "vgg16", "vgg19", "vgg11_bn", "vgg13_bn", "vgg16_bn", "vgg19_bn",
         "alexnet", "densenet121", "densenet161", "densenet169", "densenet201",
         "squeezenet1.0", "squeezenet1.1", "inceptionv3",
         "mobilenet1.0", "mobilenet0.75", "mobilenet0.5", "mobilenet0.25",
         "mobilenetv2_1.0", "mobilenetv2_0.75", "mobilenetv2_0.5", "mobilenetv2_0.25"]


def record(name):
    size = 299 if name == "inceptionv3" else 224
    with mx.name.NameManager():
        net = vision.get_model(name)
    net.initialize()
    x = mx.nd.array(np.zeros((1, 3, size, size), np.float32))
    y = net(x)
    return {
        "input_shape": list(x.shape),
        "output_shape": list(y.shape),
        "prefix": net.prefix,
        "params": [[k, list(p.shape)] for k, p in net.collect_params().items()],
        "structural": [[k, p.name] for k, p in net._collect_params_with_prefix().items()],
        "repr": repr(net),
    }


def output(name):
    size = zoo_weights.INPUT_SIZES[name]
    with mx.name.NameManager():
        net = vision.get_model(name)
    net.initialize()
    x = mx.nd.array(zoo_weights.input_batch(size))
    net(x)  # resolve deferred shapes
    zoo_weights.fill(net, mx)
    return net(x).asnumpy()


def main(outputs_only=False):
    if not outputs_only:
        write_manifest()
    outputs = {name: output(name) for name in NAMES}
    np.savez_compressed(os.path.join(HERE, "outputs.npz"), **outputs)
    print("outputs:", {k: float(abs(v).max()) for k, v in outputs.items()})


def write_manifest():
    assert sorted(NAMES) == sorted(n for n in _get_model_names()), "the list of names is out of date"
    manifest = {"mxnet_version": mx.__version__, "models": {},
                "vision_names": sorted(n for n in dir(vision) if not n.startswith("_"))}
    for name in NAMES:
        manifest["models"][name] = record(name)
        print(name, len(manifest["models"][name]["params"]), "params")
    os.makedirs(HERE, exist_ok=True)
    with open(os.path.join(HERE, "manifest.json"), "w") as f:
        json.dump(manifest, f, indent=0, sort_keys=True)
        f.write("\n")


def _get_model_names():
    try:
        vision.get_model("no such model")
    except ValueError as e:
        return [line.strip() for line in str(e).split("\n")[1:]]
    raise AssertionError("get_model accepted an unknown name")


if __name__ == "__main__":
    main(outputs_only="--outputs-only" in sys.argv)
