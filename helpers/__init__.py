"""Code shared by the notebooks of the lecture "Convolutional neural networks"."""

from .config import SEED
from .params import conv_params, dense_params, format_bytes, param_memory
from .plotting import use_lecture_style
