"""helpers.check.verdict, the plumbing every checker shares: one clean line whatever the student's code
raises or returns, and numbers printed so that two different ones never look equal."""

import numpy as np
import pytest

from helpers.check import verdict as v


def test_a_student_s_exception_is_one_line_without_colours():
    text = "\x1b[1;31mInput 0 of layer 'dense'\x1b[0m is incompatible\n  expected axis -1\n"
    assert v.first_line(text) == "Input 0 of layer 'dense' is incompatible"
    assert v.first_line("\n\n  second\nthird") == "second"
    assert len(v.first_line("x" * 500)) == 160 and v.first_line("x" * 500).endswith("...")


@pytest.mark.parametrize("got, due", [(np.float32(170.01), 170.01), (1.0, 1.0 + 1e-15), (-5.0, -5.000001),
                                      (1e300, 1.0000001e300), (0.1 + 0.2, 0.3)])
def test_two_different_numbers_never_look_equal(got, due):
    a, b = v.pair(got, due)
    assert a != b and abs(float(a) - float(got)) < abs(float(got) - due)      # the digits tell them apart


def test_what_came_back_is_named():
    assert "generator" in v.describe(x for x in [1])
    assert v.describe(np.array(4.0)) == "a 0-d array (np.array(4))"
    assert v.describe(complex(1, 2)).startswith("the complex number")
    assert v.describe(float("nan")) == "nan (not a number)" and v.describe(-np.inf) == "-inf (infinity)"
    assert v.describe(10 ** 40) == "1e+40" and v.describe(True) == "True (a bool)"


def test_the_tolerance_follows_the_dtype():
    assert v.tolerance(np.float16) > v.tolerance(np.float32) == v.tolerance(np.float64) == v.tolerance(int)


def test_a_failure_of_the_checker_itself_is_one_line(capsys):
    @v.checker("demo", "write it")
    def demo(fn):
        raise RuntimeError("first\nsecond")

    demo(lambda: None)
    assert capsys.readouterr().out == "❌ demo: could not check your answer (RuntimeError: first)\n"
