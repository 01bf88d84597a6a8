"""Install packages into this Python's environment with uv, or with pip where uv cannot be had.

    .venv/bin/python -m tools.install -q -r requirements.txt     # what `make setup` runs
    .venv/bin/python -m tools.install -q --no-deps -e .

The arguments are `pip install`'s; uv's `uv pip install` takes the same ones. uv (pinned below) is
installed into the environment with pip first (about a second). uv resolves the same pinned
requirements as pip, but it does not read pip's configuration: so that it reaches the same package
index as pip does on this machine, the index settings pip would use (`pip config list`: its files and
its PIP_* variables) are handed to uv as UV_* variables at run time. With no pip configuration (a
user's machine) both use PyPI. Where uv cannot be installed or fails, pip does the install, as before.
`CNN_COURSE_INSTALLER=pip` skips uv.
"""

import os
import shlex
import subprocess
import sys
import time

UV_VERSION = "0.13.9"
# pip's precedence for `pip install`: PIP_* variables over an [install] section over [global].
RANK = {"global": 0, "install": 1, ":env:": 2}


def pip(*args, **kwargs):
    return subprocess.run([sys.executable, "-m", "pip", "--disable-pip-version-check", *args], **kwargs)


def pip_config():
    """pip's own settings for `pip install`: {key: value}, e.g. {"find-links": "/opt/wheels"}."""
    return parse_config_list(pip("config", "list", capture_output=True, text=True).stdout)


def parse_config_list(text):
    """`pip config list`'s lines (`global.find-links='/opt/wheels'`, `:env:.cert='...'`) -> {key: value},
    the environment over an [install] section over [global]; other commands' sections are left out."""
    found = {}
    for line in text.splitlines():
        name, _, value = line.partition("=")
        scope, _, key = name.rpartition(".")
        if scope not in RANK:
            continue
        value = value.strip().strip("'\"")
        rank = RANK[scope]
        if key not in found or rank >= found[key][0]:
            found[key] = (rank, value)
    return {key: value for key, (rank, value) in found.items()}


def uv_environment(config, environ):
    """UV_* variables that point uv at the indexes, links and constraints of pip's configuration.
    Variables the user has set already are kept."""
    def words(value):
        return shlex.split(value.replace("\n", " "))

    env = {}
    if "index-url" in config:
        env["UV_DEFAULT_INDEX"] = config["index-url"]
    if "extra-index-url" in config:
        env["UV_INDEX"] = " ".join(words(config["extra-index-url"]))
    if "find-links" in config:
        env["UV_FIND_LINKS"] = ",".join(words(config["find-links"]))
    if "constraint" in config:
        env["UV_CONSTRAINT"] = " ".join(words(config["constraint"]))
    if "cert" in config:
        env["SSL_CERT_FILE"] = config["cert"]
    if "default-timeout" in config:
        env["UV_HTTP_TIMEOUT"] = config["default-timeout"]
    if "trusted-host" in config:
        env["UV_INSECURE_HOST"] = " ".join(words(config["trusted-host"]))
    if config.get("no-index", "").lower() in ("1", "true", "yes", "on"):
        env["UV_NO_INDEX"] = "1"
    if "UV_INDEX" in env or "UV_FIND_LINKS" in env:
        # pip takes the best version found on any index; uv's default stops at the first index that
        # has the package, which could pin a different release.
        env["UV_INDEX_STRATEGY"] = "unsafe-best-match"
    return {key: value for key, value in env.items() if key not in environ}


def uv_binary():
    """uv's executable in this environment, installed with pip if missing; None when it cannot be."""
    def find():
        try:
            from uv import find_uv_bin
            return find_uv_bin()
        except (ImportError, FileNotFoundError):
            return None

    if find() is None:
        if pip("install", "-q", f"uv=={UV_VERSION}").returncode != 0:
            return None
        import importlib
        importlib.invalidate_caches()
    return find()


def main(args):
    start = time.monotonic()
    forced = os.environ.get("CNN_COURSE_INSTALLER") == "pip"
    uv = None if forced else uv_binary()
    if uv is not None:
        env = dict(os.environ, **uv_environment(pip_config(), os.environ))
        if subprocess.run([uv, "pip", "install", "--python", sys.executable, *args], env=env).returncode == 0:
            print(f"install.py: uv installed {' '.join(args)} in {time.monotonic() - start:.1f} s")
            return 0
        print("install.py: uv failed; installing with pip instead", file=sys.stderr)
    else:
        why = "CNN_COURSE_INSTALLER=pip" if forced else "uv not available"
        print(f"install.py: {why}; installing with pip", file=sys.stderr)
    code = pip("install", *args).returncode
    if code == 0:
        print(f"install.py: pip installed {' '.join(args)} in {time.monotonic() - start:.1f} s")
    return code


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
