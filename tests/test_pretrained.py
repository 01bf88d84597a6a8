"""helpers.pretrained: VGG16's ImageNet weights, skipped in one sentence offline, and the online path
run end to end on a local stand-in for the weights file and the class names (no network)."""

import errno
import hashlib
import json
import socket
import sys

import numpy as np
import pytest

from helpers import pretrained

keras = pytest.importorskip("keras")


@pytest.fixture
def no_network(monkeypatch):
    """The machine as it is offline: name lookups fail, connections are unreachable."""
    def no_dns(*args, **kwargs):
        raise socket.gaierror(socket.EAI_AGAIN, "Temporary failure in name resolution")

    def unreachable(*args, **kwargs):
        raise OSError(errno.ENETUNREACH, "Network is unreachable")

    monkeypatch.setattr(socket, "getaddrinfo", no_dns)
    monkeypatch.setattr(socket.socket, "connect", unreachable)


@pytest.fixture
def empty_cache(monkeypatch, tmp_path):
    monkeypatch.setenv("KERAS_HOME", str(tmp_path / "keras"))
    return tmp_path / "keras" / "models"


def one_sentence(text):
    lines = text.strip().splitlines()
    assert len(lines) == 1, f"expected one line, got {text!r}"
    assert lines[0].endswith(".") and lines[0].count(". ") == 0, f"expected one sentence, got {text!r}"
    return lines[0]


# --- the switch -------------------------------------------------------------------------------

@pytest.mark.parametrize("value, colab, expected", [
    (None, False, False), (None, True, True), ("", False, False), ("1", False, True),
    ("0", True, False), ("1", True, True)])
def test_wanted_on_colab_or_when_asked(monkeypatch, value, colab, expected):
    if value is None:
        monkeypatch.delenv(pretrained.ENV_VAR, raising=False)
    else:
        monkeypatch.setenv(pretrained.ENV_VAR, value)
    if colab:
        monkeypatch.setitem(sys.modules, "google.colab", object())
    else:
        monkeypatch.delitem(sys.modules, "google.colab", raising=False)
    assert pretrained.wanted() is expected


def test_wanted_rejects_other_values(monkeypatch):
    monkeypatch.setenv(pretrained.ENV_VAR, "yes")
    with pytest.raises(ValueError, match="must be 0 or 1"):
        pretrained.wanted()


def test_enabled_must_be_a_bool():
    with pytest.raises(ValueError, match="True or False"):
        pretrained.load_vgg16_imagenet_or_skip("1")


# --- offline ----------------------------------------------------------------------------------

def test_not_wanted_says_one_sentence_and_touches_nothing(no_network, empty_cache, capsys):
    assert pretrained.load_vgg16_imagenet_or_skip(False) is None
    line = one_sentence(capsys.readouterr().out)
    assert "Skipped" in line and pretrained.ENV_VAR in line and "Colab" in line
    assert not empty_cache.exists()


def test_wanted_but_offline_says_one_sentence(no_network, empty_cache, capsys):
    assert pretrained.load_vgg16_imagenet_or_skip(True) is None
    line = one_sentence(capsys.readouterr().out)
    assert "Skipped" in line and "network" in line and str(empty_cache) in line
    assert "http" not in line and "Traceback" not in line
    assert not (empty_cache / pretrained.WEIGHTS_FILE).exists()      # no half-written file left


def test_offline_error_is_a_connection_error_chained_from_the_cause(no_network, empty_cache):
    with pytest.raises(pretrained.PretrainedUnavailableError) as info:
        pretrained.load_vgg16_imagenet()
    assert isinstance(info.value, ConnectionError) and info.value.__cause__ is not None


def test_a_corrupt_cached_file_is_not_called_offline(no_network, empty_cache, monkeypatch):
    """A file that passes the checksum but is not a weights file: its own error, not "offline"."""
    empty_cache.mkdir(parents=True)
    for name, md5 in [(pretrained.WEIGHTS_FILE, "WEIGHTS_MD5"), (pretrained.CLASS_INDEX_FILE, "CLASS_INDEX_MD5")]:
        (empty_cache / name).write_bytes(b"not an HDF5 file")
        monkeypatch.setattr(pretrained, md5, hashlib.md5(b"not an HDF5 file").hexdigest())
    with pytest.raises(Exception) as info:
        pretrained.load_vgg16_imagenet()
    assert not isinstance(info.value, pretrained.PretrainedUnavailableError)


# --- the online branch, on a local stand-in --------------------------------------------------

def _md5(path):
    return hashlib.md5(path.read_bytes()).hexdigest()


@pytest.fixture(scope="module")
def stand_in(tmp_path_factory):
    """VGG16 with random weights saved under the weights file's name (Keras' HDF5 layout, which
    ``load_weights`` reads by layer name, as for the real file), and 1000 made-up class names."""
    keras.utils.set_random_seed(0)
    model = keras.applications.VGG16(weights=None)
    folder = tmp_path_factory.mktemp("keras") / "models"
    folder.mkdir()
    keras.saving.save_model(model, folder / pretrained.WEIGHTS_FILE)
    index = {str(k): [f"n{k:08d}", f"class_{k}"] for k in range(1000)}
    (folder / pretrained.CLASS_INDEX_FILE).write_text(json.dumps(index))
    return model, folder, index


@pytest.fixture
def online_from_stand_in(stand_in, no_network, monkeypatch):
    model, folder, index = stand_in
    monkeypatch.setenv("KERAS_HOME", str(folder.parent))
    monkeypatch.setattr(pretrained, "WEIGHTS_MD5", _md5(folder / pretrained.WEIGHTS_FILE))
    monkeypatch.setattr(pretrained, "CLASS_INDEX_MD5", _md5(folder / pretrained.CLASS_INDEX_FILE))
    return model, index


def test_online_branch_loads_the_cached_weights_and_classifies(online_from_stand_in, capsys):
    original, index = online_from_stand_in
    vgg = pretrained.load_vgg16_imagenet_or_skip(True)
    assert capsys.readouterr().out == ""                               # found in the cache: nothing said
    assert vgg is not None and vgg.model.count_params() == 138_357_544
    for layer in ("block1_conv1", "fc1", "predictions"):
        for loaded, saved in zip(vgg.model.get_layer(layer).get_weights(), original.get_layer(layer).get_weights()):
            np.testing.assert_array_equal(loaded, saved)

    rng = np.random.default_rng(1)
    photos = [rng.integers(0, 256, (300, 451, 3), dtype=np.uint8), rng.random((250, 250))]
    probs = vgg.predict(photos)
    assert probs.shape == (2, 1000) and np.allclose(probs.sum(axis=1), 1, atol=1e-4)
    reference = original.predict(np.stack([pretrained.to_vgg16_input(p) for p in photos]), verbose=0)
    np.testing.assert_allclose(probs, reference, rtol=1e-5, atol=1e-7)

    top5 = vgg.top5(photos)
    for row, p in zip(top5, probs):
        expected = sorted(range(1000), key=lambda k: -p[k])[:5]         # independent of argsort
        assert [name for _, name, _ in row] == [index[str(k)][1] for k in expected]
        assert [wnid for wnid, _, _ in row] == [f"n{k:08d}" for k in expected]
        assert np.allclose([q for _, _, q in row], p[expected])


def test_decode_rejects_a_wrong_shape(online_from_stand_in):
    vgg = pretrained.ImageNetVGG16(model=None, class_index=online_from_stand_in[1])
    with pytest.raises(ValueError, match=r"\(m, 1000\)"):
        vgg.decode(np.ones(1000))


# --- the input --------------------------------------------------------------------------------

MEAN_BGR = np.array([103.939, 116.779, 123.68])      # ImageNet's mean pixel, as VGG16 was trained


def test_input_of_a_constant_colour_is_bgr_minus_the_mean():
    x = pretrained.to_vgg16_input(np.full((100, 180, 3), (10, 20, 30), dtype=np.uint8))
    assert x.shape == (224, 224, 3) and x.dtype == np.float32
    np.testing.assert_allclose(x, np.broadcast_to(np.array([30, 20, 10]) - MEAN_BGR, x.shape), atol=1e-3)


def test_input_crops_the_central_square_and_repeats_gray():
    rng = np.random.default_rng(2)
    gray = rng.random((224, 300))                    # already 224 high: only the crop acts
    x = pretrained.to_vgg16_input(gray)
    centre = 255.0 * gray[:, 38:262]
    np.testing.assert_allclose(x, centre[..., None] - MEAN_BGR, atol=1e-3)


@pytest.mark.parametrize("bad, match", [
    (np.zeros((4, 4, 2)), "gray or"), (np.zeros(5), "gray or"), (np.full((4, 4), np.nan), "finite"),
    (np.full((4, 4), 2.0), r"\[0, 1\]"), (np.full((4, 4), 300), "0..255"), (np.zeros((4, 4), bool), "finite")])
def test_input_bad_images(bad, match):
    with pytest.raises(ValueError, match=match):
        pretrained.to_vgg16_input(bad)
