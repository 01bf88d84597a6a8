#!/bin/sh
# The Python that makes the course's .venv (make setup, and so make lab and make test). POSIX sh, so that it
# runs before any Python is chosen; it needs nothing but the interpreters it asks.
#
#   sh tools/python.sh                   print the chosen interpreter's path; one line on stderr says which
#   sh tools/python.sh PYTHON            the same for the one named (make PYTHON=python3.12 setup)
#   sh tools/python.sh --venv DIR [PYTHON]   make the virtual environment DIR with it (what make setup runs)
#
# TensorFlow 2.21 has wheels for CPython 3.10 to 3.13 and the course's tools need 3.11 (tomllib), so:
# Python 3.11 on PATH (python3.11, or a python3 or python that is 3.11), else 3.12, else 3.13; else
# uv's (an interpreter uv knows, or a managed CPython that `uv python install 3.11` downloads), with uv
# from PATH or, with whatever python3 there is, installed by pip into build/uv at the version
# tools/install.py pins. Where none of this works: exit 1 and one sentence that says what to install.
# tests/test_python_choice.py runs it with fake interpreters and a fake uv on PATH.

SUPPORTED="3.11 3.12 3.13"
WANTED=3.11
LISTED="" last=""     # "3.11, 3.12 or 3.13", for the messages
for v in $SUPPORTED; do
    [ -n "$last" ] && LISTED="${LISTED:+$LISTED, }$last"
    last=$v
done
LISTED="${LISTED:+$LISTED or }$last"
case "$0" in */*) HERE=${0%/*} ;; *) HERE=. ;; esac
HERE=$(cd "$HERE" && pwd)
ROOT=${HERE%/*}

say() { printf '%s\n' "setup: $*" >&2; }

# "X.Y.Z PATH" of an interpreter that runs, else nothing.
version_of() {
    "$1" -c 'import sys; print("%d.%d.%d" % sys.version_info[:3], sys.executable)' 2>/dev/null
}

supported() {
    for v in $SUPPORTED; do
        case "$1" in "$v".*) return 0 ;; esac
    done
    return 1
}

# The first Python on PATH that is $1 (X.Y): pythonX.Y, python3, python. Prints "X.Y.Z PATH".
on_path() {
    for cmd in "python$1" python3 python; do
        command -v "$cmd" >/dev/null 2>&1 || continue
        found=$(version_of "$cmd") || continue
        case "$found" in "$1".*) printf '%s\n' "$found"; return 0 ;; esac
    done
    return 1
}

# uv: on PATH, or installed earlier or now into build/uv (pip --target, with any Python).
find_uv() {
    if command -v uv >/dev/null 2>&1; then command -v uv; return 0; fi
    target="$ROOT/build/uv"
    if [ ! -x "$target/bin/uv" ]; then
        pin=""
        while IFS= read -r line; do
            case "$line" in 'UV_VERSION = "'*) pin=${line#*\"}; pin=${pin%\"*} ;; esac
        done < "$ROOT/tools/install.py"
        for cmd in python3 python; do
            command -v "$cmd" >/dev/null 2>&1 || continue
            say "installing uv $pin into build/uv with $cmd, to get Python $WANTED"
            "$cmd" -m pip install --disable-pip-version-check -q --target "$target" "uv==$pin" >&2 && break
        done
    fi
    [ -x "$target/bin/uv" ] && printf '%s\n' "$target/bin/uv"
}

# Python $WANTED from uv: one it finds (not a virtual environment), else one it installs (a download).
from_uv() {
    uv=$(find_uv) || return 1
    [ -n "$uv" ] || return 1
    path=$("$uv" python find --system "$WANTED" 2>/dev/null)
    if [ -z "$path" ]; then
        say "no Python $LISTED on PATH; uv installs Python $WANTED (a managed CPython: a download)"
        "$uv" python install "$WANTED" >&2 || return 1
        path=$("$uv" python find --system "$WANTED" 2>/dev/null) || return 1
    fi
    version_of "$path"
}

# The interpreter for the course: prints its path, says on stderr in one line which it is and why.
choose() {
    if [ -n "$1" ]; then
        found=$(version_of "$1") || {
            say "PYTHON=$1 does not run; name a Python $LISTED (make PYTHON=/path/to/python$WANTED setup) or leave PYTHON out"
            return 1
        }
        if ! supported "$found"; then
            say "PYTHON=$1 is Python ${found%% *}, but TensorFlow 2.21 and the course need $LISTED: name one of those or leave PYTHON out, and the set-up finds or installs one"
            return 1
        fi
        say "Python ${found%% *} (${found#* }), as PYTHON=$1 asks"
        printf '%s\n' "${found#* }"
        return 0
    fi
    for v in $SUPPORTED; do
        if found=$(on_path "$v"); then
            case "$v" in
                "$WANTED") say "Python ${found%% *} (${found#* })" ;;
                *) say "Python ${found%% *} (${found#* }): no Python $WANTED on PATH, $v is supported too" ;;
            esac
            printf '%s\n' "${found#* }"
            return 0
        fi
    done
    other=$(version_of python3) && other=" (python3 is ${other%% *})" || other=""
    if found=$(from_uv) && [ -n "$found" ]; then
        say "Python ${found%% *} from uv (${found#* }): no Python $LISTED on PATH$other"
        printf '%s\n' "${found#* }"
        return 0
    fi
    say "the course needs Python $LISTED (TensorFlow 2.21 has no wheels for others) and found none$other, nor could uv install one: install Python $WANTED (python.org, brew install python@$WANTED, sudo apt install python$WANTED-venv or sudo dnf install python$WANTED) or uv (docs.astral.sh/uv), or name one: make PYTHON=/path/to/python$WANTED setup"
    return 1
}

if [ "$1" = "--venv" ]; then
    venv=$2
    if found=$(version_of "$venv/bin/python"); then
        supported "$found" && exit 0
        say "$venv has Python ${found%% *}, which TensorFlow 2.21 does not support: making it again"
        rm -rf "$venv"
    elif [ -e "$venv" ]; then
        say "$venv has no Python that runs: making it again"
        rm -rf "$venv"
    fi
    python=$(choose "$3") || exit 1
    exec "$python" -m venv "$venv"
fi
choose "$1"
