"""Every model-zoo network has MXNet 1.9's parameter names, shapes, structural names and repr.

The manifest (tests/golden/model_zoo/manifest.json) was written by real MXNet with
tests/golden/make_golden_zoo_manifest.py; equal structural names and shapes are what let
MXNet's pretrained files load unchanged. Outputs on equal weights are checked per family
(test_resnet.py, test_vgg_alexnet_squeezenet.py; DenseNet, Inception and MobileNet here).
"""
import json
import os

import pytest

from .zoo_checks import FAMILY, GOLDEN, check_names, check_outputs, manifest, slow_unless, vision_or_skip

MANIFEST = manifest()


def test_vision_has_mxnet_public_names():
    with open(os.path.join(GOLDEN, "manifest.json")) as f:
        mxnet_names = json.load(f)["vision_names"]
    vision = vision_or_skip("resnet18_v1")
    missing = [n for n in mxnet_names if not hasattr(vision, n)]
    assert not missing, f"gluonic's model_zoo.vision lacks MXNet's {missing}"
    for name in mxnet_names:
        assert getattr(vision, name).__name__.rsplit(".", 1)[-1] == name


def test_manifest_lists_every_get_model_name():
    vision = vision_or_skip("resnet18_v1")
    assert sorted(MANIFEST) == sorted(vision._models)
    assert sorted(FAMILY) == sorted(MANIFEST)


# the deepest variants take seconds each to trace: slow (their smaller siblings cover the code)
DEEP = {"resnet101_v1", "resnet152_v1", "resnet101_v2", "resnet152_v2", "densenet161", "densenet169", "densenet201"}


@pytest.mark.parametrize("name", slow_unless(sorted(MANIFEST), set(MANIFEST) - DEEP))
def test_names_and_shapes_equal_mxnet(name):
    check_names(name, MANIFEST[name])


OTHER = [n for n in MANIFEST if FAMILY[n] in ("densenet", "inception", "mobilenet")]


@pytest.mark.parametrize("name", slow_unless(OTHER, {"mobilenet0.25", "mobilenetv2_0.25"}))
def test_output_equals_mxnet(name):
    check_outputs(name)
