"""Live widgets of notebooks 02 and 03. Each owns its figure and axes, whatever runs after it.

A widget draws its figure into its own ``ipywidgets.Output``, shown together with its controls, so
editing it redraws that figure and no other (a cell further down may reuse the names ``fig`` or
``axes`` freely). Displayed, it gives one output with two forms of itself: the live widget (which
JupyterLab, RISE and Colab show) and a still image of its current figure (what a page without a
kernel can show). Works with ipywidgets 7.7 (Colab), 7.8 (the course's pin: it also works in RISE's
slideshow) and 8.x.
"""

import base64
import io

import ipywidgets as widgets
import numpy as np
from IPython.display import display
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure

from . import validation


class _LiveFigure:
    """A figure owned by one widget: drawn into the widget's Output, never through global names."""

    def __init__(self, controls, figsize, **subplots):
        self.fig = Figure(figsize=figsize)     # not pyplot's: no other cell can draw into it
        FigureCanvasAgg(self.fig)
        self.axes = self.fig.subplots(**subplots)
        self.output = widgets.Output()
        self.widget = widgets.VBox([controls, self.output])

    def _draw(self):
        raise NotImplementedError

    def redraw(self):
        """Draw the figure again from the widget's current values, inside the widget's Output."""
        for ax in np.ravel(self.axes):
            ax.clear()
        self._draw()
        with self.output:
            self.output.clear_output(wait=True)
            display(self.fig)

    def image(self):
        """The figure's pixels as an (H, W, 4) uint8 array (what the widget shows)."""
        self.fig.canvas.draw()
        return np.asarray(self.fig.canvas.buffer_rgba()).copy()

    def _repr_mimebundle_(self, include=None, exclude=None):
        fmt = "jpeg" if getattr(self, "still_format", "png") == "jpeg" else "png"
        buffer = io.BytesIO()
        self.fig.savefig(buffer, format=fmt, bbox_inches="tight")
        return {
            "application/vnd.jupyter.widget-view+json":
                {"version_major": 2, "version_minor": 0, "model_id": self.widget.model_id},
            f"image/{fmt}": base64.b64encode(buffer.getvalue()).decode("ascii"),
            "text/plain": f"{type(self).__name__} (live widget; a still image without a kernel)",
        }


class KernelEditor(_LiveFigure):
    """03's kernel editor: nine weights, a preset and a photograph to choose; the photograph and the
    photograph filtered with the kernel side by side.

    ``show(ax, image, kernel, title, crop)`` draws one filtered crop (the notebook's ``show_filtered``);
    ``presets`` maps names to 3 x 3 kernels, ``photos`` names to 2-D images, ``crops`` names to a
    (rows, cols) pair of slices. ``identity`` is the kernel drawn in the left panel. At the default
    ``figsize`` the cell's code, the controls and the figure fit one 1280 x 720 slide (tests/test_rise.py).
    """

    def __init__(self, photos, crops, presets, show, preset, photo, figsize=(8, 4)):
        if not presets or any(np.shape(k) != (3, 3) for k in presets.values()):
            raise ValueError("presets must be a non-empty dict of 3 x 3 kernels")
        if preset not in presets or photo not in photos:
            raise ValueError(f"preset must be one of {list(presets)} and photo one of {list(photos)}; "
                             f"got {preset!r} and {photo!r}")
        self.photos, self.crops, self.presets, self.show = photos, crops, presets, show
        self.still_format = "jpeg"
        self.weights = [widgets.FloatText(layout=widgets.Layout(width="70px")) for _ in range(9)]
        self.preset = widgets.Dropdown(options=list(presets), value=preset, description="preset")
        self.photo = widgets.Dropdown(options=list(photos), value=photo, description="photo")
        grid = widgets.GridBox(self.weights,
                               layout=widgets.Layout(grid_template_columns="repeat(3, 75px)"))
        super().__init__(widgets.HBox([grid, widgets.VBox([self.preset, self.photo])]), figsize,
                         ncols=2)
        self._loading = False
        for w in [*self.weights, self.photo]:
            w.observe(self._changed, names="value")
        self.preset.observe(self._load_preset, names="value")
        self._load_preset()

    @property
    def kernel(self):
        """The 3 x 3 kernel the nine inputs hold now."""
        return np.array([w.value for w in self.weights], dtype=float).reshape(3, 3)

    def _load_preset(self, _=None):
        self._loading = True                 # nine weights change: draw once, at the end
        try:
            for w, v in zip(self.weights, np.ravel(self.presets[self.preset.value])):
                w.value = float(v)
        finally:
            self._loading = False
        self.redraw()

    def _changed(self, _=None):
        if not self._loading:
            self.redraw()

    def _draw(self):
        name = self.photo.value
        identity = np.zeros((3, 3))
        identity[1, 1] = 1
        self.show(self.axes[0], self.photos[name], identity, name, self.crops[name])
        self.show(self.axes[1], self.photos[name], self.kernel, "with your kernel", self.crops[name])


class StepPlayer(_LiveFigure):
    """02's sliding-window player: a play button and a slider over ``n_steps`` positions;
    ``draw_step(ax_in, ax_out, step)`` draws one position into the player's own two axes."""

    def __init__(self, draw_step, n_steps, figsize=(9, 4.4), width_ratios=(6, 4), interval=800):
        n_steps = validation.positive_int(n_steps, "n_steps")
        self.draw_step = draw_step
        self.play = widgets.Play(min=0, max=n_steps - 1, interval=interval, description="play")
        self.slider = widgets.IntSlider(min=0, max=n_steps - 1, description="position")
        widgets.jslink((self.play, "value"), (self.slider, "value"))
        super().__init__(widgets.HBox([self.play, self.slider]), figsize, ncols=2,
                         gridspec_kw={"width_ratios": list(width_ratios)})
        self.slider.observe(lambda change: self.redraw(), names="value")
        self.redraw()

    def _draw(self):
        self.draw_step(*self.axes, self.slider.value)
        self.fig.tight_layout()
