"""VGG-style convolutional networks and the dense baseline they are compared with (Keras).

VGG's recipe (Simonyan & Zisserman 2015): blocks of same-padded 3 x 3 convolutions (f = 3, p = 1,
s = 1) with ReLU, each block closed by 2 x 2 max-pooling (f = 2, s = 2), then a dense head. A
convolution keeps n_H x n_W, so in block b of a network with input n_H^[0] x n_W^[0] every layer has
n_H^[0] / 2^(b-1) x n_W^[0] / 2^(b-1) x n_c positions; the pool halves them.

Layer names follow ``keras.applications.VGG16``: ``block1_conv1``, ``block1_conv2``, ``block1_pool``,
..., ``flatten``, ``fc1``, ``fc2``, ``predictions``. With VGG16's blocks and head,
``vgg_style_cnn((224, 224, 3), 1000, blocks=VGG16_BLOCKS, dense=(4096, 4096))`` is VGG16
(138,357,544 parameters).
"""

import contextlib
import math
import time
from dataclasses import dataclass

from .validation import (flag, fraction, int_in_range, keras_model, positive_int, positive_ints, positive_number,
                         same_examples)

__all__ = ["VGG16_BLOCKS", "TrainingRun", "dense_baseline", "fit_classifier", "print_summary", "vgg_block",
           "vgg_style_cnn"]

#: VGG16's convolutional blocks as (filters n_c, number of 3 x 3 convolutions).
VGG16_BLOCKS = ((64, 2), (128, 2), (256, 3), (512, 3), (512, 3))


def vgg_block(filters, convs, block=1, batch_norm=False):
    """One VGG block as a list of Keras layers: ``convs`` x (3 x 3 same convolution + ReLU), then 2 x 2 max-pool.

    A convolution with f = 3, p = 1, s = 1 keeps the size: n^[l] = (n^[l-1] + 2p - f) / s + 1 = n^[l-1];
    it has n_c^[l] (f * f * n_c^[l-1] + 1) parameters. The pool (f = 2, s = 2) halves n_H and n_W and
    has none. ``block`` only numbers the layer names (``block1_conv1`` ... ``block1_pool``).
    With ``batch_norm=True`` each convolution is followed by batch normalisation before the ReLU
    (not in the original VGG; it lets deeper versions train faster).
    """
    import keras

    filters = positive_int(filters, "filters")
    convs = positive_int(convs, "convs")
    block = positive_int(block, "block")
    batch_norm = flag(batch_norm, "batch_norm")
    layers = []
    for i in range(1, convs + 1):
        name = f"block{block}_conv{i}"
        if batch_norm:
            layers += [keras.layers.Conv2D(filters, 3, padding="same", use_bias=False, name=name),
                       keras.layers.BatchNormalization(name=f"{name}_bn"),
                       keras.layers.Activation("relu", name=f"{name}_relu")]
        else:
            layers.append(keras.layers.Conv2D(filters, 3, padding="same", activation="relu", name=name))
    layers.append(keras.layers.MaxPooling2D(2, name=f"block{block}_pool"))
    return layers


def vgg_style_cnn(input_shape, num_classes, blocks=((32, 2), (64, 2)), dense=(128,), dropout=0.0,
                  batch_norm=False, preprocessing=(), name="vgg_style_cnn"):
    """A VGG-style classifier: ``vgg_block`` s, then Flatten, dense ReLU layers and a softmax.

    ``blocks`` lists (n_c, number of convolutions) per block; after B blocks the maps are
    n_H^[0] / 2^B x n_W^[0] / 2^B x n_c, flattened for the head. ``dense`` lists the hidden widths
    n^[l] of the head; ``dropout`` is applied before each dense layer of the head. The output is
    y = softmax(z^[L]) over ``num_classes`` classes. ``preprocessing`` layers (for example data
    augmentation, active only in training) go between the input and the first block.
    """
    import keras

    input_shape = positive_ints(input_shape, "input_shape", example="(28, 28, 1)")
    if len(input_shape) != 3:
        raise ValueError(f"input_shape must be (n_H, n_W, n_c), got {input_shape!r}")
    num_classes = positive_int(num_classes, "num_classes")
    if num_classes < 2:
        raise ValueError(f"num_classes must be at least 2, got {num_classes}")
    try:
        blocks = tuple(tuple(b) for b in blocks)
    except TypeError:
        raise ValueError(f"blocks must be a sequence of (filters, convs) pairs, got {blocks!r}") from None
    if not blocks or any(len(b) != 2 for b in blocks):
        raise ValueError(f"blocks must be a non-empty sequence of (filters, convs) pairs, got {blocks!r}")
    side = min(input_shape[:2])
    if side < 2 ** len(blocks):
        raise ValueError(f"{len(blocks)} blocks halve the image {len(blocks)} times: input_shape must be at "
                         f"least {2 ** len(blocks)} pixels high and wide, got {input_shape!r}")
    dense = positive_ints(dense, "dense", allow_one=True, allow_empty=True)
    dropout = fraction(dropout, "dropout")

    layers = [keras.Input(shape=input_shape, name="input"), *preprocessing]
    for b, (filters, convs) in enumerate(blocks, start=1):
        layers += vgg_block(filters, convs, block=b, batch_norm=batch_norm)
    layers.append(keras.layers.Flatten(name="flatten"))
    for i, width in enumerate(dense, start=1):
        if dropout:
            layers.append(keras.layers.Dropout(dropout, name=f"dropout{i}"))
        layers.append(keras.layers.Dense(width, activation="relu", name=f"fc{i}"))
    if dropout:
        layers.append(keras.layers.Dropout(dropout, name=f"dropout{len(dense) + 1}"))
    layers.append(keras.layers.Dense(num_classes, activation="softmax", name="predictions"))
    return keras.Sequential(layers, name=name)


def dense_baseline(input_shape, num_classes, hidden=(512, 256), dropout=0.0, preprocessing=(),
                   name="dense_baseline"):
    """A dense network on the flattened image: a^[0] = x (n^[0] = n_H n_W n_c numbers), then
    a^[l] = ReLU(W^[l] a^[l-1] + b^[l]) for each width in ``hidden``, and y = softmax(W^[L] a^[L-1] + b^[L]).

    Layer l has n^[l] n^[l-1] + n^[l] parameters; on images the first one dominates.
    ``preprocessing`` layers (as in ``vgg_style_cnn``) go between the input and the flattening.
    """
    import keras

    input_shape = positive_ints(input_shape, "input_shape", example="(28, 28, 1)")
    num_classes = positive_int(num_classes, "num_classes")
    if num_classes < 2:
        raise ValueError(f"num_classes must be at least 2, got {num_classes}")
    hidden = positive_ints(hidden, "hidden", allow_one=True, allow_empty=True)
    dropout = fraction(dropout, "dropout")
    layers = [keras.Input(shape=input_shape, name="input"), *preprocessing, keras.layers.Flatten(name="flatten")]
    for i, width in enumerate(hidden, start=1):
        layers.append(keras.layers.Dense(width, activation="relu", name=f"fc{i}"))
        if dropout:
            layers.append(keras.layers.Dropout(dropout, name=f"dropout{i}"))
    layers.append(keras.layers.Dense(num_classes, activation="softmax", name="predictions"))
    return keras.Sequential(layers, name=name)


#: The widest summary: a slide shows 80 columns, and outside Jupyter Keras' console is 80 wide.
SUMMARY_COLUMNS = 80


def print_summary(model, line_length=SUMMARY_COLUMNS, layer_range=None):
    """Print ``model.summary()`` as plain text: each layer, its output shape and its parameters, and the totals.

    Keras' summary in a notebook is coloured HTML whose colours are too pale on white to read (numbers
    #00af00, 2.9:1; ``None`` #00d7ff, 1.7:1; WCAG asks 4.5:1). Given a print function, Keras writes the
    same table without colour: a text output that reads the same in JupyterLab, on the site and on the
    slides. ``line_length`` (at most 80 characters) is the table's width; ``layer_range``, a pair of
    layer names, shows those layers and the ones between them (Keras checks the names; the totals
    still count the whole model).
    """
    model = keras_model(model)
    line_length = int_in_range(line_length, "line_length", 40, SUMMARY_COLUMNS,
                               " (narrower tables break every name; a slide and a terminal show 80)")
    try:
        from IPython.utils.capture import capture_output
    except ImportError:       # no IPython, no notebook: nothing but the text is shown
        capture_output = contextlib.nullcontext
    text = []
    # In a notebook, rich (which Keras prints with) also shows an empty HTML block: left out.
    with capture_output(stderr=False):
        model.summary(line_length=line_length, layer_range=layer_range, print_fn=text.append)
    print("".join(text), end="")


@dataclass
class TrainingRun:
    """What ``fit_classifier`` returns: the per-epoch ``history`` (Keras' ``History.history``: loss,
    accuracy, and val_loss, val_accuracy when validation data was given) and the wall-clock
    ``seconds`` that ``model.fit`` took."""

    history: dict
    seconds: float


def fit_classifier(model, x, y, epochs, batch_size=64, learning_rate=2e-3, validation_data=None, verbose=0):
    """The course's one training recipe, shared by the notebooks and the benchmark.

    Compiles ``model`` with the cross-entropy loss L = -(1/m) sum_i log y_hat_i[y_i] (integer labels)
    and Adam whose learning rate follows a cosine decay over the T = epochs * ceil(m / batch_size)
    steps, alpha_t = alpha_0 * (1 + cos(pi t / T)) / 2, then trains it with ``model.fit``.
    Seed first (``keras.utils.set_random_seed(helpers.SEED)``) for a repeatable run.
    """
    import keras

    model = keras_model(model)
    epochs = positive_int(epochs, "epochs")
    batch_size = positive_int(batch_size, "batch_size")
    learning_rate = positive_number(learning_rate, "learning_rate")
    same_examples(x, y)
    steps = epochs * math.ceil(len(x) / batch_size)
    schedule = keras.optimizers.schedules.CosineDecay(float(learning_rate), decay_steps=steps)
    model.compile(optimizer=keras.optimizers.Adam(schedule), loss="sparse_categorical_crossentropy",
                  metrics=["accuracy"])
    start = time.perf_counter()
    history = model.fit(x, y, epochs=epochs, batch_size=batch_size, validation_data=validation_data,
                        verbose=verbose)
    return TrainingRun(history=history.history, seconds=time.perf_counter() - start)
