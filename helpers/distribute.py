"""Training on several devices: which tf.distribute strategy, and how big a batch.

With several GPUs, Keras trains data-parallel under ``tf.distribute.MirroredStrategy``: every device
holds a copy (replica) of the model, each step splits the *global* batch into equal shares, one per
replica, and the replicas' gradients are summed before the one update that all copies apply. The
global batch is therefore ``per_replica * replicas``: the work per device stays the same and a step
sees more images. With one GPU or none, TensorFlow's default strategy runs the same code unchanged.

    strategy = helpers.distribution_strategy()
    with strategy.scope():                      # build and compile inside the scope
        model = build_model(); model.compile(...)
    model.fit(x, y, batch_size=helpers.global_batch_size(128, strategy), ...)
"""

from .validation import positive_int


def distribution_strategy(devices=None):
    """The tf.distribute strategy to build and train a Keras model under.

    devices=None (the notebooks' call): ``MirroredStrategy`` over all GPUs when TensorFlow sees more
    than one, otherwise ``tf.distribute.get_strategy()`` (the default strategy: one device).
    devices=[...] : ``MirroredStrategy`` over exactly these logical devices, named as TensorFlow
    names them, e.g. ``["/cpu:0", "/cpu:1"]`` after splitting the CPU into two logical devices with
    ``tf.config.set_logical_device_configuration`` (how the tests run the multi-device path without
    a GPU). Raises ValueError for an empty list, a name that is not a string, a device listed twice,
    or a device TensorFlow does not have.
    """
    import tensorflow as tf

    if devices is None:
        gpus = tf.config.list_logical_devices("GPU")
        if len(gpus) > 1:
            return tf.distribute.MirroredStrategy()
        return tf.distribute.get_strategy()

    if isinstance(devices, str) or not isinstance(devices, (list, tuple)) or not devices:
        raise ValueError(f"devices must be None or a non-empty list of device names such as "
                         f"['/cpu:0', '/cpu:1'], got {devices!r}")
    available = {}
    for device in tf.config.list_logical_devices():
        spec = tf.DeviceSpec.from_string(device.name)
        available[(spec.device_type, spec.device_index)] = device.name
    chosen = []
    for name in devices:
        if not isinstance(name, str):
            raise ValueError(f"devices must hold device names (strings), got {name!r} in {devices!r}")
        try:
            spec = tf.DeviceSpec.from_string(name)
        except ValueError:
            spec = None
        key = None if spec is None else ((spec.device_type or "").upper(), spec.device_index)
        if key not in available:
            raise ValueError(f"no device {name!r} here; TensorFlow has {sorted(available.values())}")
        if available[key] in chosen:
            raise ValueError(f"device {name!r} is listed twice in {devices!r}")
        chosen.append(available[key])
    return tf.distribute.MirroredStrategy(devices=chosen)


def global_batch_size(per_replica, strategy):
    """The batch size to give ``model.fit``: ``per_replica * strategy.num_replicas_in_sync``.

    Each replica (device) then gets ``per_replica`` examples per step. Raises ValueError when
    per_replica is not a positive integer or strategy is not a tf.distribute strategy.
    """
    per_replica = positive_int(per_replica, "per_replica")
    replicas = getattr(strategy, "num_replicas_in_sync", None)
    if isinstance(replicas, bool) or not isinstance(replicas, int) or replicas < 1:
        raise ValueError(f"strategy must be a tf.distribute strategy (one with num_replicas_in_sync), "
                         f"got {strategy!r}")
    return per_replica * replicas
