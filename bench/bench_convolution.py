"""Speed of the course's convolutions: the naive loop, the vectorised helper, scipy and TensorFlow.

Two cases, as in issue 3:

- one 512 x 512 grayscale photograph (scikit-image's camera, float64) with a 3 x 3 kernel, stride 1,
  "valid": helpers.correlate2d (loop and vectorised), scipy.signal.correlate2d, scipy.ndimage.correlate
  (a second baseline; it computes the "same" size, so it does a little more), tf.nn.conv2d;
- a batch x of shape (32, 64, 64, 16) (float32) with 32 filters of 3 x 3 x 16, no bias (the
  convolution alone), stride 1, "same": helpers.conv2d (loop and vectorised), tf.nn.conv2d, and
  scipy.signal.correlate2d summed over the input channels (one call per image, channel and filter).

Every result is first checked against TensorFlow. Every time is the best of several runs, taken
round-robin (the least disturbed by other processes on a shared machine): 15 runs of the fast ones,
3 of the slow ones (the loops, the scipy layer), so both sides of every ratio are a best-of. The batch
loop runs on 1 of the 32 images and is multiplied by 32. A timing that could not be taken (its
library missing, its run failing) is printed as "missing", and so is every ratio that needs it.
A benchmark, not a test: the times move with the machine and its load. Prints the benchmark lines:

    .venv/bin/python -m bench.bench_convolution
"""

import os
import time

os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")

import numpy as np  # noqa: E402 - after TF_CPP_MIN_LOG_LEVEL is set
import tensorflow as tf  # noqa: E402 - after TF_CPP_MIN_LOG_LEVEL is set
from scipy import ndimage, signal  # noqa: E402 - after TF_CPP_MIN_LOG_LEVEL is set
from skimage import data  # noqa: E402 - after TF_CPP_MIN_LOG_LEVEL is set

import helpers  # noqa: E402 - after TF_CPP_MIN_LOG_LEVEL is set

REPEATS, SLOW_REPEATS = 15, 3


def once(fn):
    start = time.perf_counter()
    fn()
    return time.perf_counter() - start


def best_times(candidates, repeats):
    """{name: fn} -> {name: best of `repeats` seconds, or None when fn fails}, round-robin after one
    warm-up call each (which also checks that it runs)."""
    times = {}
    for name, fn in candidates.items():
        try:
            fn()
            times[name] = []
        except Exception as err:  # a missing library or a failing run: reported as missing
            print(f"# {name}: no timing ({type(err).__name__}: {err})", flush=True)
    for _ in range(repeats):
        for name in times:
            times[name].append(once(candidates[name]))
    return {name: min(times[name]) if name in times else None for name in candidates}


def ratio(a, b):
    return None if a is None or b is None else a / b


def line(name, value, unit, goal=None, scale=1.0):
    shown = "missing" if value is None else f"{value * scale:.3g} {unit}"
    print(f"bench {name}: {shown}" + (f" (goal {goal})" if goal else ""), flush=True)


def checked(results, reference, **tolerance):
    """The candidates whose result matches the reference (TensorFlow); the others fail loudly."""
    for name, fn in results.items():
        np.testing.assert_allclose(np.squeeze(fn()), np.squeeze(reference), err_msg=name, **tolerance)
    return results


def bench_image():
    image = data.camera().astype(np.float64) / 255                # 512 x 512
    kernel = np.array([[1.0, 2.0, 1.0], [0.0, 0.0, 0.0], [-1.0, -2.0, -1.0]]) / 4   # Sobel, horizontal edges
    assert image.shape == (512, 512)
    x4, w4 = image[None, :, :, None], kernel[:, :, None, None]
    reference = tf.nn.conv2d(x4, w4, strides=1, padding="VALID").numpy()[0, :, :, 0]
    fast = checked({
        "vectorised": lambda: helpers.correlate2d(image, kernel, padding="valid"),
        "scipy": lambda: signal.correlate2d(image, kernel, mode="valid"),
        "ndimage": lambda: ndimage.correlate(image, kernel, mode="constant")[1:-1, 1:-1],
        "tf": lambda: tf.nn.conv2d(x4, w4, strides=1, padding="VALID").numpy(),
    }, reference, atol=1e-9)
    slow = checked({"loop": lambda: helpers.correlate2d(image, kernel, padding="valid", method="loop")},
                   reference, atol=1e-9)
    t = best_times(fast, REPEATS) | best_times(slow, SLOW_REPEATS)
    print(f"# one 512x512 image (float64), 3x3 kernel, stride 1, 'valid'; best of {REPEATS} "
          f"(the loop: best of {SLOW_REPEATS})")
    line("correlate2d_image_loop", t["loop"], "s")
    for name in fast:
        line(f"correlate2d_image_{name}", t[name], "ms", scale=1e3)
    line("correlate2d_image_loop_vs_vectorised", ratio(t["loop"], t["vectorised"]), "x")
    line("correlate2d_image_vs_tf", ratio(t["vectorised"], t["tf"]), "x")
    line("correlate2d_image_vs_scipy", ratio(t["vectorised"], t["scipy"]), "x", goal="< 1")
    line("correlate2d_image_vs_ndimage", ratio(t["vectorised"], t["ndimage"]), "x")


def bench_batch():
    rng = np.random.default_rng(helpers.SEED)
    x = rng.normal(size=(32, 64, 64, 16)).astype(np.float32)
    w = rng.normal(size=(3, 3, 16, 32)).astype(np.float32)

    def scipy_layer():
        return np.stack([np.stack([sum(signal.correlate2d(img[:, :, c], w[:, :, c, k], mode="same")
                                       for c in range(16)) for k in range(32)], axis=-1) for img in x])

    reference = tf.nn.conv2d(x, w, strides=1, padding="SAME").numpy()
    tolerance = dict(rtol=1e-4, atol=1e-3)
    fast = checked({
        "vectorised": lambda: helpers.conv2d(x, w, stride=1, padding="same"),
        "tf": lambda: tf.nn.conv2d(x, w, strides=1, padding="SAME").numpy(),
    }, reference, **tolerance)
    checked({"loop": lambda: helpers.conv2d(x[:1], w, padding="same", method="loop")}, reference[:1], **tolerance)
    slow = {"loop_one_image": lambda: helpers.conv2d(x[:1], w, padding="same", method="loop"),
            "scipy": scipy_layer}
    checked({"scipy": scipy_layer}, reference, **tolerance)
    t = best_times(fast, REPEATS) | best_times(slow, SLOW_REPEATS)
    loop = None if t["loop_one_image"] is None else t["loop_one_image"] * 32
    print(f"# batch (32, 64, 64, 16) float32, 32 filters 3x3x16, stride 1, 'same'; best of {REPEATS} "
          f"(loop and scipy: best of {SLOW_REPEATS})")
    print("# loop: measured on 1 of the 32 images, times 32; scipy: 16384 calls of correlate2d")
    line("conv2d_batch_loop", loop, "s")
    line("conv2d_batch_scipy", t["scipy"], "s")
    for name in fast:
        line(f"conv2d_batch_{name}", t[name], "ms", scale=1e3)
    line("conv2d_batch_loop_vs_vectorised", ratio(loop, t["vectorised"]), "x")
    line("conv2d_batch_vs_tf", ratio(t["vectorised"], t["tf"]), "x", goal="<= 2")


if __name__ == "__main__":
    print(f"# numpy {np.__version__}, scipy {__import__('scipy').__version__}, tensorflow {tf.__version__}, "
          f"{os.cpu_count()} CPUs, load average {os.getloadavg()[0]:.1f} (a busy machine makes every time longer)")
    bench_image()
    bench_batch()
