"""The pieces of `make colab` and of the uv set-up that can be checked without building .venv-colab:
the setup cells' install line, Colab's pins against what helpers requires, the google.colab stand-in,
the copy of the repository that the setup cell installs from, and pip's index settings handed to uv."""

import os
import subprocess
import sys
import tomllib

import pytest
from IPython.utils.text import DollarFormatter
from pins import norm, pins
from packaging.requirements import Requirement

from tools import ROOT, install, nav





def colab_pins():
    return pins(ROOT / "requirements-colab.txt")


def expand(line, environ):
    """What IPython runs for a %pip line: it expands {expressions} in magics as DollarFormatter does."""
    return DollarFormatter().vformat(line, [], {"os": type("os", (), {"environ": environ})})


def test_install_line_takes_github_unless_told_otherwise():
    line = nav.install_line()
    assert expand(line, {}) == f'%pip install -q "cnn-course-helpers @ git+{nav.repository_url()}"'
    local = "cnn-course-helpers @ file:///tmp/a clone"
    assert expand(line, {"CNN_COURSE_HELPERS": local}) == f'%pip install -q "{local}"'


def test_nav_rewrites_the_old_and_the_new_install_line():
    old = f'%pip install -q "cnn-course-helpers @ git+{nav.repository_url()}"'
    stale = nav.install_line().replace(nav.repository_url(), "https://github.com/someone/old-fork")
    for line in (old, stale, nav.install_line()):
        assert nav.PIP.sub(lambda _: nav.install_line(), f"    {line}\n") == f"    {nav.install_line()}\n"
    assert not nav.PIP.search('%pip install -q "numpy"')


def test_colab_pins_are_colabs_published_stack():
    pins = colab_pins()
    assert pins["tensorflow"].startswith("2.20.") and pins["keras"].startswith("3.13.")
    assert pins["numpy"].startswith("2.1.") and pins["scipy"].startswith("1.16.")
    assert pins["matplotlib"].startswith("3.10.") and pins["ipywidgets"] == "7.7.1"
    for tool in ("ipykernel", "nbclient", "pip", "setuptools"):   # runs the notebooks, installs helpers
        assert tool in pins


def test_helpers_requirements_admit_colabs_versions():
    """The setup cell's %pip must not replace anything Colab has: each of helpers' bounds holds for
    Colab's version, and Colab has every package helpers needs (else %pip would download it)."""
    meta = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]
    pins = colab_pins()
    for text in meta["dependencies"] + meta["optional-dependencies"]["keras"]:
        req = Requirement(text)
        name = norm(req.name)
        assert name in pins, f"Colab has no {req.name}"
        assert req.specifier.contains(pins[name], prereleases=True), f"{text} rejects Colab's {pins[name]}"


def test_google_colab_stand_in_leaves_google_a_namespace_package(tmp_path):
    stub = ROOT / "tools" / "colab_stub"
    assert (stub / "google" / "colab" / "__init__.py").is_file()
    assert not (stub / "google" / "__init__.py").exists(), "google/ must stay a namespace package"
    pytest.importorskip("google.protobuf")
    probe = "import google.colab, google.protobuf, sys; print('google.colab' in sys.modules)"
    out = subprocess.run([sys.executable, "-c", probe], env=dict(os.environ, PYTHONPATH=str(stub)),
                         cwd=tmp_path, capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "True"


def test_local_clone_has_the_package_and_nothing_ignored(tmp_path):
    pytest.importorskip("nbclient")
    from tools import colab_run
    clone = colab_run.local_clone(tmp_path / "clone")
    assert (clone / "pyproject.toml").is_file() and (clone / "helpers" / "__init__.py").is_file()
    assert (clone / "helpers" / "resources" / "ilsvrc_top5.csv").is_file()
    assert not (clone / ".venv").exists() and not (clone / ".git").exists()


def test_pip_settings_reach_uv():
    listed = "\n".join([
        "global.cert='/etc/ssl/certs/ca.crt'",
        "global.extra-index-url='file:///a/simple file:///b/simple'",
        "global.find-links='/opt/wheels'",
        "global.index-url='https://mirror.example/simple'",
        "install.index-url='https://install.example/simple'",
        "download.find-links='/not/for/install'",
        ":env:.find-links='/env/wheels /more'",
        "global.constraint='/etc/caps.txt'",
    ])
    config = install.parse_config_list(listed)
    assert config["index-url"] == "https://install.example/simple"   # [install] over [global]
    assert config["find-links"] == "/env/wheels /more"                # PIP_* over files
    env = install.uv_environment(config, environ={})
    assert env == {
        "UV_DEFAULT_INDEX": "https://install.example/simple",
        "UV_INDEX": "file:///a/simple file:///b/simple",
        "UV_FIND_LINKS": "/env/wheels,/more",
        "UV_CONSTRAINT": "/etc/caps.txt",
        "SSL_CERT_FILE": "/etc/ssl/certs/ca.crt",
        "UV_INDEX_STRATEGY": "unsafe-best-match",
    }
    # a user's own UV_* setting wins; no pip configuration (PyPI) gives uv nothing to change
    assert "UV_INDEX" not in install.uv_environment(config, environ={"UV_INDEX": "x"})
    assert install.uv_environment({}, environ={}) == {}
