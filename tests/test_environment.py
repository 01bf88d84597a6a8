"""requirements.txt and environment.yml describe the same environment."""

import re
import tomllib
from pathlib import Path

import yaml
from pins import norm, pins

ROOT = Path(__file__).resolve().parents[1]


def pip_pins():
    return pins(ROOT / "requirements.txt")


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


def test_the_installed_environment_is_the_pinned_one():
    """What runs the tests is what requirements.txt pins: every pinned package is installed, at its pin."""
    from importlib import metadata

    wrong = {}
    for name, version in pip_pins().items():
        try:
            installed = metadata.version(name)
        except metadata.PackageNotFoundError:
            installed = None
        if installed != version:
            wrong[name] = (version, installed)
    assert not wrong, f"pinned (requirements.txt) vs installed: {wrong}"


def test_helpers_dependencies_are_pinned_in_requirements():
    meta = tomllib.loads((ROOT / "pyproject.toml").read_text())
    for dep in meta["project"]["dependencies"]:
        assert norm(re.split(r"[<>=!~ ]", dep)[0]) in pip_pins(), dep
