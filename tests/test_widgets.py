"""The live widgets own their figures: changing one redraws its own figure and no other."""

import matplotlib

matplotlib.use("Agg")

import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402
import pytest  # noqa: E402
from scipy import signal  # noqa: E402

from helpers.widgets import KernelEditor, StepPlayer  # noqa: E402

RNG = np.random.default_rng(0)
PHOTOS = {"noise": RNG.random((40, 40)), "ramp": np.tile(np.linspace(0, 1, 40), (40, 1))}
CROPS = {name: (slice(5, 35), slice(5, 35)) for name in PHOTOS}
PRESETS = {"identity": np.eye(3)[[1]].T @ np.eye(3)[[1]],   # 1 in the centre only
           "box blur": np.ones((3, 3)) / 9}


def show(ax, img, k, title, crop):
    out = signal.correlate2d(img, k, mode="same")[crop]
    ax.imshow(out, cmap="gray", vmin=0, vmax=1)
    ax.set_title(title)
    return out


def another_figure():
    fig, axes = plt.subplots(1, 2)
    axes[0].imshow(PHOTOS["noise"])
    axes[1].plot([0, 1], [1, 0])
    fig.canvas.draw()
    return fig


def pixels(fig):
    fig.canvas.draw()
    return np.asarray(fig.canvas.buffer_rgba()).copy()


def test_editing_a_weight_redraws_the_editor_and_nothing_else():
    editor = KernelEditor(PHOTOS, CROPS, PRESETS, show, preset="identity", photo="noise")
    other = another_figure()                     # created after the editor, like the next cell's
    plt.figure()                                 # ... and a current figure of someone else's
    before, other_before = editor.image(), pixels(other)
    np.testing.assert_array_equal(editor.kernel, PRESETS["identity"])
    editor.weights[4].value = 0.25               # the centre weight, as a user would type it
    after = editor.image()
    assert editor.kernel[1, 1] == 0.25
    assert not np.array_equal(before, after), "the editor's figure did not change"
    np.testing.assert_array_equal(pixels(other), other_before)
    # the right panel shows exactly the photograph filtered with the edited kernel
    shown = editor.axes[1].images[0].get_array()
    expected = signal.correlate2d(PHOTOS["noise"], editor.kernel, mode="same")[CROPS["noise"]]
    np.testing.assert_allclose(shown, expected)


def test_a_preset_sets_all_nine_weights_and_the_photo_switches():
    editor = KernelEditor(PHOTOS, CROPS, PRESETS, show, preset="identity", photo="noise")
    editor.preset.value = "box blur"
    np.testing.assert_allclose(editor.kernel, PRESETS["box blur"])
    before = editor.image()
    editor.photo.value = "ramp"
    assert editor.axes[0].get_title() == "ramp"
    assert not np.array_equal(before, editor.image())


def test_player_draws_each_step_into_its_own_axes():
    drawn = []

    def draw_step(ax_in, ax_out, step):
        drawn.append(step)
        ax_in.imshow(np.arange(16).reshape(4, 4) == step)
        ax_out.set_title(f"step {step}")

    player = StepPlayer(draw_step, n_steps=16)
    other = another_figure()
    other_before, before = pixels(other), player.image()
    player.slider.value = 5
    assert drawn[-1] == 5 and player.axes[1].get_title() == "step 5"
    assert not np.array_equal(before, player.image())
    np.testing.assert_array_equal(pixels(other), other_before)


def test_still_image_and_live_widget_in_one_output():
    editor = KernelEditor(PHOTOS, CROPS, PRESETS, show, preset="box blur", photo="ramp")
    bundle = editor._repr_mimebundle_()
    assert bundle["application/vnd.jupyter.widget-view+json"]["model_id"] == editor.widget.model_id
    assert len(bundle["image/jpeg"]) > 1000


def test_bad_arguments_say_what_was_expected():
    with pytest.raises(ValueError, match="3 x 3"):
        KernelEditor(PHOTOS, CROPS, {"big": np.ones((5, 5))}, show, preset="big", photo="noise")
    with pytest.raises(ValueError, match="preset must be one of"):
        KernelEditor(PHOTOS, CROPS, PRESETS, show, preset="sharpen", photo="noise")
    for n_steps in (0, True, 3.0, "4"):           # a bool is not a count, 3.0 not an integer (the package's rule)
        with pytest.raises(ValueError, match="n_steps must be a positive integer"):
            StepPlayer(lambda *a: None, n_steps=n_steps)
