"""The one verdict helper of the checkers' tests (tests/test_check_NN.py): run a checker, make sure it
printed exactly one line and no traceback, and assert what the line says."""

import re

import pytest

from helpers import check


def verdict(capsys, checker, fn, *args, **kwargs):
    """Run check.<checker>(fn, ...) and return its one printed line."""
    result = getattr(check, checker)(fn, *args, **kwargs)
    out = capsys.readouterr()
    assert result is None, f"check.{checker} returned {result!r}; it prints its verdict"
    lines = [line for line in out.out.splitlines() if line.strip()]
    assert len(lines) == 1, f"check.{checker} printed {len(lines)} lines, one verdict is due: {out.out!r}"
    assert "Traceback" not in out.out + out.err and "\x1b" not in out.out, out.out
    return lines[0]


def assert_right(capsys, checker, fn, *args, **kwargs):
    line = verdict(capsys, checker, fn, *args, **kwargs)
    assert line.startswith(f"{check.DONE} {checker}: right"), line
    return line


def assert_wrong(capsys, checker, fn, says, *args, not_says=None, **kwargs):
    """The verdict is ❌ and names the mistake: ``says`` is a regular expression (case-insensitive) that
    the line must match; ``not_says`` one it must not (a hint the evidence does not support)."""
    line = verdict(capsys, checker, fn, *args, **kwargs)
    assert line.startswith(f"{check.WRONG} {checker}: "), line
    assert "not done yet" not in line and "could not check" not in line, line
    assert re.search(says, line, re.IGNORECASE), f"the verdict does not say {says!r}: {line}"
    if not_says:
        assert not re.search(not_says, line, re.IGNORECASE), f"the verdict says {not_says!r}: {line}"
    return line


def stub(*args):
    raise NotImplementedError()


def assert_not_done(capsys, checker, *args, **kwargs):
    line = verdict(capsys, checker, stub, *args, **kwargs)
    assert line.startswith(f"{check.TODO} {checker}: not done yet: "), line
    assert len(line) > len(f"{check.TODO} {checker}: not done yet: ") + 20, "say what to write"


def raises_coloured(*args):
    """A student's function that fails as Keras does: a message of several lines with ANSI colours."""
    raise ValueError("\x1b[1;31mInput 0 of layer 'dense' is incompatible\x1b[0m\n  expected axis -1 = 784\n"
                     "  Call arguments received")


def ids(table):
    """pytest ids for a table of (name, ...) rows."""
    return [row[0] for row in table]


def right_and_wrong(checker, right, wrong, not_says=None):
    """A checker's two tests: every answer of `right` (rows name, fn) gets "right"; every answer of
    `wrong` (rows name, fn, says) gets "wrong" with a sentence matching `says` (and not `not_says`).
    In a test module: `test_x_right, test_x_wrong = right_and_wrong("x", X_RIGHT, X_WRONG)`."""

    @pytest.mark.parametrize("name, fn", right, ids=ids(right))
    def test_right(capsys, name, fn):
        assert_right(capsys, checker, fn)

    @pytest.mark.parametrize("name, fn, says", wrong, ids=ids(wrong))
    def test_wrong(capsys, name, fn, says):
        assert_wrong(capsys, checker, fn, says, not_says=not_says)

    return test_right, test_wrong
