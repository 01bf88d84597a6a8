"""Receptive fields of stacked convolution and pooling layers (the recursion of Distill's article).

Layer l has an f x f window (kernel k_l = f, for a convolution or a pooling layer) and stride s_l.
One unit of layer l sees a square of r_l x r_l input pixels, its receptive field, and two neighbouring
units of layer l are j_l input pixels apart (the jump, or effective stride). Starting from the input
itself (r_0 = 1, j_0 = 1):

    r_l = r_(l-1) + (k_l - 1) * j_(l-1),        j_l = j_(l-1) * s_l.

Padding moves where a field sits, not its size, so it does not appear. Three 3 x 3 convolutions with
stride 1 give r = 3, 5, 7: each unit of the third layer sees 7 x 7 input pixels. A dilated convolution
(dilation d) counts with its effective kernel k = d (f - 1) + 1. r_l is the field's extent: when a
layer's stride is larger than its kernel (s_l > k_l) it skips pixels, and the field has holes.
"""

from dataclasses import dataclass

from .validation import positive_int

__all__ = ["ReceptiveField", "receptive_field"]


@dataclass(frozen=True)
class ReceptiveField:
    """One counted layer: its ``name``, ``kernel`` k_l and ``stride`` s_l, and what one of its units
    sees of the input: a ``size`` x ``size`` square (r_l pixels a side), neighbours ``jump`` (j_l)
    pixels apart. Each is an int; where rows and columns differ (a 1 x 7 kernel, and the fields
    after it, in Inception) it is a (rows, cols) pair."""

    name: str
    kernel: int
    stride: int
    size: int
    jump: int


def _grow(size, jump, kernel, stride):
    """The recursion, one layer, one axis: r_l = r_(l-1) + (k_l - 1) j_(l-1), j_l = j_(l-1) s_l."""
    return size + (kernel - 1) * jump, jump * stride


def _field(name, *pairs):
    """ReceptiveField from (rows, cols) pairs, each written as one int when rows == cols."""
    return ReceptiveField(name, *(p[0] if p[0] == p[1] else tuple(p) for p in pairs))


def _pair(values, what, layer_name):
    """A Keras (rows, cols) pair of ints, for 2-D layers only."""
    values = tuple(int(v) for v in values)
    if len(values) != 2:
        raise ValueError(f"layer {layer_name!r} is not 2-D: its {what} is {values}; "
                         f"receptive_field handles 2-D convolution and pooling layers only")
    return values


def _from_pairs(layers):
    """[(kernel, stride), ...] or [(name, kernel, stride), ...] -> [(name, kernel, stride), ...]."""
    stack = []
    for i, item in enumerate(layers, start=1):
        if not isinstance(item, (tuple, list)) or len(item) not in (2, 3):
            raise ValueError(f"layer {i} must be a (kernel, stride) pair or a (name, kernel, stride) "
                             f"triple, a tuple or a list (in that order; a set has none), got {item!r}")
        name, kernel, stride = item if len(item) == 3 else (f"layer {i}", *item)
        if not isinstance(name, str):
            raise ValueError(f"layer {i}: the name must be a string, got {name!r}")
        stack.append((name, positive_int(kernel, f"layer {i}: the kernel k"),
                      positive_int(stride, f"layer {i}: the stride s")))
    return stack


#: Layers that keep every unit where its input's unit is (the field and the jump pass through
#: unchanged): element-wise layers, normalisation, noise and dropout, augmentation (identity at
#: inference), padding and cropping (they move the border, not the units), and Dense, which on a
#: feature map acts on each position's channels like a 1 x 1 convolution. Nothing else passes.
KEEPS_THE_GRID = (
    "InputLayer", "Activation", "ReLU", "LeakyReLU", "PReLU", "ELU", "Softmax", "Identity",
    "BatchNormalization", "LayerNormalization", "GroupNormalization", "UnitNormalization",
    "Dropout", "SpatialDropout2D", "GaussianNoise", "GaussianDropout", "AlphaDropout",
    "Rescaling", "Normalization", "RandomFlip", "RandomRotation", "RandomTranslation", "RandomZoom",
    "RandomContrast", "RandomBrightness", "RandomCrop", "ZeroPadding2D", "Cropping2D", "Dense",
)
#: Layers that merge branches: a unit's field is the largest of its inputs' (the union of paths).
MERGES = ("Add", "Subtract", "Multiply", "Average", "Maximum", "Minimum", "Concatenate")
#: Layers after which every unit sees the whole input: the spatial part of the network ends.
ENDS_SPATIAL = ("Flatten", "GlobalMaxPooling2D", "GlobalAveragePooling2D")
_COUNTED = ("Conv2D", "DepthwiseConv2D", "SeparableConv2D", "MaxPooling2D", "AveragePooling2D")
_UPSAMPLES = ("Conv2DTranspose", "UpSampling2D")


def _is(layer, names):
    """``layer`` is an instance of one of keras.layers' classes named ``names`` (subclasses too)."""
    import keras

    return isinstance(layer, tuple(getattr(keras.layers, n) for n in names if hasattr(keras.layers, n)))


def _as_list(tensors):
    return list(tensors) if isinstance(tensors, (list, tuple)) else [tensors]


class _Ended:
    """The state after Flatten or global pooling: every later unit sees the whole input."""

    def __init__(self, name):
        self.name = name


def _step(layer, states, fields, pass_through):
    """The state ((r_rows, r_cols), (j_rows, j_cols)) of ``layer``'s output from its inputs' states;
    counted layers and merges are appended to ``fields``."""
    import keras

    ended = [s for s in states if isinstance(s, _Ended)]
    if isinstance(layer, keras.Model):
        return _walk(layer, states, fields, pass_through)
    if _is(layer, _UPSAMPLES):
        raise ValueError(f"layer {layer.name!r} ({type(layer).__name__}) upsamples; the recursion "
                         f"r_l = r_(l-1) + (k_l - 1) j_(l-1) covers convolution and pooling only")
    if _is(layer, _COUNTED):
        if ended:
            raise ValueError(f"layer {layer.name!r} comes after {ended[0].name!r}, which flattened the "
                             f"feature maps; expected convolution and pooling layers before it")
        window = _pair(getattr(layer, "kernel_size", getattr(layer, "pool_size", ())), "window", layer.name)
        stride = _pair(layer.strides, "stride", layer.name)
        dilation = _pair(getattr(layer, "dilation_rate", (1, 1)), "dilation", layer.name)
        kernel = tuple(d * (k - 1) + 1 for d, k in zip(dilation, window))
        (size, jump), = states
        size, jump = zip(*map(_grow, size, jump, kernel, stride))
        fields.append(_field(layer.name, kernel, stride, size, jump))
        return size, jump
    if ended:
        return ended[0]                                  # the dense head: nothing spatial any more
    if _is(layer, MERGES):
        jumps = sorted({jump for _, jump in states})
        if len(jumps) > 1:
            raise ValueError(f"layer {layer.name!r} ({type(layer).__name__}) merges branches whose units "
                             f"are {jumps} input pixels apart (rows, cols); one jump per layer is "
                             f"expected (do the branches have the same product of strides?)")
        size = tuple(max(sizes) for sizes in zip(*(size for size, _ in states)))
        jump = jumps[0]
        fields.append(_field(layer.name, (1, 1), (1, 1), size, jump))
        return size, jump
    if _is(layer, KEEPS_THE_GRID) or type(layer).__name__ in pass_through:
        return states[0]
    if _is(layer, ENDS_SPATIAL) or (_is(layer, ("Reshape",)) and len(layer.target_shape) < 3):
        return _Ended(layer.name)
    raise ValueError(f"layer {layer.name!r} ({type(layer).__name__}) is not a layer receptive_field "
                     f"knows, and it may change the feature maps' geometry; expected convolution, "
                     f"pooling, merge or shape-preserving layers. If it keeps every unit where it is, "
                     f"pass pass_through=({type(layer).__name__!r},)")


def _walk(model, states, fields, pass_through):
    """Follow ``model``'s graph from the states of its inputs; returns its (first) output's state."""
    import keras

    if isinstance(model, keras.Sequential):              # a chain, built or not
        state, = states[:1]
        for layer in model.layers:
            state = _step(layer, [state], fields, pass_through)
        return state
    state_of = {id(t): s for t, s in zip(_as_list(model.inputs), states)}
    for layer in model.layers:
        if _is(layer, ("InputLayer",)):
            continue
        try:
            inputs, outputs = _as_list(layer.input), _as_list(layer.output)
        except (AttributeError, ValueError, RuntimeError):
            raise ValueError(f"layer {layer.name!r} is used more than once in model {model.name!r} (or is not "
                             f"connected); receptive_field follows layers that are called once") from None
        state = _step(layer, [state_of[id(t)] for t in inputs], fields, pass_through)
        state_of.update((id(t), state) for t in outputs)
    return state_of[id(_as_list(model.outputs)[0])]


def _from_keras(model, pass_through):
    import keras

    fields = []
    n_inputs = 1 if isinstance(model, keras.Sequential) else len(_as_list(model.inputs))
    _walk(model, [((1, 1), (1, 1))] * n_inputs, fields, pass_through)
    if not fields:
        raise ValueError(f"model {model.name!r} has no 2-D convolution or pooling layer, so no "
                         f"receptive field to compute")
    return fields


def receptive_field(layers, pass_through=()):
    """Receptive field size r_l and jump j_l of every convolution and pooling layer of a stack or model.

    ``layers`` is either a list of (kernel, stride) pairs, e.g. ``[(3, 1), (3, 1), (2, 2)]`` (or of
    (name, kernel, stride) triples), or a Keras model, Sequential or functional (ResNet, Inception,
    MobileNet, ...). In a model, Conv2D, DepthwiseConv2D, SeparableConv2D, MaxPooling2D and
    AveragePooling2D layers count (a dilated kernel with its effective size d (f - 1) + 1); the
    layers of ``KEEPS_THE_GRID`` (activations, batch normalisation, dropout, padding, ...) pass
    through; Flatten or global pooling ends the spatial part (every later unit sees the whole input)
    and later dense layers are not listed; nested models are opened. Any other layer raises a
    ValueError naming it, unless its class name is in ``pass_through`` (you vouch that it keeps
    every unit where it is).

    Returns one ``ReceptiveField(name, kernel, stride, size, jump)`` per counted layer, in the
    model's order, from

        r_0 = 1, j_0 = 1,    r_l = r_(l-1) + (k_l - 1) * j_(l-1),    j_l = j_(l-1) * s_l,

    so a unit of layer l sees ``size`` x ``size`` input pixels and its neighbours are ``jump`` input
    pixels further on. Where branches merge (Add, Concatenate, Multiply, Average, ...) the merge
    layer is listed too, with kernel 1 and stride 1: its field is the largest of its inputs' (the
    longest path), its jump the product of the strides along any path; paths that disagree on the
    jump raise a ValueError. Example: ``[(3, 1)] * 3`` gives sizes 3, 5, 7 and jumps 1, 1, 1.
    """
    if isinstance(layers, (str, bytes, dict, set, frozenset)):
        raise ValueError(f"layers must be a list of (kernel, stride) pairs or a Keras model, got {layers!r}")
    if hasattr(layers, "layers") and not isinstance(layers, (list, tuple)):
        return _from_keras(layers, tuple(pass_through))
    try:
        layers = list(layers)
    except TypeError:
        raise ValueError(f"layers must be a list of (kernel, stride) pairs or a Keras model, "
                         f"got {type(layers).__name__}") from None
    if not layers:
        raise ValueError("layers is empty; expected at least one (kernel, stride) pair")
    size, jump, fields = 1, 1, []
    for name, kernel, stride in _from_pairs(layers):
        size, jump = _grow(size, jump, kernel, stride)
        fields.append(ReceptiveField(name, kernel, stride, size, jump))
    return fields
