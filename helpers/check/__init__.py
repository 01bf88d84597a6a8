"""Checks for the notebooks' code exercises: ``check.output_size(output_size)`` and its siblings.

Each checker calls the student's function on the lecture's example and on random cases the student
did not see, compares every answer with an independent reference (scipy, numpy, scikit-learn, Keras;
never the course's own helper for the same formula), and prints ONE line:

    ✅ ... what was checked and passed
    ❌ ... the first case that is wrong, what came back, what was due and why, in the lecture's terms
    ⏳ ... not done yet: what to write (the function still raises NotImplementedError, nbgrader's stub)

A checker never shows a traceback and returns None; random cases come from a fixed seed, so a check
prints the same line every run. A hint names a mistake only when the evidence determines it (one
formula gives the student's answer on every case tried); otherwise the line gives the case, what came
back and what was due.

The package holds one module per notebook, named after its number, with that notebook's checkers in
lecture order: ``nb01`` (dense_image_params, locate_pattern), ``nb02`` (correlate2d, correlate2d_shifts), ``nb03``
(diagonal_kernel, line_kernel), ``nb04`` (orientation_selectivity, preferred_orientation), ``nb05``
(output_size, same_padding), ``nb06`` (max_pool, receptive_field), ``nb07`` (smaller_cnn,
confusion_matrix), ``nb08`` (vgg_block_params, conv_as_dense). ``verdict`` is the plumbing they share:
the one-line verdicts, calling the student's function, reading and naming what came back, tolerances.
"""

from .nb01 import dense_image_params, locate_pattern
from .nb02 import correlate2d, correlate2d_shifts
from .nb03 import diagonal_kernel, line_kernel
from .nb04 import orientation_selectivity, preferred_orientation
from .nb05 import output_size, same_padding
from .nb06 import max_pool, receptive_field
from .nb07 import confusion_matrix, smaller_cnn
from .nb08 import conv_as_dense, vgg_block_params
from .verdict import DONE, TODO, WRONG

__all__ = ["confusion_matrix", "conv_as_dense", "correlate2d", "correlate2d_shifts", "dense_image_params",
           "diagonal_kernel", "line_kernel", "locate_pattern", "max_pool", "orientation_selectivity", "output_size",
           "preferred_orientation", "receptive_field", "same_padding", "smaller_cnn", "vgg_block_params"]
