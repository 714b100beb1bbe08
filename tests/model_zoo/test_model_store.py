"""model_store: MXNet's file naming and SHA-1 table, offline errors, purge; get_model's table."""
import hashlib
import os

import pytest

from gluonic.base import GluonicValueError, MXNetError
from gluonic.gluon.model_zoo import model_store, vision
from gluonic.gluon.utils import check_sha1


def _write(path, data=b"not a real model"):
    with open(path, "wb") as f:
        f.write(data)
    return hashlib.sha1(data).hexdigest()


def test_table_covers_every_model_and_keeps_mxnet_hashes():
    assert sorted(model_store._model_sha1) == sorted(vision._models)
    assert all(len(h) == 40 and int(h, 16) >= 0 for h in model_store._model_sha1.values())
    assert model_store._model_sha1["resnet50_v1"] == "0aee57f96768c0a2d5b23a6ec91eb08dfb0a45ce"
    assert model_store._model_sha1["mobilenetv2_0.25"] == "ae8f9392789b04822cbb1d98c27283fc5f8aa0a7"
    assert model_store.short_hash("squeezenet1.1") == "33ba0f93"


def test_short_hash_unknown_name_lists_options():
    with pytest.raises(GluonicValueError, match="Pretrained model for resnet19_v1 is not available") as info:
        model_store.short_hash("resnet19_v1")
    assert "resnet18_v1" in str(info.value) and isinstance(info.value, ValueError)


def test_missing_file_error_names_path_hash_and_source(tmp_path):
    with pytest.raises(model_store.ModelFileNotFoundError) as info:
        model_store.get_model_file("vgg16", root=str(tmp_path))
    err = info.value
    msg = str(err)
    assert isinstance(err, FileNotFoundError) and isinstance(err, MXNetError)
    assert os.path.join(str(tmp_path), "vgg16-e660d456.params") in msg
    assert "e660d4569ccb679ec68f1fd3cce07a387252a90a" in msg
    assert "gluon/models/vgg16-e660d456.zip" in msg
    assert "does not download" in msg
    assert os.listdir(tmp_path) == []  # nothing created


def test_default_root_follows_mxnet_home(tmp_path, monkeypatch):
    monkeypatch.setenv("MXNET_HOME", str(tmp_path / "home"))
    with pytest.raises(model_store.ModelFileNotFoundError, match=str(tmp_path / "home" / "models" / "alexnet-")):
        model_store.get_model_file("alexnet")
    with pytest.raises(model_store.ModelFileNotFoundError, match=str(tmp_path / "home" / "models")):
        vision.get_model("alexnet", pretrained=True)


def test_root_expands_user(tmp_path, monkeypatch):
    monkeypatch.setenv("HOME", str(tmp_path))
    with pytest.raises(model_store.ModelFileNotFoundError, match=str(tmp_path / "zoo" / "alexnet-44335d1f")):
        model_store.get_model_file("alexnet", root="~/zoo")


def test_sha1_mismatch_is_a_clear_error(tmp_path):
    path = tmp_path / "resnet18_v1-a0666292.params"
    actual = _write(path)
    assert not check_sha1(str(path), model_store._model_sha1["resnet18_v1"])
    with pytest.raises(GluonicValueError) as info:
        model_store.get_model_file("resnet18_v1", root=str(tmp_path))
    msg = str(info.value)
    assert str(path) in msg and "a0666292f0a30ff61f857b0b66efc0228eb6a54b" in msg
    assert actual != model_store._model_sha1["resnet18_v1"]


def test_matching_file_is_returned(tmp_path, monkeypatch):
    sha1 = hashlib.sha1(b"weights").hexdigest()
    monkeypatch.setitem(model_store._model_sha1, "alexnet", sha1)
    path = tmp_path / f"alexnet-{sha1[:8]}.params"
    _write(path, b"weights")
    assert model_store.get_model_file("alexnet", root=str(tmp_path)) == str(path)


def test_purge_removes_only_params_files(tmp_path):
    _write(tmp_path / "a.params")
    _write(tmp_path / "b-12345678.params")
    _write(tmp_path / "notes.txt")
    model_store.purge(root=str(tmp_path))
    assert os.listdir(tmp_path) == ["notes.txt"]
    model_store.purge(root=str(tmp_path / "missing"))  # no directory: nothing to do


def test_get_model_unknown_name_lists_names():
    with pytest.raises(GluonicValueError) as info:
        vision.get_model("ResNet19_v1")
    msg = str(info.value)
    assert msg.startswith("Model resnet19_v1 is not supported. Available options are\n\t")
    assert "\n\tsqueezenet1.0\n\t" in msg and "mobilenetv2_0.25" in msg and "'ResNet19_v1'" in msg
    assert isinstance(info.value, ValueError)


def test_get_model_names_build_the_right_classes():
    expected = {"resnet18_v1": "ResNetV1", "resnet152_v2": "ResNetV2", "vgg13_bn": "VGG", "alexnet": "AlexNet",
                "squeezenet1.0": "SqueezeNet", "densenet169": "DenseNet", "inceptionv3": "Inception3",
                "mobilenet0.5": "MobileNet", "mobilenetv2_0.75": "MobileNetV2"}
    for name, cls in expected.items():
        assert type(vision.get_model(name, classes=3)).__name__ == cls
