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

from .checks import positive_int

__all__ = ["ReceptiveField", "receptive_field"]


@dataclass(frozen=True)
class ReceptiveField:
    """One counted layer: its ``name``, ``kernel`` k_l and ``stride`` s_l, and what one of its units
    sees of the input: a ``size`` x ``size`` square (r_l pixels a side), neighbours ``jump`` (j_l)
    pixels apart."""

    name: str
    kernel: int
    stride: int
    size: int
    jump: int


def _square(values, what, layer_name):
    """A Keras (rows, cols) pair -> one int, for square windows only."""
    values = tuple(int(v) for v in values)
    if len(values) != 2:
        raise ValueError(f"layer {layer_name!r} is not 2-D: its {what} is {values}; "
                         f"receptive_field handles 2-D convolution and pooling layers only")
    if values[0] != values[1]:
        raise ValueError(f"layer {layer_name!r} has a non-square {what} {values}; "
                         f"receptive_field expects square windows and strides")
    return values[0]


def _from_pairs(layers):
    """[(kernel, stride), ...] or [(name, kernel, stride), ...] -> [(name, kernel, stride), ...]."""
    stack = []
    for i, item in enumerate(layers, start=1):
        if isinstance(item, (str, bytes)) or not hasattr(item, "__len__") or len(item) not in (2, 3):
            raise ValueError(f"layer {i} must be a (kernel, stride) pair or a (name, kernel, stride) "
                             f"triple, got {item!r}")
        name, kernel, stride = item if len(item) == 3 else (f"layer {i}", *item)
        if not isinstance(name, str):
            raise ValueError(f"layer {i}: the name must be a string, got {name!r}")
        stack.append((name, positive_int(kernel, f"layer {i}: the kernel k"),
                      positive_int(stride, f"layer {i}: the stride s")))
    return stack


# Layers that keep the grid of positions (their units sit where their input's units sit).
_PASS_THROUGH = ("InputLayer", "Activation", "ReLU", "LeakyReLU", "PReLU", "ELU", "Softmax",
                 "BatchNormalization", "LayerNormalization", "GroupNormalization", "Dropout",
                 "SpatialDropout2D", "GaussianNoise", "GaussianDropout", "Rescaling", "Normalization",
                 "Dense", "ZeroPadding2D", "Cropping2D")
# Layers after which every unit sees the whole input: the spatial part of the network ends.
_ENDS_SPATIAL = ("Flatten", "GlobalMaxPooling2D", "GlobalAveragePooling2D")


def _class_names(layer):
    return {cls.__name__ for cls in type(layer).__mro__}


def _shape_or_none(layer, attr):
    try:
        return tuple(getattr(layer, attr).shape)
    except (AttributeError, ValueError):
        return None


def _flatten_model(model):
    """The layers of a chain-shaped Keras model in order, with nested models opened."""
    import keras

    for layer in model.layers:
        if isinstance(layer, keras.Model):
            yield from _flatten_model(layer)
        else:
            yield layer


def _from_keras(model):
    stack, ended_at = [], None
    for layer in _flatten_model(model):
        names = _class_names(layer)
        counted = bool(names & {"BaseConv", "BaseDepthwiseConv", "BaseSeparableConv", "BasePooling"})
        if "Merge" in names:
            raise ValueError(f"layer {layer.name!r} ({type(layer).__name__}) merges branches; "
                             f"receptive_field expects a chain of layers (a Sequential-like model)")
        if "BaseConvTranspose" in names or "UpSampling2D" in names:
            raise ValueError(f"layer {layer.name!r} ({type(layer).__name__}) upsamples; the recursion "
                             f"r_l = r_(l-1) + (k_l - 1) j_(l-1) covers convolution and pooling only")
        if counted and ended_at is not None:
            raise ValueError(f"layer {layer.name!r} comes after {ended_at!r}, which flattened the "
                             f"feature maps; expected convolution and pooling layers before it")
        if counted:
            kernel = _square(getattr(layer, "kernel_size", getattr(layer, "pool_size", ())), "window",
                             layer.name)
            stride = _square(layer.strides, "stride", layer.name)
            dilation = _square(getattr(layer, "dilation_rate", (1, 1)), "dilation", layer.name)
            stack.append((layer.name, dilation * (kernel - 1) + 1, stride))
            continue
        if ended_at is not None or names & set(_PASS_THROUGH):
            continue
        if names & set(_ENDS_SPATIAL):
            ended_at = layer.name
            continue
        shape_in, shape_out = _shape_or_none(layer, "input"), _shape_or_none(layer, "output")
        if shape_in is not None and shape_in[1:] == shape_out[1:]:
            continue                                   # element-wise: keeps the grid
        if shape_out is not None and len(shape_out) < 4:
            ended_at = layer.name                      # e.g. a Reshape to a vector
            continue
        raise ValueError(f"layer {layer.name!r} ({type(layer).__name__}) changes the feature maps' "
                         f"geometry in a way receptive_field does not know (input {shape_in}, output "
                         f"{shape_out}); expected convolution, pooling or shape-preserving layers")
    if not stack:
        raise ValueError(f"model {model.name!r} has no 2-D convolution or pooling layer, so no "
                         f"receptive field to compute")
    return stack


def receptive_field(layers):
    """Receptive field size r_l and jump j_l of every convolution and pooling layer of a stack.

    ``layers`` is either a list of (kernel, stride) pairs, e.g. ``[(3, 1), (3, 1), (2, 2)]`` (or of
    (name, kernel, stride) triples), or a Keras model. In a model, Conv2D, DepthwiseConv2D,
    SeparableConv2D, MaxPooling2D and AveragePooling2D layers count (a dilated kernel with its
    effective size d (f - 1) + 1); layers that keep the grid of positions (activations, batch
    normalisation, dropout, padding, ...) pass through; Flatten or global pooling ends the spatial
    part (every later unit sees the whole input) and later dense layers are not listed.

    Returns one ``ReceptiveField(name, kernel, stride, size, jump)`` per counted layer, from

        r_0 = 1, j_0 = 1,    r_l = r_(l-1) + (k_l - 1) * j_(l-1),    j_l = j_(l-1) * s_l,

    so a unit of layer l sees ``size`` x ``size`` input pixels and its neighbours are ``jump`` input
    pixels further on. Example: ``[(3, 1)] * 3`` gives sizes 3, 5, 7 and jumps 1, 1, 1.
    """
    if isinstance(layers, (str, bytes, dict)):
        raise ValueError(f"layers must be a list of (kernel, stride) pairs or a Keras model, got {layers!r}")
    if hasattr(layers, "layers") and not isinstance(layers, (list, tuple)):
        stack = _from_keras(layers)
    else:
        try:
            layers = list(layers)
        except TypeError:
            raise ValueError(f"layers must be a list of (kernel, stride) pairs or a Keras model, "
                             f"got {type(layers).__name__}") from None
        if not layers:
            raise ValueError("layers is empty; expected at least one (kernel, stride) pair")
        stack = _from_pairs(layers)
    size, jump, fields = 1, 1, []
    for name, kernel, stride in stack:
        size = size + (kernel - 1) * jump
        jump = jump * stride
        fields.append(ReceptiveField(name, kernel, stride, size, jump))
    return fields
