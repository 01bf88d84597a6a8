"""helpers.distribution_strategy / global_batch_size, with the multi-device path really run.

TensorFlow splits this machine's CPU into two logical devices only before it initialises its devices,
so that part runs in a fresh Python process."""

import json
import os
import subprocess
import sys
import textwrap

import pytest

tf = pytest.importorskip("tensorflow")

import helpers  # noqa: E402 (after the skip: helpers' own import does not need TensorFlow)

TWO_CPUS = textwrap.dedent("""
    import json, os
    import numpy as np
    import tensorflow as tf
    cpu, = tf.config.list_physical_devices("CPU")
    tf.config.set_logical_device_configuration(cpu, [tf.config.LogicalDeviceConfiguration()] * 2)
    import keras
    import helpers

    rng = np.random.default_rng(0)
    x = rng.normal(size=(64, 6, 6, 1)).astype("float32")
    y = rng.integers(0, 3, size=64)

    def build():
        keras.utils.set_random_seed(0)
        model = keras.Sequential([keras.Input((6, 6, 1)), keras.layers.Conv2D(4, 3, activation="relu"),
                                  keras.layers.Flatten(), keras.layers.Dense(3)])
        model.compile(optimizer=keras.optimizers.SGD(0.1),
                      loss=keras.losses.SparseCategoricalCrossentropy(from_logits=True))
        return model

    class Steps(keras.callbacks.Callback):
        def on_train_begin(self, logs=None):
            self.n = 0
        def on_train_batch_end(self, batch, logs=None):
            self.n += 1

    result = {}
    start = build().get_weights()
    for name, strategy in [("mirrored", helpers.distribution_strategy(["/cpu:0", "/cpu:1"])),
                           ("default", helpers.distribution_strategy())]:
        with strategy.scope():
            model = build()
        steps = Steps()
        batch = helpers.global_batch_size(8, strategy)
        history = model.fit(x, y, batch_size=batch, epochs=2, shuffle=False, verbose=0, callbacks=[steps])
        # one more step on the same 16 images from the same start: the update must not depend on
        # how the batch was split over replicas
        with strategy.scope():
            model = build()
        model.set_weights(start)
        model.fit(x[:16], y[:16], batch_size=16, epochs=1, shuffle=False, verbose=0)
        result[name] = {
            "type": type(strategy).__name__,
            "replicas": strategy.num_replicas_in_sync,
            "devices": list(strategy.extended.worker_devices) if name == "mirrored" else [],
            "batch": batch,
            "steps": steps.n,
            "loss": history.history["loss"],
            "one_step": [w.tolist() for w in model.get_weights()],
        }
    print("RESULT " + json.dumps(result))
""")


@pytest.fixture(scope="module")
def two_cpu_run():
    env = dict(os.environ, TF_CPP_MIN_LOG_LEVEL="3", CUDA_VISIBLE_DEVICES="")
    out = subprocess.run([sys.executable, "-c", TWO_CPUS], capture_output=True, text=True, env=env,
                         timeout=600)
    assert out.returncode == 0, out.stderr[-3000:]
    (line,) = [s for s in out.stdout.splitlines() if s.startswith("RESULT ")]
    return json.loads(line.removeprefix("RESULT "))


def test_mirrored_over_two_cpu_devices_trains(two_cpu_run):
    mirrored = two_cpu_run["mirrored"]
    assert mirrored["type"] == "MirroredStrategy" and mirrored["replicas"] == 2
    assert [d.rsplit("/", 1)[-1] for d in mirrored["devices"]] == ["device:CPU:0", "device:CPU:1"]
    assert all(0 < loss < 10 for loss in mirrored["loss"])


def test_default_strategy_without_gpus_trains(two_cpu_run):
    default = two_cpu_run["default"]
    assert default["type"] != "MirroredStrategy" and default["replicas"] == 1
    assert all(0 < loss < 10 for loss in default["loss"])


def test_global_batch_grows_with_replicas(two_cpu_run):
    mirrored, default = two_cpu_run["mirrored"], two_cpu_run["default"]
    assert (mirrored["batch"], default["batch"]) == (16, 8)
    # 64 images, 2 epochs: a step sees the global batch
    assert (mirrored["steps"], default["steps"]) == (2 * 64 // 16, 2 * 64 // 8)


def test_two_replicas_compute_the_same_update_as_one_device(two_cpu_run):
    """Data parallelism changes where the gradient is computed, not what it is."""
    import numpy as np
    for a, b in zip(two_cpu_run["mirrored"]["one_step"], two_cpu_run["default"]["one_step"]):
        np.testing.assert_allclose(a, b, rtol=1e-5, atol=1e-6)


def test_several_gpus_choose_mirrored(monkeypatch):
    made = []
    monkeypatch.setattr(tf.config, "list_logical_devices",
                        lambda kind=None: ["/gpu:0", "/gpu:1"] if kind == "GPU" else [])
    monkeypatch.setattr(tf.distribute, "MirroredStrategy", lambda **kw: made.append(kw) or "mirrored")
    assert helpers.distribution_strategy() == "mirrored" and made == [{}]


def test_one_gpu_or_none_gives_the_default_strategy(monkeypatch):
    for gpus in ([], ["/gpu:0"]):
        monkeypatch.setattr(tf.config, "list_logical_devices", lambda kind=None, g=gpus: g)
        assert helpers.distribution_strategy() is tf.distribute.get_strategy()


@pytest.mark.parametrize("devices", ["/cpu:0", [], ["/cpu:0", "/cpu:0"], ["/gpu:7"], [0], ["nonsense::"]])
def test_bad_devices(devices):
    with pytest.raises(ValueError, match="devices?"):
        helpers.distribution_strategy(devices)


@pytest.mark.parametrize("per_replica", [0, -8, 8.0, True, "8", None])
def test_bad_per_replica(per_replica):
    with pytest.raises(ValueError, match="per_replica must be a positive integer"):
        helpers.global_batch_size(per_replica, tf.distribute.get_strategy())


@pytest.mark.parametrize("strategy", [None, "mirrored", 2])
def test_bad_strategy(strategy):
    with pytest.raises(ValueError, match="strategy must be a tf.distribute strategy"):
        helpers.global_batch_size(8, strategy)


def test_global_batch_size_of_the_default_strategy():
    assert helpers.global_batch_size(128, tf.distribute.get_strategy()) == 128
