"""Run the numbered notebooks the way Colab runs them, on Colab's package versions (`make colab`).

    .venv-colab/bin/python -m tools.colab_run notebooks/01_*.ipynb ...

Run with the Python of .venv-colab (requirements-colab.txt: Colab's published versions, Python 3.13).
Each notebook is copied ALONE into an empty temporary folder and executed there in a fresh kernel of
that environment, as Colab opens a notebook with nothing of the repository next to it:

- `"google.colab" in sys.modules` is true in the kernel (tools/colab_stub, imported at start-up), so the
  setup cell takes its Colab branch and installs `helpers` with %pip, as on Colab, but from a local
  clone of this repository (a copy of its files) in place of GitHub: the install line reads the
  requirement from $CNN_COURSE_HELPERS (tools/nav.py writes it that way);
- nothing else is downloaded: pip may install only from that clone and a local folder with the build
  tools (setuptools, wheel), so a package Colab lacks fails the run; every other download (datasets,
  weights) meets a closed proxy and fails as offline;
- before each notebook `helpers` is uninstalled, so every setup cell really installs it.

Prints one line per notebook and, for a failure, the cell and the error; exits 1 if any failed. The
executed notebooks are kept in build/colab/ for a look.
"""

import argparse
import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import nbformat
from nbclient import NotebookClient
from nbclient.exceptions import CellExecutionError, CellTimeoutError

from tools import ROOT

STUB = ROOT / "tools" / "colab_stub"
CLOSED_PROXY = "http://127.0.0.1:9"  # the discard port: nothing listens, every request fails at once


def local_clone(dest):
    """The repository's files as a clone would have them (tracked and new, not ignored) -> dest."""
    listed = subprocess.run(["git", "ls-files", "-z", "--cached", "--others", "--exclude-standard"],
                            cwd=ROOT, capture_output=True, check=True).stdout
    for name in filter(None, listed.decode().split("\0")):
        source = ROOT / name
        if source.is_file():
            (dest / name).parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(source, dest / name)
    return dest


def kernel_environment(work, clone, wheelhouse):
    env = {key: value for key, value in os.environ.items()
           if not key.startswith(("PIP_", "UV_", "CNN_COURSE_", "PYTHON", "JUPYTER", "IPYTHON"))
           and key.lower() not in ("http_proxy", "https_proxy", "all_proxy", "no_proxy")}
    ipython = work / "ipython"
    (ipython / "profile_default" / "startup").mkdir(parents=True)
    (ipython / "profile_default" / "startup" / "00-colab.py").write_text("import google.colab\n")
    env.update({
        "PYTHONPATH": str(STUB),
        "IPYTHONDIR": str(ipython),
        "CNN_COURSE_HELPERS": f"cnn-course-helpers @ {clone.as_uri()}",
        # %pip: no package index, no machine configuration; only the build tools' folder
        "PIP_CONFIG_FILE": os.devnull,
        "PIP_NO_INDEX": "1",
        "PIP_FIND_LINKS": str(wheelhouse),
        "PIP_DISABLE_PIP_VERSION_CHECK": "1",
        # anything else that tries the network fails as it does offline
        "HTTP_PROXY": CLOSED_PROXY, "HTTPS_PROXY": CLOSED_PROXY,
        "http_proxy": CLOSED_PROXY, "https_proxy": CLOSED_PROXY,
        # a new runtime: no cached datasets or weights, no matplotlib cache
        "KERAS_HOME": str(work / "keras"),
        "MPLCONFIGDIR": str(work / "matplotlib"),
        "PYDEVD_DISABLE_FILE_VALIDATION": "1",
    })
    return env


def first_error(nb):
    for i, cell in enumerate(nb.cells):
        for output in cell.get("outputs", []):
            if output.get("output_type") == "error":
                return i, f"{output.get('ename')}: {output.get('evalue')}"
    return None, None


def run(path, clone, wheelhouse, timeout, keep):
    with tempfile.TemporaryDirectory(prefix="colab-") as tmp:
        work = Path(tmp)
        folder = work / "content"  # Colab's working folder; the notebook alone in it
        folder.mkdir()
        shutil.copy2(path, folder / path.name)
        env = kernel_environment(work, clone, wheelhouse)
        subprocess.run([sys.executable, "-m", "pip", "uninstall", "-y", "-q", "cnn-course-helpers"],
                       env=env, capture_output=True)
        nb = nbformat.read(folder / path.name, as_version=4)
        client = NotebookClient(nb, timeout=timeout, kernel_name="python3",
                                resources={"metadata": {"path": str(folder)}})
        start = time.monotonic()
        error = None
        try:
            client.execute(env=env)
        except (CellExecutionError, CellTimeoutError) as exc:
            error = exc
        seconds = time.monotonic() - start
        keep.mkdir(parents=True, exist_ok=True)
        nbformat.write(nb, keep / path.name)
        cell, message = first_error(nb)
        if error is not None and message is None:
            message = str(error).strip().splitlines()[-1]
        return seconds, cell, message


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("notebooks", nargs="+", type=Path)
    parser.add_argument("--timeout", type=int, default=900, help="seconds per cell")
    args = parser.parse_args(argv)
    if not (STUB / "google" / "colab" / "__init__.py").is_file():
        raise SystemExit(f"colab_run.py: {STUB} is missing the google.colab stand-in")
    wheelhouse = Path(sys.prefix) / "wheelhouse"
    if not any(wheelhouse.glob("setuptools-*.whl")):
        raise SystemExit(f"colab_run.py: {wheelhouse} has no setuptools wheel (make colab puts it there)")
    print(f"colab_run.py: Python {sys.version.split()[0]}, {sys.prefix}")
    failed = []
    total = time.monotonic()
    with tempfile.TemporaryDirectory(prefix="colab-clone-") as tmp:
        clone = local_clone(Path(tmp) / "cnn-course")
        for path in args.notebooks:
            seconds, cell, message = run(path.resolve(), clone, wheelhouse, args.timeout,
                                         ROOT / "build" / "colab")
            if message is None:
                print(f"ok      {path.name}  ({seconds:.0f} s)", flush=True)
            else:
                failed.append(path.name)
                print(f"FAILED  {path.name}  ({seconds:.0f} s), cell {cell}: {message}", flush=True)
    print(f"colab_run.py: {len(args.notebooks)} notebooks in {time.monotonic() - total:.0f} s on Colab's stack")
    print(f"colab: {len(args.notebooks) - len(failed)} passed, {len(failed)} failed")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
