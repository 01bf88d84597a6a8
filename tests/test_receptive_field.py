"""helpers.receptive_field against hand-computed stacks and fields measured on Keras models.

Two independent measurements of the field of one output unit, on random stacks with 'valid' padding:
- the gradient of the unit with respect to the input (positive weights, linear activations, average
  pooling): non-zero exactly on the input pixels the unit depends on;
- perturbation (for max-pooling, whose gradient flows to one pixel per window only): raise one input
  pixel far above the others and see whether the unit changes.
"""

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import helpers


def sizes_and_jumps(fields):
    return [f.size for f in fields], [f.jump for f in fields]


# ----------------------------------------------------------------------------- worked examples


def test_three_3x3_convolutions_see_7x7():
    fields = helpers.receptive_field([(3, 1)] * 3)
    assert sizes_and_jumps(fields) == ([3, 5, 7], [1, 1, 1])
    assert [f.name for f in fields] == ["layer 1", "layer 2", "layer 3"]
    assert helpers.receptive_field([(7, 1)])[-1].size == 7


def test_hand_computed_stacks():
    # conv 3 s1, pool 2 s2, conv 3 s1, pool 2 s2: r = 3, 3+1*1 = 4, 4+2*2 = 8, 8+1*2 = 10; j = 1, 2, 2, 4
    assert sizes_and_jumps(helpers.receptive_field([(3, 1), (2, 2), (3, 1), (2, 2)])) == (
        [3, 4, 8, 10], [1, 2, 2, 4])
    # AlexNet's convolution and pooling layers: the classic 195-pixel field, jump 32
    alexnet = [(11, 4), (3, 2), (5, 1), (3, 2), (3, 1), (3, 1), (3, 1), (3, 2)]
    assert sizes_and_jumps(helpers.receptive_field(alexnet)) == (
        [11, 19, 51, 67, 99, 131, 163, 195], [4, 8, 8, 16, 16, 16, 16, 32])
    # a 1x1 convolution changes nothing; named triples keep their names
    fields = helpers.receptive_field([("a", 1, 1), ("b", 5, 2), ("c", 1, 1)])
    assert [(f.name, f.kernel, f.stride, f.size, f.jump) for f in fields] == [
        ("a", 1, 1, 1, 1), ("b", 5, 2, 5, 2), ("c", 1, 1, 5, 2)]


VGG16_HAND = {  # block b: convs add 2 * j each, the pool adds 1 * j and doubles j
    "block1_conv1": (3, 1), "block1_conv2": (5, 1), "block1_pool": (6, 2),
    "block2_conv1": (10, 2), "block2_conv2": (14, 2), "block2_pool": (16, 4),
    "block3_conv1": (24, 4), "block3_conv2": (32, 4), "block3_conv3": (40, 4), "block3_pool": (44, 8),
    "block4_conv1": (60, 8), "block4_conv2": (76, 8), "block4_conv3": (92, 8), "block4_pool": (100, 16),
    "block5_conv1": (132, 16), "block5_conv2": (164, 16), "block5_conv3": (196, 16), "block5_pool": (212, 32),
}


def test_vgg16_from_keras_applications():
    import keras

    model = keras.applications.VGG16(weights=None, include_top=False, input_shape=(224, 224, 3))
    fields = helpers.receptive_field(model)
    assert {f.name: (f.size, f.jump) for f in fields} == VGG16_HAND
    assert list(VGG16_HAND) == [f.name for f in fields]
    assert (fields[-1].size, fields[-1].jump) == (212, 32)


def test_model_with_dense_head_stops_at_flatten():
    import keras
    from keras import layers

    model = keras.Sequential([
        keras.Input((32, 32, 3)),
        layers.Conv2D(4, 3, padding="same", activation="relu", name="conv1"),
        layers.Conv2D(4, 3, padding="same", activation="relu", name="conv2"),
        layers.MaxPooling2D(2, name="pool1"),
        layers.Conv2D(8, 3, padding="same", activation="relu", name="conv3"),
        layers.MaxPooling2D(2, name="pool2"),
        layers.Flatten(),
        layers.Dense(16, activation="relu"),
        layers.Dropout(0.5),
        layers.Dense(10, activation="softmax"),
    ])
    fields = helpers.receptive_field(model)
    assert [f.name for f in fields] == ["conv1", "conv2", "pool1", "conv3", "pool2"]
    assert sizes_and_jumps(fields) == ([3, 5, 6, 10, 12], [1, 1, 2, 2, 4])


def test_keras_model_pass_through_layers_and_dilation():
    import keras
    from keras import layers

    model = keras.Sequential([
        keras.Input((40, 40, 2)),
        layers.ZeroPadding2D(1),
        layers.Conv2D(4, 3, use_bias=False, name="c1"),
        layers.BatchNormalization(),
        layers.ReLU(),
        layers.Dropout(0.5),
        layers.MaxPooling2D(2, name="p1"),
        layers.Conv2D(4, 3, dilation_rate=2, name="dilated"),     # effective kernel 2 * (3 - 1) + 1 = 5
        layers.Dense(3),                                          # on the channel axis: keeps the grid
        layers.AveragePooling2D(3, strides=1, name="p2"),
        layers.DepthwiseConv2D(3, strides=2, name="dw"),
        layers.GlobalAveragePooling2D(),
        layers.Dense(2),
    ])
    fields = helpers.receptive_field(model)
    assert [(f.name, f.kernel, f.stride) for f in fields] == [
        ("c1", 3, 1), ("p1", 2, 2), ("dilated", 5, 1), ("p2", 3, 1), ("dw", 3, 2)]
    assert sizes_and_jumps(fields) == ([3, 4, 12, 16, 20], [1, 2, 2, 2, 4])   # by hand, as above
    assert measured_field(model, "dw", 48) == (20, 20, 4)


def test_nested_models_are_opened():
    import keras
    from keras import layers

    inner = keras.Sequential([keras.Input((20, 20, 1)), layers.Conv2D(1, 3), layers.Conv2D(1, 3)])
    outer = keras.Sequential([keras.Input((20, 20, 1)), inner, layers.MaxPooling2D(2)])
    assert sizes_and_jumps(helpers.receptive_field(outer)) == ([3, 5, 6], [1, 1, 2])


# ----------------------------------------------------------------------------- measured fields


def random_stack(draw_layers):
    """[(kind, kernel, stride), ...] -> its (kernel, stride) pairs and the input side to use."""
    fields = helpers.receptive_field([(k, s) for _, k, s in draw_layers])
    size, jump = fields[-1].size, fields[-1].jump
    return size, jump, size + 3 * jump       # room for 4 output units along each side


def build(kinds, n):
    import keras
    from keras import layers

    stack = [keras.Input((n, n, 1))]
    for kind, k, s in kinds:
        if kind == "conv":
            stack.append(layers.Conv2D(1, k, strides=s, kernel_initializer="ones",
                                       bias_initializer="zeros", activation=None))
        elif kind == "avg":
            stack.append(layers.AveragePooling2D(k, strides=s))
        else:
            stack.append(layers.MaxPooling2D(k, strides=s))
    return keras.Sequential(stack)


def support(mask):
    """The bounding box (row0, row1, col0, col1) of the non-zero pixels, and whether they fill it."""
    rows, cols = np.nonzero(mask)
    box = (rows.min(), rows.max() + 1, cols.min(), cols.max() + 1)
    filled = bool(mask[box[0]:box[1], box[2]:box[3]].all())
    return box, filled


def pixels_seen(kinds, unit):
    """The input indices (along one axis) that unit `unit` of the last layer reads, by following
    every window back layer by layer: unit i of a layer reads units i*s ... i*s + k - 1 below it."""
    seen = {unit}
    for _, k, s in reversed(kinds):
        seen = {i * s + t for i in seen for t in range(k)}
    return seen


def gradient_mask(model, n, unit):
    import tensorflow as tf

    x = tf.Variable(np.ones((1, n, n, 1), dtype="float32"))
    with tf.GradientTape() as tape:
        y = model(x)[0, unit[0], unit[1], 0]
    return tape.gradient(y, x).numpy()[0, :, :, 0] != 0


layer_strategy = st.tuples(st.sampled_from(["conv", "conv", "avg"]), st.integers(1, 5), st.sampled_from([1, 2]))


@settings(max_examples=25, deadline=None)
@given(kinds=st.lists(layer_strategy, min_size=1, max_size=4))
def test_size_and_jump_match_gradients_of_random_keras_stacks(kinds):
    size, jump, n = random_stack(kinds)
    model = build(kinds, n)
    fields = helpers.receptive_field(model)
    assert (fields[-1].size, fields[-1].jump) == (size, jump)
    out = model.layers[-1].output.shape[1]
    assert out >= 2
    unit = (out // 2, out // 2)
    mask = gradient_mask(model, n, unit)
    box, filled = support(mask)
    assert (box[1] - box[0], box[3] - box[2]) == (size, size)
    # a full square when no stride skips pixels (k >= s everywhere); with holes otherwise
    assert filled or any(k < s for _, k, s in kinds)
    seen = np.zeros(n, dtype=bool)
    seen[list(pixels_seen(kinds, unit[0]))] = True
    np.testing.assert_array_equal(mask, np.outer(seen, seen))
    # with 'valid' padding unit i's field starts at i * jump: neighbours are `jump` pixels apart
    assert (box[0], box[2]) == (unit[0] * jump, unit[1] * jump)
    next_box, _ = support(gradient_mask(model, n, (unit[0] - 1, unit[1])))
    assert box[0] - next_box[0] == jump


def perturbation_support(model, n, unit, rng):
    """Which input pixels change output `unit` when raised far above every other pixel."""
    base = rng.random((n, n)).astype("float32")
    batch = np.repeat(base[None], n * n, axis=0)
    batch[np.arange(n * n), np.arange(n * n) // n, np.arange(n * n) % n] += 1000.0
    y0 = model(base[None, :, :, None]).numpy()[0, unit[0], unit[1], 0]
    y = model(batch[..., None]).numpy()[:, unit[0], unit[1], 0]
    return (np.abs(y - y0) > 1e-3 * (1 + abs(y0))).reshape(n, n)


@settings(max_examples=15, deadline=None)
@given(kinds=st.lists(st.tuples(st.sampled_from(["conv", "max"]), st.integers(1, 4), st.sampled_from([1, 2])),
                      min_size=1, max_size=4),
       seed=st.integers(0, 2**31 - 1))
def test_size_matches_perturbations_with_max_pooling(kinds, seed):
    size, jump, n = random_stack(kinds)
    if n > 48:
        kinds, (size, jump, n) = kinds[:2], random_stack(kinds[:2])
    model = build(kinds, n)
    assert helpers.receptive_field(model)[-1].size == size
    out = model.layers[-1].output.shape[1]
    unit = (out // 2, out // 2)
    mask = perturbation_support(model, n, unit, np.random.default_rng(seed))
    box, filled = support(mask)
    assert (box[1] - box[0], box[3] - box[2]) == (size, size)
    assert (box[0], box[2]) == (unit[0] * jump, unit[1] * jump)
    seen = np.zeros(n, dtype=bool)
    seen[list(pixels_seen(kinds, unit[0]))] = True
    np.testing.assert_array_equal(mask, np.outer(seen, seen))
    assert filled or any(k < s for _, k, s in kinds)


def test_notebook_stack_three_3x3_gradient_is_7x7():
    kinds = [("conv", 3, 1)] * 3
    model = build(kinds, 15)
    box, filled = support(gradient_mask(model, 15, (4, 4)))
    assert filled and (box[1] - box[0], box[3] - box[2]) == (7, 7)


# ----------------------------------------------------------------------------- graphs: keras.applications


def measuring_clone(model, side):
    """A copy of ``model`` whose gradient shows every input pixel a unit depends on: one filter per
    convolution, all-ones kernels and no bias (no cancellation), linear activations, average pooling
    in place of max pooling (the gradient of a max flows to one pixel), float64, a (side, side, 1) input."""
    import keras
    from keras import layers

    def clone(layer):
        config = layer.get_config()
        config["dtype"] = "float64"
        if isinstance(layer, layers.MaxPooling2D):
            return layers.AveragePooling2D.from_config(config)
        if isinstance(layer, (layers.ReLU, layers.Activation)):
            return layers.Activation("linear", name=layer.name, dtype="float64")
        if isinstance(layer, layers.DepthwiseConv2D):
            config.update(depth_multiplier=1, activation="linear", use_bias=False, depthwise_initializer="ones")
        elif isinstance(layer, layers.Conv2D):
            config.update(filters=1, activation="linear", use_bias=False, kernel_initializer="ones")
        elif isinstance(layer, layers.Dense):
            config.update(activation="linear", use_bias=False, kernel_initializer="ones")
        return type(layer).from_config(config)

    return keras.models.clone_model(model, input_tensors=keras.Input((side, side, 1), dtype="float64"),
                                     clone_function=clone)


def measured_field(model, layer_name, side):
    """(rows, cols, jump) of the field of the central unit of ``layer_name`` (all its channels),
    measured by gradients; asserts that the field lies inside the input (not clipped by it)."""
    import keras
    import tensorflow as tf

    clone = measuring_clone(model, side)
    out = keras.Model(clone.inputs, clone.get_layer(layer_name).output)
    x = tf.zeros((1, side, side, 1), tf.float64)
    with tf.GradientTape(persistent=True) as tape:
        tape.watch(x)
        y = out(x)
        i, j = y.shape[1] // 2, y.shape[2] // 2
        units = [tf.reduce_sum(y[0, i, j]), tf.reduce_sum(y[0, i, j + 1])]
    boxes = []
    for unit in units:
        grad = tape.gradient(unit, x).numpy()[0, :, :, 0]
        assert np.isfinite(grad).all()
        boxes.append(support(grad != 0)[0])
    (r0, r1, c0, c1), next_box = boxes
    assert 0 < r0 and r1 < side and 0 < c0 and c1 < side, "the field touches the border: use a larger side"
    return r1 - r0, c1 - c0, next_box[2] - c0


APPLICATIONS = [  # model, layer, published field and jump, input side for the measurement
    ("VGG16", "block5_pool", 212, 32, 320),
    ("MobileNet", "conv_pw_13", 315, 32, 416),
    ("ResNet50", "conv5_block3_out", 483, 32, 608),
    ("InceptionV3", "mixed10", 1311, 32, 1440),
]


@pytest.mark.parametrize("name, layer, published, jump, side", APPLICATIONS, ids=[a[0] for a in APPLICATIONS])
def test_keras_applications_against_gradients_and_published_values(name, layer, published, jump, side):
    """ResNet50 (Add), InceptionV3 (Concatenate, 1 x 7 kernels), MobileNet (depthwise) and VGG16: the
    graph's field is the published one and the one measured by gradients on the same graph."""
    import keras

    shape = (299, 299, 3) if name == "InceptionV3" else (224, 224, 3)
    model = getattr(keras.applications, name)(weights=None, include_top=False, input_shape=shape)
    fields = {f.name: f for f in helpers.receptive_field(model)}
    # ResNet's block output is the ReLU after the Add: the Add is listed, the ReLU keeps its field
    field = fields[layer] if layer in fields else fields[layer.replace("_out", "_add")]
    assert (field.size, field.jump) == (published, jump)
    assert measured_field(model, layer, side) == (published, published, jump)


def _two_branches(merge, *, stride_b=1):
    import keras
    from keras import layers

    inp = keras.Input((16, 16, 1))
    a = layers.Conv2D(1, 3, padding="same", name="a1")(inp)
    a = layers.Conv2D(1, 3, padding="same", name="a2")(a)           # path a: 5 x 5
    b = layers.Conv2D(1, (1, 7), padding="same", strides=stride_b, name="b1")(inp)   # path b: 1 x 7
    if stride_b > 1:
        a = layers.MaxPooling2D(stride_b, name="pool")(a)
    out = merge(name="merge")([a, b])
    return keras.Model(inp, layers.Conv2D(1, 3, padding="same", name="top")(out))


@pytest.mark.parametrize("merge", ["Add", "Concatenate", "Multiply", "Average", "Maximum", "Subtract"])
def test_merges_take_the_largest_field_over_paths(merge):
    from keras import layers

    model = _two_branches(getattr(layers, merge))
    fields = {f.name: f for f in helpers.receptive_field(model)}
    assert fields["b1"].size == (1, 7) and fields["b1"].kernel == (1, 7)       # rows 1, cols 7
    assert (fields["merge"].size, fields["merge"].jump) == ((5, 7), 1)         # the largest, per axis
    assert (fields["top"].size, fields["top"].jump) == ((7, 9), 1)
    if merge not in ("Subtract", "Multiply", "Maximum"):   # the gradient of these can cancel or vanish
        assert measured_field(model, "top", 40)[:2] == (7, 9)


def test_merged_paths_with_different_jumps_raise():
    import keras
    from keras import layers

    inp = keras.Input((8, 8, 1))
    a = layers.Conv2D(1, 3, strides=2, padding="same", name="strided")(inp)   # 4 x 4, jump 2
    b = layers.Conv2D(1, 5, name="valid")(inp)                                 # 4 x 4, jump 1
    model = keras.Model(inp, layers.Add(name="add")([a, b]))
    with pytest.raises(ValueError, match=r"'add' \(Add\) merges branches whose units are \[\(1, 1\), \(2, 2\)\]"):
        helpers.receptive_field(model)


def test_unknown_layers_raise_and_pass_through_names_them():
    import keras
    from keras import layers

    model = keras.Sequential([keras.Input((16, 16, 1)), layers.Conv2D(1, 3),
                              layers.Lambda(lambda t: 2 * t, name="double"), layers.Conv2D(1, 3)])
    with pytest.raises(ValueError, match=r"layer 'double' \(Lambda\) is not a layer receptive_field knows"):
        helpers.receptive_field(model)
    assert sizes_and_jumps(helpers.receptive_field(model, pass_through=("Lambda",))) == ([3, 5], [1, 1])


# ----------------------------------------------------------------------------- bad input


def _keras_model(*stack):
    import keras

    return keras.Sequential([keras.Input((16, 16, 1)), *stack])


@pytest.mark.parametrize("layers, message", [
    ([], "empty"),
    ("3,1", "list of"),
    (42, "list of"),
    ([(3, 1), (0, 1)], "kernel"),
    ([(3, 1), (3, 0)], "stride"),
    ([(3, 1.5)], "stride"),
    ([(True, 1)], "kernel"),
    ([(3,)], "pair"),
    ([3, 1], "pair"),
    ([(1, 3, 1)], "name"),
    ([{3, 1}], "a set has none"),                 # a set has no order: kernel and stride unknown
    ({(3, 1), (2, 2)}, "list of"),
])
def test_bad_pairs_raise_value_error(layers, message):
    with pytest.raises(ValueError, match=message):
        helpers.receptive_field(layers)


def test_bad_keras_models_raise_value_error():
    import keras
    from keras import layers

    cases = [
        (lambda: _keras_model(layers.Conv2DTranspose(1, 3)), "upsamples"),
        (lambda: _keras_model(layers.UpSampling2D(2)), "upsamples"),
        (lambda: _keras_model(layers.Flatten(), layers.Reshape((16, 16, 1)), layers.Conv2D(1, 3)), "flattened"),
        (lambda: _keras_model(layers.Flatten(), layers.Dense(3)), "no 2-D convolution"),
        (lambda: keras.Sequential([keras.Input((16, 1)), layers.Conv1D(1, 3)]), r"'conv1d.*' \(Conv1D\) is not"),
        (lambda: _keras_model(layers.Reshape((8, 32, 1)), layers.Conv2D(1, 3)), "geometry"),
    ]
    for make, message in cases:
        with pytest.raises(ValueError, match=message):
            helpers.receptive_field(make())
    rect = _keras_model(layers.Conv2D(1, (3, 1)), layers.Conv2D(1, 3, strides=(1, 2)))
    assert [(f.kernel, f.stride, f.size, f.jump) for f in helpers.receptive_field(rect)] == [
        ((3, 1), 1, (3, 1), 1), (3, (1, 2), (5, 3), (1, 2))]
    assert measured_field(rect, rect.layers[-1].name, 16)[:2] == (5, 3)
