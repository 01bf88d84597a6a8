"""Stand-in for Colab's `google.colab`, for `make colab` only (tools/colab_run.py).

A notebook's setup cell takes its Colab branch when `"google.colab" in sys.modules`; the runner
imports this module when the kernel starts, as Colab's runtime imports the real one. It does nothing
else. `google/` has no __init__.py on purpose: `google` is a namespace package (protobuf's
`google.protobuf` lives in it too).
"""
