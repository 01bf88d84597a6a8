"""Speed of the course's convolutions: the naive loop, the vectorised helper, scipy and TensorFlow.

Two cases, as in issue 3:

- one 512 x 512 grayscale photograph (scikit-image's camera, float64) with a 3 x 3 kernel, stride 1,
  "valid": helpers.correlate2d (loop and vectorised), scipy.signal.correlate2d, tf.nn.conv2d;
- a batch x of shape (32, 64, 64, 16) (float32) with 32 filters of 3 x 3 x 16, no bias (the
  convolution alone), stride 1, "same": helpers.conv2d (loop and vectorised), tf.nn.conv2d, and
  scipy.signal.correlate2d summed over the input channels (one call per image, channel and filter).

Every result is first checked against TensorFlow. The fast ones are timed round-robin, 15 times,
and the best time is kept (the least disturbed by other processes on a shared machine). The naive
loops run once; the batch loop runs on 1 of the 32 images and is multiplied by 32. A benchmark, not
a test: the times move with the machine and its load. Prints the course's benchmark lines:

    .venv/bin/python bench/bench_convolution.py
"""

import os
import time

os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")

import numpy as np  # noqa: E402 - after TF_CPP_MIN_LOG_LEVEL is set
import tensorflow as tf  # noqa: E402 - after TF_CPP_MIN_LOG_LEVEL is set
from scipy import signal  # noqa: E402 - after TF_CPP_MIN_LOG_LEVEL is set
from skimage import data  # noqa: E402 - after TF_CPP_MIN_LOG_LEVEL is set

import helpers  # noqa: E402 - after TF_CPP_MIN_LOG_LEVEL is set

REPEATS = 15


def once(fn):
    start = time.perf_counter()
    fn()
    return time.perf_counter() - start


def best_times(candidates, repeats=REPEATS):
    """{name: fn} -> {name: best of `repeats` seconds}, run round-robin after one warm-up call each."""
    for fn in candidates.values():
        fn()
    times = {name: [] for name in candidates}
    for _ in range(repeats):
        for name, fn in candidates.items():
            times[name].append(once(fn))
    return {name: min(ts) for name, ts in times.items()}


def line(name, value, unit, goal=None):
    text = f"bench {name}: {value:.3g} {unit}"
    print(text + (f" (goal {goal})" if goal else ""), flush=True)


def bench_image():
    image = data.camera().astype(np.float64) / 255                # 512 x 512
    kernel = np.array([[1.0, 2.0, 1.0], [0.0, 0.0, 0.0], [-1.0, -2.0, -1.0]]) / 4   # Sobel, horizontal edges
    assert image.shape == (512, 512)
    x4, w4 = image[None, :, :, None], kernel[:, :, None, None]
    fast = {
        "vectorised": lambda: helpers.correlate2d(image, kernel, padding="valid"),
        "scipy": lambda: signal.correlate2d(image, kernel, mode="valid"),
        "tf": lambda: tf.nn.conv2d(x4, w4, strides=1, padding="VALID").numpy(),
    }
    reference = fast["tf"]()[0, :, :, 0]
    for name, fn in fast.items():
        np.testing.assert_allclose(np.squeeze(fn()), reference, atol=1e-9, err_msg=name)
    loop_result = []
    loop = once(lambda: loop_result.append(helpers.correlate2d(image, kernel, padding="valid", method="loop")))
    np.testing.assert_allclose(loop_result[0], reference, atol=1e-9)
    t = best_times(fast)
    print("# one 512x512 image (float64), 3x3 kernel, stride 1, 'valid'; the loop runs once")
    line("correlate2d_image_loop", loop, "s")
    for name in fast:
        line(f"correlate2d_image_{name}", t[name] * 1e3, "ms")
    line("correlate2d_image_loop_vs_vectorised", loop / t["vectorised"], "x")
    line("correlate2d_image_vs_tf", t["vectorised"] / t["tf"], "x")
    line("correlate2d_image_vs_scipy", t["vectorised"] / t["scipy"], "x", goal="< 1")


def bench_batch():
    rng = np.random.default_rng(helpers.SEED)
    x = rng.normal(size=(32, 64, 64, 16)).astype(np.float32)
    w = rng.normal(size=(3, 3, 16, 32)).astype(np.float32)

    def scipy_layer():
        return np.stack([np.stack([sum(signal.correlate2d(img[:, :, c], w[:, :, c, k], mode="same")
                                       for c in range(16)) for k in range(32)], axis=-1) for img in x])

    fast = {
        "vectorised": lambda: helpers.conv2d(x, w, stride=1, padding="same"),
        "tf": lambda: tf.nn.conv2d(x, w, strides=1, padding="SAME").numpy(),
    }
    reference = fast["tf"]()
    np.testing.assert_allclose(fast["vectorised"](), reference, rtol=1e-4, atol=1e-3)
    scipy_result = []
    scipy_time = once(lambda: scipy_result.append(scipy_layer()))
    np.testing.assert_allclose(scipy_result[0], reference, rtol=1e-4, atol=1e-3)
    loop_result = []
    loop_one = once(lambda: loop_result.append(helpers.conv2d(x[:1], w, padding="same", method="loop")))
    np.testing.assert_allclose(loop_result[0], reference[:1], rtol=1e-4, atol=1e-3)
    t = best_times(fast)
    print("# batch (32, 64, 64, 16) float32, 32 filters 3x3x16, stride 1, 'same'")
    print("# loop: measured on 1 of the 32 images, times 32; scipy: 16384 calls of correlate2d, run once")
    line("conv2d_batch_loop", loop_one * 32, "s")
    line("conv2d_batch_scipy", scipy_time, "s")
    for name in fast:
        line(f"conv2d_batch_{name}", t[name] * 1e3, "ms")
    line("conv2d_batch_loop_vs_vectorised", loop_one * 32 / t["vectorised"], "x")
    line("conv2d_batch_vs_tf", t["vectorised"] / t["tf"], "x", goal="<= 2")


if __name__ == "__main__":
    print(f"# best of {REPEATS} round-robin runs; numpy {np.__version__}, scipy "
          f"{__import__('scipy').__version__}, tensorflow {tf.__version__}, {os.cpu_count()} CPUs")
    bench_image()
    bench_batch()
