"""tools/python.sh, the set-up's choice of Python, on machines made of fake interpreters.

Each test runs the script (copied with tools/install.py, which pins uv, into a temporary folder) with a
PATH that holds only fake `python3.X`, `python3` and `uv` programs: shell scripts that answer the
script's version question as the Python they pretend to be, and, for uv, write down what they were asked
and pretend to install. Nothing is downloaded and no real interpreter is asked.
"""

import os
import shutil
import subprocess

import pytest

from tools import ROOT

SH = shutil.which("sh") or "/bin/sh"


def fake_python(folder, name, version):
    """An executable `name` that says it is Python `version`; `-m venv DIR` makes DIR/bin/python (itself),
    `-m pip install ... --target DIR uv==X` installs a fake uv into DIR/bin (the log names the call)."""
    path = folder / name
    path.write_text(f"""#!/bin/sh
echo "$0 $*" >> "{folder}/calls.log"
case "$*" in
  *version_info*) echo "{version} $0" ;;
  "-m venv "*) mkdir -p "$3/bin" && cp "$0" "$3/bin/python" ;;
  *"-m pip install"*"--target"*)
    for a in "$@"; do [ "$prev" = "--target" ] && target=$a; prev=$a; done
    [ -x "{folder}/uv.to-install" ] || exit 1
    mkdir -p "$target/bin" && cp "{folder}/uv.to-install" "$target/bin/uv" ;;
  *) exit 1 ;;
esac
""")
    path.chmod(0o755)
    return path


def fake_uv(folder, name="uv", installs=None, knows=None):
    """A uv that finds `knows` (a path) for `python find`, and after `python install` finds `installs`."""
    path = folder / name
    installed = folder / "installed"
    path.write_text(f"""#!/bin/sh
echo "uv $*" >> "{folder}/calls.log"
case "$1 $2" in
  "python find")
    if [ -n "{knows or ''}" ]; then echo "{knows or ''}"
    elif [ -e "{installed}" ]; then echo "{installs or ''}"
    else exit 2; fi ;;
  "python install") [ -n "{installs or ''}" ] && : > "{installed}" ;;
  *) exit 2 ;;
esac
""")
    path.chmod(0o755)
    return path


@pytest.fixture
def machine(tmp_path):
    """(run, bin folder, hidden folder): the script in a copy of the repository's tools/, a PATH of the
    bin folder alone; interpreters in the hidden folder are not on PATH (where uv puts its own)."""
    (tmp_path / "repo" / "tools").mkdir(parents=True)
    for name in ("python.sh", "install.py"):
        shutil.copy(ROOT / "tools" / name, tmp_path / "repo" / "tools" / name)
    bin_, hidden = tmp_path / "bin", tmp_path / "hidden"
    bin_.mkdir()
    hidden.mkdir()
    for tool in ("rm", "mkdir", "cp"):           # what `--venv` and the fakes use besides the shell
        os.symlink(shutil.which(tool), bin_ / tool)

    def run(*args):
        done = subprocess.run([SH, str(tmp_path / "repo" / "tools" / "python.sh"), *args],
                              env={"PATH": str(bin_), "HOME": str(tmp_path)},
                              capture_output=True, text=True, timeout=60)
        log = bin_ / "calls.log"
        return done.returncode, done.stdout.strip(), done.stderr.strip(), log.read_text() if log.exists() else ""

    return run, bin_, hidden


def test_a_314_python3_alone_gets_311_from_uv(machine):
    run, bin_, hidden = machine
    fake_python(bin_, "python3", "3.14.0")
    managed = fake_python(hidden, "python3.11", "3.11.14")      # where uv would put its CPython
    fake_uv(bin_, installs=managed)
    code, out, err, log = run()
    assert code == 0 and out == str(managed)
    assert "uv python install 3.11" in log
    chosen = [line for line in err.splitlines() if line.startswith("setup: Python")]
    assert chosen == [f"setup: Python 3.11.14 from uv ({managed}): no Python 3.11, 3.12 or 3.13 on PATH "
                      "(python3 is 3.14.0)"], err


def test_uv_is_installed_with_pip_where_there_is_none(machine, tmp_path):
    """No uv on PATH: the 3.14 python3 installs uv (the version tools/install.py pins) into build/uv."""
    run, bin_, hidden = machine
    fake_python(bin_, "python3", "3.14.0")
    managed = fake_python(hidden, "python3.11", "3.11.14")
    fake_uv(bin_, name="uv.to-install", installs=managed)
    from tools.install import UV_VERSION

    code, out, err, log = run()
    assert code == 0 and out == str(managed), err
    assert f"--target {tmp_path / 'repo' / 'build' / 'uv'} uv=={UV_VERSION}" in log
    assert "uv python install 3.11" in log and f"installing uv {UV_VERSION}" in err


def test_uv_first_finds_a_python_it_knows(machine):
    run, bin_, hidden = machine
    fake_python(bin_, "python3", "3.14.0")
    known = fake_python(hidden, "python3.11", "3.11.9")
    fake_uv(bin_, knows=known)
    code, out, _, log = run()
    assert code == 0 and out == str(known) and "python install" not in log


def test_without_a_supported_python_or_uv_one_sentence_says_what_to_install(machine):
    run, bin_, _ = machine
    fake_python(bin_, "python3", "3.14.0")                   # its pip cannot install uv (offline)
    code, out, err, _ = run()
    assert code == 1 and out == ""
    last = err.splitlines()[-1]
    assert "install Python 3.11" in last and "python3 is 3.14.0" in last and "make PYTHON=" in last


def test_uv_that_cannot_download_ends_in_the_same_sentence(machine):
    run, bin_, _ = machine
    fake_python(bin_, "python3", "3.14.0")
    fake_uv(bin_)                                            # `uv python install` fails
    code, _, err, log = run()
    assert code == 1 and "uv python install 3.11" in log and "install Python 3.11" in err.splitlines()[-1]


@pytest.mark.parametrize("present, expected", [
    ({"python3": "3.14.0", "python3.12": "3.12.8", "python3.13": "3.13.1"}, "python3.12"),
    ({"python3": "3.13.1", "python3.11": "3.11.2", "python3.12": "3.12.8"}, "python3.11"),
    ({"python3": "3.11.7", "python3.13": "3.13.1"}, "python3"),
    ({"python": "3.12.8"}, "python"),
])
def test_a_supported_python_on_path_is_chosen_without_uv(machine, present, expected):
    run, bin_, _ = machine
    for name, version in present.items():
        fake_python(bin_, name, version)
    fake_uv(bin_)
    code, out, err, log = run()
    assert code == 0 and out == str(bin_ / expected)
    assert err.startswith(f"setup: Python {present[expected]} ({bin_ / expected})") and "\n" not in err
    assert "uv " not in log


def test_an_explicit_python_is_used_if_supported(machine):
    run, bin_, _ = machine
    fake_python(bin_, "python3.11", "3.11.2")
    mine = fake_python(bin_, "python3.12", "3.12.8")
    code, out, err, _ = run("python3.12")
    assert code == 0 and out == str(mine) and "as PYTHON=python3.12 asks" in err
    old = fake_python(bin_, "python3.14", "3.14.0")
    code, out, err, _ = run(str(old))
    assert code == 1 and out == "" and "is Python 3.14.0" in err and "3.11, 3.12 or 3.13" in err
    code, _, err, _ = run("python9")
    assert code == 1 and "PYTHON=python9 does not run" in err


def test_venv_is_made_with_the_choice_and_a_314_venv_is_made_again(machine, tmp_path):
    """`make setup` runs `--venv .venv`: a .venv left by a 3.14 python3 is removed and made again."""
    run, bin_, hidden = machine
    fake_python(bin_, "python3", "3.14.0")
    managed = fake_python(hidden, "python3.11", "3.11.14")
    fake_uv(bin_, installs=managed)
    venv = tmp_path / "venv"
    (venv / "bin").mkdir(parents=True)
    fake_python(venv / "bin", "python", "3.14.0")
    code, _, err, log = run("--venv", str(venv))
    assert code == 0, err
    assert "has Python 3.14.0, which TensorFlow 2.21 does not support" in err
    assert f"{managed} -m venv {venv}" in (hidden / "calls.log").read_text()
    assert 'echo "3.11.14 $0"' in (venv / "bin" / "python").read_text()     # a copy of the 3.11
    code, _, err, _ = run("--venv", str(venv))                # a supported .venv is kept, silently
    assert code == 0 and err == ""
