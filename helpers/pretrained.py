"""VGG16 with its trained ImageNet weights, loaded only when asked for (notebook 08).

The weights are the ones ``keras.applications.VGG16(weights="imagenet")`` uses: the file
``vgg16_weights_tf_dim_ordering_tf_kernels.h5`` (about 553 MB, all 138,357,544 parameters of
VGG16 trained on ILSVRC 2012, Simonyan & Zisserman 2015), downloaded once into Keras' cache
(``~/.keras/models``, or ``$KERAS_HOME/models``) and checked against its MD5 there, together with the
1000 class names ``imagenet_class_index.json`` that ``keras.applications.vgg16.decode_predictions``
reads. Nothing is downloaded unless asked: ``wanted()`` is True on Colab or with the environment
variable ``CNN_COURSE_PRETRAINED=1`` (``=0`` switches it off on Colab too), and
``load_vgg16_imagenet_or_skip(wanted())`` prints one sentence and returns None when it is not wanted
or the network is not there.
"""

import contextlib
import io
import json
import os
import sys
from dataclasses import dataclass

import numpy as np

from . import validation
from .data import is_offline_error, keras_cache_dir, keras_home

__all__ = ["ENV_VAR", "ImageNetVGG16", "PretrainedUnavailableError", "load_vgg16_imagenet",
           "load_vgg16_imagenet_or_skip", "to_vgg16_input", "wanted"]

#: The environment variable that asks for the download outside Colab ("1") or refuses it on Colab ("0").
ENV_VAR = "CNN_COURSE_PRETRAINED"

# Where Keras' own VGG16(weights="imagenet") and decode_predictions find their files, and the MD5
# sums they check them against (keras/src/applications/vgg16.py and imagenet_utils.py, Keras 3).
WEIGHTS_FILE = "vgg16_weights_tf_dim_ordering_tf_kernels.h5"
WEIGHTS_URL = "https://storage.googleapis.com/tensorflow/keras-applications/vgg16/" + WEIGHTS_FILE
WEIGHTS_MD5 = "64373286793e3c8b2b4e3219cbf3544b"
CLASS_INDEX_FILE = "imagenet_class_index.json"
CLASS_INDEX_URL = "https://storage.googleapis.com/download.tensorflow.org/data/" + CLASS_INDEX_FILE
CLASS_INDEX_MD5 = "c2c37ea517e94d9795004a39431a14cb"
#: VGG16's input side in pixels (the network was trained on 224 x 224 crops).
SIDE = 224


class PretrainedUnavailableError(ConnectionError):
    """VGG16's ImageNet weights could neither be downloaded (no network) nor found in Keras' cache."""


def wanted():
    """Whether to download the trained weights: on Colab, or when ``CNN_COURSE_PRETRAINED=1``.

    ``CNN_COURSE_PRETRAINED=0`` says no everywhere; any other value is a ValueError.
    """
    value = os.environ.get(ENV_VAR)
    if value is None or value == "":
        return "google.colab" in sys.modules
    if value not in ("0", "1"):
        raise ValueError(f"{ENV_VAR} must be 0 or 1, got {value!r}")
    return value == "1"


def to_vgg16_input(image):
    """One photograph as VGG16's input: (224, 224, 3) float32, as ``vgg16.preprocess_input`` wants it.

    ``image`` is (H, W) gray or (H, W, 3) RGB, uint8 in 0..255 or float in [0, 1]. It is cropped to
    its central square, resized to 224 x 224, gray repeated over the three channels, scaled to
    0..255, then ``keras.applications.vgg16.preprocess_input`` turns RGB into BGR and subtracts
    ImageNet's mean pixel (103.939, 116.779, 123.68), as in training.
    """
    import keras
    import tensorflow as tf

    x = np.asarray(image)
    if x.ndim == 3 and x.shape[-1] == 1:
        x = x[..., 0]
    if x.ndim not in (2, 3) or (x.ndim == 3 and x.shape[-1] != 3) or min(x.shape[:2]) < 1:
        raise ValueError(f"image must be (H, W) gray or (H, W, 3) RGB, got shape {x.shape}")
    if x.dtype == bool or not np.issubdtype(x.dtype, np.number) or not np.all(np.isfinite(x)):
        raise ValueError("image must hold finite numbers (uint8 0..255 or float in [0, 1])")
    if x.dtype.kind in "iu" and (x.min() < 0 or x.max() > 255):
        raise ValueError(f"an integer image must be in 0..255, got values from {x.min()} to {x.max()}")
    if x.dtype.kind == "f" and (x.min() < 0 or x.max() > 1):
        raise ValueError(f"a float image must be in [0, 1] (uint8 for 0..255), got values from "
                         f"{x.min():g} to {x.max():g}")
    x = x.astype(np.float32) * (1.0 if x.dtype.kind in "ui" else 255.0)
    if x.ndim == 2:
        x = np.repeat(x[..., None], 3, axis=-1)
    h, w = x.shape[:2]
    side = min(h, w)
    top, left = (h - side) // 2, (w - side) // 2
    x = x[top:top + side, left:left + side]
    x = tf.image.resize(x, (SIDE, SIDE), antialias=True).numpy()
    return keras.applications.vgg16.preprocess_input(np.clip(x, 0, 255))


@dataclass
class ImageNetVGG16:
    """VGG16 with its ImageNet weights (``model``) and the names of its 1000 classes
    (``class_index``: ``"k" -> [WordNet id, name]``, as in ``imagenet_class_index.json``)."""

    model: object
    class_index: dict

    def predict(self, images):
        """The 1000 class probabilities, shape (m, 1000), of a list of photographs (any size, see
        ``to_vgg16_input``)."""
        x = np.stack([to_vgg16_input(im) for im in images])
        return self.model.predict(x, verbose=0)

    def decode(self, probs, top=5):
        """The ``top`` most probable classes of each row of ``probs``, most probable first, as
        ``(WordNet id, name, probability)``: what ``keras.applications.vgg16.decode_predictions``
        returns, read from the same class-index file."""
        probs = np.asarray(probs)
        if probs.ndim != 2 or probs.shape[1] != len(self.class_index):
            raise ValueError(f"probs must be (m, {len(self.class_index)}), got shape {probs.shape}")
        order = np.argsort(-probs, axis=1, kind="stable")[:, :top]
        return [[(*self.class_index[str(k)], float(p[k])) for k in row] for p, row in zip(probs, order)]

    def top5(self, images):
        """For each photograph, its five most probable ImageNet classes (see ``decode``)."""
        return self.decode(self.predict(images), top=5)


def _get(fname, url, md5):
    """Keras' cache, or a download into it; Keras' progress bar is kept out of the notebook."""
    import keras

    with contextlib.redirect_stdout(io.StringIO()):
        return keras.utils.get_file(fname, url, cache_subdir="models", file_hash=md5, cache_dir=keras_home())


def load_vgg16_imagenet():
    """VGG16 with its ImageNet weights and class names, from Keras' cache or downloaded into it.

    Raises PretrainedUnavailableError (one sentence: what, where it is cached, what runs instead)
    when the network is the cause of a failure (``helpers.data.is_offline_error``); any other error
    (a corrupt file, a full disk) is raised as it is.
    """
    import keras

    try:
        weights = _get(WEIGHTS_FILE, WEIGHTS_URL, WEIGHTS_MD5)
        class_index = _get(CLASS_INDEX_FILE, CLASS_INDEX_URL, CLASS_INDEX_MD5)
    except Exception as err:
        if is_offline_error(err):
            raise PretrainedUnavailableError(
                f"VGG16's ImageNet weights (about 553 MB) need the network, which is not available, "
                f"and are not in Keras' cache {keras_cache_dir('models')}: the cells that use them are skipped, "
                f"the rest of the notebook runs.") from err
        raise
    model = keras.applications.VGG16(weights=None, include_top=True)
    model.load_weights(weights)
    with open(class_index) as f:
        names = json.load(f)
    return ImageNetVGG16(model=model, class_index=names)


def load_vgg16_imagenet_or_skip(enabled):
    """``load_vgg16_imagenet()`` when ``enabled`` (see ``wanted()``), else None.

    Returns None and prints one sentence that says what is skipped and why when it is not enabled,
    or when the network is not there; other errors are raised.
    """
    if not validation.flag(enabled, "enabled (for example helpers.pretrained.wanted())"):
        print(f"Skipped: VGG16's trained ImageNet weights (a 553 MB download) are loaded only on Colab "
              f"or with {ENV_VAR}=1, so the cells that classify photographs with them do nothing here.")
        return None
    try:
        return load_vgg16_imagenet()
    except PretrainedUnavailableError as err:
        print(f"Skipped: {err}")
        return None
