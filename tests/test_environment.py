"""requirements.txt and environment.yml describe the same environment."""

import re
import tomllib
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parents[1]


def norm(name):
    return re.sub(r"[-_.]+", "-", name).lower().split("[")[0]


def pip_pins():
    pins = {}
    for line in (ROOT / "requirements.txt").read_text().splitlines():
        line = line.split("#")[0].strip()
        if line:
            name, _, version = line.partition("==")
            assert version, f"requirements.txt: {line!r} is not pinned with =="
            pins[norm(name)] = version
    return pins


def conda_pins():
    env = yaml.safe_load((ROOT / "environment.yml").read_text())
    assert env["channels"] == ["conda-forge"]
    pins = {}
    for dep in env["dependencies"]:
        entries = dep["pip"] if isinstance(dep, dict) else [dep]
        for entry in entries:
            name, version = re.split(r"==?", entry) if "=" in entry else (entry, None)
            pins[norm(name)] = version
    return pins


def test_both_files_pin_the_same_packages_at_the_same_versions():
    conda = conda_pins()
    assert conda.pop("python") == "3.11" and conda.pop("pip") is None
    assert conda == pip_pins()


def test_course_stack_versions():
    pins = pip_pins()
    assert pins["tensorflow"].startswith("2.21.") and pins["keras"].startswith("3.15.")
    for name in ["numpy", "scipy", "matplotlib", "jupyterlab", "ipywidgets", "nbval", "pytest"]:
        assert name in pins


def test_helpers_dependencies_are_pinned_in_requirements():
    meta = tomllib.loads((ROOT / "pyproject.toml").read_text())
    for dep in meta["project"]["dependencies"]:
        assert norm(re.split(r"[<>=!~ ]", dep)[0]) in pip_pins(), dep
