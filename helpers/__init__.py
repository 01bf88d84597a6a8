"""Code shared by the notebooks of the lecture "Convolutional neural networks".

Array layout, and the rule for NaN, infinity and bool, for every helper: helpers/validation.py's docstring
(2-D (n_H, n_W), 3-D (n_H, n_W, n_c), 4-D (m, n_H, n_W, n_c)). Padding names: ``conv_output_size``.
"""

from .config import SEED
from .convolution import conv2d, conv_output_size, convolve2d, correlate2d
from .data import DatasetUnavailableError, class_names, is_offline_error, load_dataset, shift_images
from .distribute import distribution_strategy, global_batch_size
from .grids import conv_grid_legend, draw_conv_grid
from .hubel_wiesel import TuningCurve, gabor_kernel, orientation_selectivity, oriented_bar, tuning_curve
from .imagenet import ilsvrc_top5
from .models import (VGG16_BLOCKS, TrainingRun, dense_baseline, fit_classifier, print_summary, vgg_block,
                     vgg_style_cnn)
from .params import conv_params, dense_params, format_bytes, param_memory
from .plotting import use_lecture_style
from .pooling import max_pool2d
from .receptive_field import ReceptiveField, receptive_field
from . import check  # the code exercises' checkers: check.output_size(output_size) ...
from . import pretrained  # VGG16's trained ImageNet weights, loaded only on request (notebook 08)
