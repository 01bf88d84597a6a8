"""The verdict plumbing every checker shares: one printed line, the student's function called safely,
returned values read and named, numbers printed so that two different ones look different.

A checker body returns the passing sentence or raises :class:`Wrong` with the sentence the student
reads; :func:`checker` turns that into one printed line (✅, ❌ or ⏳). What is shared here, and why:

- :func:`call` runs the student's function: NotImplementedError (nbgrader's stub) means "not done yet";
  any other exception becomes one sentence (the first line of its message, ANSI colour codes removed);
  an argument the function changed in place is named.
- :func:`describe`, :func:`integer`, :func:`number`, :func:`array2d` read what came back: None, a
  generator, a 0-d array, a complex number, NaN, infinity and a huge number each get their own words.
- Tolerances follow the dtype of the answer (:func:`tolerance`): float16 at float16's precision, float32
  and float64 at float32's (a float64 answer may have been computed in float32 on the way).
- :func:`first_wrong` calls the function on every case, and :func:`diagnose` names a typical mistake
  only when one formula gives the student's answer on every case answered; otherwise the message
  gives the case, what came back and what was due.
"""

import copy
import math
import re
import types
import warnings
from numbers import Integral, Real

import numpy as np

SEED = 20260514            # the unseen cases: fixed, so the printed verdict is the same every run
DONE, WRONG, TODO = "✅", "❌", "⏳"

_ANSI = re.compile(r"\x1b\[[0-9;?]*[ -/]*[@-~]")
_LONGEST = 160             # characters of a student's exception message shown in a verdict


class Wrong(Exception):
    """The verdict for a wrong answer: its message is the sentence the student reads."""


class NotDone(Exception):
    """The student's function still raises NotImplementedError."""


def first_line(text, longest=_LONGEST):
    """The first non-empty line of ``text``, without ANSI colour codes, cut at ``longest`` characters
    (None: not cut)."""
    lines = [line.strip() for line in _ANSI.sub("", str(text)).splitlines() if line.strip()]
    line = lines[0] if lines else ""
    return line if longest is None or len(line) <= longest else line[:longest - 3].rstrip() + "..."


def checker(name, todo, arguments=None):
    """Turn a checker body (fn, ...) -> passing sentence, or raise Wrong, into a checker that prints one
    line and returns None. ``arguments(*args, **kwargs)`` checks the notebook's further arguments first:
    its ValueError (helpers.validation) is the lecturer's bug and is raised as is."""

    def decorate(body):
        def run(fn, *args, **kwargs):
            if arguments is not None:
                arguments(*args, **kwargs)
            try:
                if not callable(fn):
                    raise Wrong(f"pass the function itself, check.{name}(my_function), not what it returns "
                                f"(got {describe(fn)})")
                line = f"{DONE} {name}: {body(fn, *args, **kwargs)}"
            except NotDone:
                line = f"{TODO} {name}: not done yet: {todo}"
            except Wrong as wrong:
                line = f"{WRONG} {name}: {first_line(wrong, None)}"
            except Exception as exc:  # whatever else goes wrong: one sentence, never a traceback
                line = f"{WRONG} {name}: could not check your answer ({type(exc).__name__}: {first_line(exc)})"
            print(line)

        run.__name__ = run.__qualname__ = name
        run.__doc__ = body.__doc__
        run.__module__ = body.__module__
        return run

    return decorate


_RAISE_HINTS = {
    IndexError: "an index runs past the edge of an array: check the ranges of your loops",
    TypeError: "check the arguments your function takes and the types it combines",
    ZeroDivisionError: "a division by zero",
    ValueError: "check the shapes your function combines",
    NameError: "a name is not defined: did you run the cells above, or mistype a variable?",
    RecursionError: "your function calls itself without end",
}


def _same(before, after):
    """Whether an argument is unchanged (arrays: same shape, dtype and values; lists item by item)."""
    if isinstance(before, np.ndarray):
        return (isinstance(after, np.ndarray) and before.shape == after.shape and before.dtype == after.dtype
                and np.array_equal(before, after, equal_nan=True))
    if isinstance(before, (list, tuple)):
        return (type(before) is type(after) and len(before) == len(after)
                and all(_same(b, a) for b, a in zip(before, after)))
    try:
        return bool(before == after)
    except Exception:  # an object that cannot say whether it changed is taken as unchanged
        return True


def call(fn, args, case, names=()):
    """fn(*args) -> its return value. NotImplementedError -> NotDone; any other exception -> Wrong naming
    the case; an argument (named in ``names``, in order) changed in place -> Wrong. numpy's and Python's
    warnings (0 / 0 ...) are silenced: the verdict is the one line shown."""
    before = [copy.deepcopy(arg) for arg in args]
    try:
        with warnings.catch_warnings(), np.errstate(all="ignore"):
            warnings.simplefilter("ignore")
            value = fn(*args)
    except NotImplementedError:
        raise NotDone from None
    except Exception as exc:  # whatever the student's code raises becomes a sentence
        hint = next((h for t, h in _RAISE_HINTS.items() if isinstance(exc, t)), "")
        text = first_line(exc)
        raise Wrong(f"for {case} your function raised {type(exc).__name__}" + (f": {text}" if text else "")
                    + (f" ({hint})" if hint else "")) from None
    for name, old, new in zip(names, before, args):
        if not _same(old, new):
            raise Wrong(f"for {case} your function changed its argument `{name}` in place; leave the input "
                        f"as it came (work on {name}.copy(), or write the result into a new array)")
    return value


# ----------------------------------------------------------------------------- numbers in sentences


def fmt(x):
    """A number as a sentence shows it: ints whole (1,234 with ``commas``), floats to 4 significant
    digits, nan, inf and huge ones named."""
    if isinstance(x, (complex, np.complexfloating)):
        return f"{complex(x):.4g}"
    x = float(x) if not isinstance(x, Integral) else int(x)
    if isinstance(x, float):
        if math.isnan(x):
            return "nan"
        if math.isinf(x):
            return "inf" if x > 0 else "-inf"
        if x == int(x) and abs(x) < 1e15:
            return str(int(x))
        return f"{x:.4g}"
    return str(x) if abs(x) < 10 ** 15 else f"{float(x):.4g}"


def said(x):
    """An integer answer as the student wrote it: a whole float as the float (4.0), an int as fmt does."""
    return repr(float(x.given)) if isinstance(x, WholeFloat) else fmt(x)


def count(x):
    """An int with thousands separators (1,600,040,000), a huge one in powers of ten."""
    if isinstance(x, WholeFloat):
        return repr(float(x.given))
    return f"{int(x):,}" if abs(int(x)) < 10 ** 15 else fmt(float(x))


def pair(got, due):
    """Two numbers as text, with the fewest significant digits (at least 4) that tell them apart, so
    that a message never shows two equal-looking numbers as a disagreement."""
    got, due = float(got), float(due)
    if not (math.isfinite(got) and math.isfinite(due)):
        return describe(got), describe(due)
    for digits in range(4, 18):
        a, b = f"{got:.{digits}g}", f"{due:.{digits}g}"
        if a != b:
            return a, b
    return repr(got), repr(due)


def shape(dims):
    return " x ".join(str(n) for n in dims)


# ----------------------------------------------------------------------------- what came back


def describe(value):
    """How a returned value reads in a sentence: its kind and, where short, its value."""
    if value is None:
        return "None"
    if isinstance(value, (types.GeneratorType, map, filter, zip, range)) or (
            hasattr(value, "__next__") and not hasattr(value, "__len__")):
        return (f"a {type(value).__name__} (an iterator, not yet a sequence: a (... for ...) expression makes "
                "one; tuple(...) or list(...) turns it into values)")
    if isinstance(value, np.ndarray):
        if value.ndim == 0:
            inside = fmt(value[()]) if value.dtype.kind in "iufc" else repr(value[()])
            return f"a 0-d array (np.array({inside}))"
        return f"an array of shape {value.shape} ({value.dtype})"
    if isinstance(value, (bool, np.bool_)):
        return f"{bool(value)} (a bool)"
    if isinstance(value, (complex, np.complexfloating)):
        return f"the complex number {fmt(value)}"
    if isinstance(value, (Real, np.number)):
        text = fmt(value)
        if text == "nan":
            return "nan (not a number)"
        if text in ("inf", "-inf"):
            return f"{text} (infinity)"
        return text
    if isinstance(value, (list, tuple)):
        return f"a {type(value).__name__} of {len(value)} item{'s' * (len(value) != 1)}"
    text = repr(value)
    return f"{text} ({type(value).__name__})" if len(text) <= 40 else f"a {type(value).__name__}"


def no_return(value, case):
    if value is None:
        raise Wrong(f"for {case} your function returns None: did you forget the `return` line?")


class WholeFloat(int):
    """A float with a whole value where an int is due: compares as the int, remembers the float."""

    def __new__(cls, given):
        obj = super().__new__(cls, int(given))
        obj.given = given
        return obj

    def __repr__(self):
        return repr(float(self.given))


def _scalar(value):
    """A 0-d array or numpy scalar -> a Python/numpy scalar; anything else as it came."""
    if isinstance(value, np.ndarray) and value.ndim == 0:
        return value[()]
    return value


def integer(value, case, what):
    """An int is due (``what`` says what it counts). A Python or numpy int, or a 0-d integer array, is
    the int; a float with a whole value comes back as a WholeFloat (the checker accepts the value and
    says at the end that an int is due); anything else -> Wrong naming what came."""
    no_return(value, case)
    value = _scalar(value)
    if isinstance(value, (Integral, np.integer)) and not isinstance(value, (bool, np.bool_)):
        return int(value)
    if isinstance(value, (float, np.floating)):
        v = float(value)
        if math.isnan(v) or math.isinf(v):
            raise Wrong(f"for {case} you return {describe(value)}; {what} is a whole number")
        if v == int(v):
            return WholeFloat(value)
        raise Wrong(f"for {case} you return {fmt(v)}, which is not a whole number; {what} is a whole number")
    raise Wrong(f"for {case} you return {describe(value)}; {what} is one int")


def floats_where_ints_are_due(answers, what, where):
    """After every case agreed: Wrong if any answer was a whole float. ``answers``: (case, got) pairs,
    got an int or a tuple of them."""
    floats = [(case, got) for case, got in answers
              if any(isinstance(v, WholeFloat) for v in (got if isinstance(got, tuple) else (got,)))]
    if floats:
        case, got = floats[0]
        text = repr(got) if not isinstance(got, tuple) else "(" + ", ".join(map(repr, got)) + ")"
        raise Wrong(f"your values are right in all {len(answers)} cases, but {len(floats)} of them "
                    f"{'holds a float' if len(floats) == 1 else 'hold floats'} ({text} for {case}); {what} is "
                    f"a whole number, {where}: return an int (int(...))")


def number(value, case, what):
    """One real number is due -> (float, dtype of the answer). A size-1 array is its number; complex,
    a sequence, a generator, a bool -> Wrong. NaN and infinity come back as they are (the checker says
    what was due)."""
    no_return(value, case)
    if isinstance(value, np.ndarray) and value.size == 1:
        value = value.reshape(())[()]
    if isinstance(value, (complex, np.complexfloating)):
        raise Wrong(f"for {case} you return {describe(value)}; {what} is a real number")
    if isinstance(value, (bool, np.bool_)) or not isinstance(value, (Real, np.floating, np.integer)):
        raise Wrong(f"for {case} you return {describe(value)}; {what} is one number")
    dtype = value.dtype if isinstance(value, np.generic) else np.dtype(float)
    return float(value), dtype


def array2d(value, case):
    """A 2-D array of real numbers (a list of lists is fine) or Wrong naming what came back."""
    no_return(value, case)
    if isinstance(value, (list, tuple, np.ndarray)) or hasattr(value, "__array__"):
        try:
            arr = np.asarray(value)
        except Exception:  # anything numpy cannot read is "not an array" below
            arr = None
    else:
        arr = None
    if arr is None or arr.dtype == object or arr.dtype.kind not in "biufc":
        raise Wrong(f"for {case} you return {describe(value)}, not a 2-D array of numbers")
    if arr.ndim == 0:
        raise Wrong(f"for {case} you return {describe(value)}, a single number; a 2-D array (rows, columns) "
                    "is due")
    if arr.ndim != 2:
        raise Wrong(f"for {case} you return an array with {arr.ndim} dimension{'s' * (arr.ndim != 1)}, shape "
                    f"{arr.shape}; a 2-D array (rows, columns) is due")
    if arr.dtype.kind == "c":
        raise Wrong(f"for {case} your output is complex ({arr.dtype}); the answer is real: np.real(...) if its "
                    "imaginary parts are 0")
    return arr


def not_finite(arr, case, what="output"):
    """Wrong if a float array holds NaN or infinity, naming the first such entry."""
    if arr.dtype.kind == "f" and not np.isfinite(arr).all():
        index = tuple(int(i) for i in np.argwhere(~np.isfinite(arr))[0])
        raise Wrong(f"for {case} your {what}{list(index)} is {fmt(arr[index])}"
                    f"{' (not a number)' if np.isnan(arr[index]) else ' (infinity)'}; every entry is a finite "
                    "number here (NaN and infinity come from 0 / 0, a division by 0, or an overflow)")


# ----------------------------------------------------------------------------- comparing


def tolerance(dtype):
    """Relative tolerance for an answer of this dtype: 64 x its machine epsilon, never below float32's
    (a float64 answer computed through float32 is still right); ints and bools as float32."""
    dtype = np.dtype(dtype)
    eps = np.finfo(dtype).eps if dtype.kind == "f" else 0.0
    return 64 * max(float(eps), float(np.finfo(np.float32).eps))


def close(got, due, scale, dtype=None):
    """Elementwise: |got - due| <= tolerance(dtype of got) x scale (``scale``: the size of the terms
    that make up due, e.g. the correlation of |image| with |kernel|), plus a hair for due = 0."""
    got = np.asarray(got)
    tol = tolerance(got.dtype if dtype is None else dtype)
    with np.errstate(all="ignore"):
        return np.abs(got.astype(float) - due) <= tol * np.maximum(np.abs(scale), 1e-300) + 1e-12


def first_difference(got, due, scale):
    """The index of the first entry where got and due disagree."""
    return tuple(int(i) for i in np.argwhere(~close(got, due, scale))[0])


def refuse_truncated(arr, expected, case, fix):
    """An integer output array where the right answer has decimals -> Wrong naming the mistake."""
    if arr.dtype.kind in "iub" and not np.allclose(expected, np.round(expected)):
        raise Wrong(f"for {case} your output is an integer array ({arr.dtype}), so the values lose their "
                    f"decimals: {fix}")


def diagnose(mistakes, answers, same=lambda a, b: a == b):
    """The reason of the first (formula, reason) of ``mistakes`` that gives the student's answer on EVERY
    case answered (``answers``: (args, answer) pairs, the failing case among them), or None. One case
    can agree with several mistakes; all of them together single one out."""
    for formula, reason in mistakes:
        try:
            if answers and all(same(formula(*args), got) for args, got in answers):
                return reason
        except Exception:  # a formula that fails on a case is not the student's mistake
            continue
    return None


def first_wrong(fn, cases, read, due, agree, names=()):
    """Call fn on every case in order: ``cases`` are (case text, args), ``read(value, case, args)`` turns
    a return value into an answer (or raises Wrong), ``due(args)`` is the reference, ``agree(got, due,
    args)`` compares. Returns (answers, wrong): answers the (case, args, got, due) of every case answered;
    wrong the index of the first that disagrees, or None. After the first wrong case the rest are still
    tried (their errors ignored): they are the evidence that tells one mistake from another."""
    answers, wrong = [], None
    for case, args in cases:
        try:
            got = read(call(fn, copy.deepcopy(args), case, names), case, args)
        except Wrong:
            if wrong is None:
                raise
            continue
        except NotDone:
            if wrong is None:
                raise
            continue
        expected = due(args)
        answers.append((case, args, got, expected))
        if wrong is None and not agree(got, expected, args):
            wrong = len(answers) - 1
    return answers, wrong


def exact_answers(fn, cases, read, due, mistakes, explain, what, where, names=()):
    """The run of a checker whose answers are whole numbers (or pairs of them), compared exactly: the
    first wrong case -> Wrong(explain(case, args, got, due, hint)), hint the mistake :func:`diagnose`
    finds in ``mistakes`` or None; whole floats where all else is right -> Wrong naming them (``what``
    the answer is, ``where`` it is used). Returns the answers, (case, args, got, due) each."""
    answers, wrong = first_wrong(fn, cases, read, due, lambda got, expected, args: got == expected, names)
    if wrong is not None:
        case, args, got, expected = answers[wrong]
        hint = diagnose(mistakes, [(a, g) for _, a, g, _ in answers])
        raise Wrong(explain(case, args, got, expected, hint))
    floats_where_ints_are_due([(case, got) for case, _, got, _ in answers], what, where)
    return answers


def int_pair(value, case, pair_name, what):
    """Two whole numbers are due, as a tuple, a list or a 1-D array of two: -> a tuple of two (ints or
    WholeFloats), or Wrong naming what came (``pair_name`` such as "(row, col)", ``what`` each one is)."""
    no_return(value, case)
    if isinstance(value, np.ndarray) and value.ndim == 1:
        value = tuple(value)
    if not isinstance(value, (tuple, list)) or len(value) != 2:
        raise Wrong(f"for {case} you return {describe(value)}; a {pair_name} pair of ints is due")
    return tuple(integer(v, case, what) for v in value)
