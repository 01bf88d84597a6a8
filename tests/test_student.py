"""The two editions of the code exercises (tools/student.py, helpers.check).

- Every exercise of the instructor's notebooks is a stub cell (the function, its docstring and
  `raise NotImplementedError()`, as the student edition shows it), then a solution cell with nbgrader's
  solution metadata and a unique grade_id, on a sub-slide of its own, then one check call; no cell
  holds a marker.
- The instructor's edition (the committed notebooks, which nbval re-runs in `make test`) passes every
  check: its committed check outputs all say so.
- student/ is what tools/student.py writes (regenerating changes nothing), with stubs and no outputs.
- The student edition executes top to bottom with every stub in place (nbclient, the course kernel,
  in a temporary folder): no cell fails and every check says "not done yet". This executes each
  student notebook once, the eight in one kernel, reset between them (below): about a minute and a
  half of CPU in all.
"""

import ast
import re
import shutil
import subprocess
import sys

import nbformat
import pytest

from helpers import check
from tools import ROOT, numbered_notebooks, student

NB_DIR = ROOT / "notebooks"
STUDENT = ROOT / "student"
NUMBERED = numbered_notebooks()
NBGRADER = {"grade": False, "locked": False, "schema_version": 3, "solution": True, "task": False}



def read(path):
    return nbformat.read(path, as_version=4)


def exercises(nb):
    """(index, cell) of every solution cell (nbgrader's solution metadata)."""
    return [(i, c) for i, c in enumerate(nb.cells) if student.is_solution(c)]


def function(source):
    """The one function a cell defines: (name, argument names, body statements), or None."""
    try:
        tree = ast.parse(source)
    except SyntaxError:
        return None
    defs = [node for node in tree.body if isinstance(node, ast.FunctionDef)]
    if len(defs) != 1:
        return None
    return defs[0].name, ast.unparse(defs[0].args), defs[0].body


def check_call(source):
    """The checker a cell calls, if the cell is one call check.NAME(...) (comments aside), else None."""
    code = "\n".join(line for line in source.splitlines() if not line.strip().startswith("#")).strip()
    try:
        tree = ast.parse(code)
    except SyntaxError:
        return None
    if len(tree.body) != 1 or not isinstance(tree.body[0], ast.Expr):
        return None
    call = tree.body[0].value
    if (isinstance(call, ast.Call) and isinstance(call.func, ast.Attribute)
            and isinstance(call.func.value, ast.Name) and call.func.value.id == "check"):
        return call.func.attr
    return None


def test_there_are_exercises():
    assert sum(len(exercises(read(p))) for p in NUMBERED) > 0


@pytest.mark.parametrize("path", NUMBERED, ids=lambda p: p.name)
def test_every_exercise_is_a_stub_a_solution_and_a_check(path):
    nb = read(path)
    number = path.name[:2]
    for i, cell in exercises(nb):
        where = f"{path.name}, cell {i}"
        assert cell.cell_type == "code", f"{where}: a solution is a code cell"
        meta = cell.metadata["nbgrader"]
        assert {k: meta.get(k) for k in NBGRADER} == NBGRADER, f"{where}: nbgrader metadata {meta}"
        assert re.fullmatch(rf"ex{number}-[a-z0-9]+(-[a-z0-9]+)*", meta.get("grade_id", "")), \
            f"{where}: grade_id {meta.get('grade_id')!r} should be ex{number}-short-name"
        assert cell.metadata.get("slideshow", {}).get("slide_type") == "subslide", \
            f"{where}: the solution is a sub-slide of its own, shown after the stub"
        solution = function(cell.source)
        assert solution, f"{where}: a solution cell defines one function"
        stub = function(nb.cells[i - 1].source) if i and nb.cells[i - 1].cell_type == "code" else None
        assert stub, f"{where}: the cell before a solution is its stub, a function definition"
        assert stub[:2] == solution[:2], f"{where}: the stub defines {stub[:2]}, the solution {solution[:2]}"
        body = [ast.unparse(statement) for statement in stub[2]]
        assert len(body) == 2 and ast.get_docstring(ast.parse(nb.cells[i - 1].source).body[0]) \
            and body[1] == "raise NotImplementedError()", \
            f"{where}: the stub is the docstring and `raise NotImplementedError()`, it is {body}"
        assert student.CODE_STUB.splitlines()[0] in nb.cells[i - 1].source, f"{where}: the stub's comment"
        assert i + 1 < len(nb.cells), f"{where}: the last cell; a check call must follow"
        follower = nb.cells[i + 1]
        name = check_call(follower.source) if follower.cell_type == "code" else None
        assert name in check.__all__, (f"{where}: the next cell must be one call check.<name>(...), "
                                       f"<name> one of {check.__all__}; it is {follower.source[:80]!r}")


def test_grade_ids_are_unique():
    ids = [c.metadata["nbgrader"]["grade_id"] for p in NUMBERED for _, c in exercises(read(p))
           if "grade_id" in c.metadata.get("nbgrader", {})]
    assert len(ids) == len(set(ids)), sorted(i for i in ids if ids.count(i) > 1)


def check_outputs(nb):
    """(checker name, its printed text) for every check call cell of a notebook."""
    found = []
    for cell in nb.cells:
        name = check_call(cell.source) if cell.cell_type == "code" else None
        if name:
            text = "".join(o.get("text", "") for o in cell.get("outputs", []) if o.get("name") == "stdout")
            found.append((name, text, [o for o in cell.get("outputs", []) if o.output_type == "error"]))
    return found


@pytest.mark.parametrize("path", NUMBERED, ids=lambda p: p.name)
def test_the_instructor_edition_passes_every_check(path):
    """The committed outputs (nbval checks that a fresh run reproduces them) say "right"."""
    for name, text, errors in check_outputs(read(path)):
        assert not errors and text.startswith(f"{check.DONE} {name}: right"), \
            f"{path.name}: check.{name} printed {text!r}; the solution must pass its check"


def test_the_student_edition_is_up_to_date(tmp_path, capsys):
    """student/ is exactly what tools/student.py writes: regenerating changes nothing."""
    assert student.main(check=True) == 0, (
        "student/ is out of date; run `make student` (python -m tools.student): " + capsys.readouterr().out)
    student.main(out=tmp_path)
    first = {p.name: p.read_bytes() for p in tmp_path.iterdir()}
    student.main(out=tmp_path)
    assert first == {p.name: p.read_bytes() for p in tmp_path.iterdir()}
    assert sorted(first) == sorted(p.name for p in STUDENT.glob("*.ipynb"))


@pytest.mark.parametrize("path", NUMBERED, ids=lambda p: p.name)
def test_the_student_edition_has_stubs_and_no_outputs(path):
    assert (STUDENT / path.name).exists(), f"student/{path.name} is missing: run `make student`"
    mine, theirs = read(path), read(STUDENT / path.name)
    kept = [cell for cell in mine.cells if not student.is_solution(cell)]
    assert [c.source for c in theirs.cells[1:]] == [c.source for c in kept[1:]], \
        "the student edition is the instructor's without its solution cells"
    assert not exercises(theirs)
    for i, _ in exercises(mine):
        stub = mine.cells[i - 1]
        assert "raise NotImplementedError()" in stub.source and "YOUR CODE HERE" in stub.source
    for cell in theirs.cells:
        if cell.cell_type == "code":
            assert cell.outputs == [] and cell.execution_count is None
    top = theirs.cells[0].source
    assert student.nav.colab_url(path, folder="student") in top
    assert student.nav.colab_url(path) not in top


def _notebook(cells):
    nb = nbformat.v4.new_notebook()
    nb.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3", "language": "python"}
    nb.cells = cells
    return nb


def test_a_synthetic_notebook(tmp_path):
    """tools/student.py on a notebook of its own: the solution cell left out, the stub kept, the first
    cell's Colab badge and relative links rewritten."""
    stub_source = 'def twice(x):\n    """2 x."""\n    ' + student.CODE_STUB.replace("\n", "\n    ")
    stub = nbformat.v4.new_code_cell(stub_source)
    exercise = nbformat.v4.new_code_cell("def twice(x):\n    return 2 * x",
                                         metadata={"nbgrader": dict(NBGRADER, grade_id="ex99-twice")})
    first = nbformat.v4.new_markdown_cell(
        f"# T\n\n<!-- nav -->\n[![Open In Colab]({student.nav.BADGE_SVG})]"
        f"({student.nav.colab_url(NB_DIR / '99_t.ipynb')})\n\n[Contents](index.ipynb)\n<!-- /nav -->\n\n"
        "See [the data](../data/README.md) and [a figure](figures/x.png).")
    ran = nbformat.v4.new_code_cell("print(twice(2))", execution_count=3,
                                    outputs=[nbformat.v4.new_output("stream", name="stdout", text="4\n")])
    path = tmp_path / "99_t.ipynb"
    nbformat.write(_notebook([first, stub, exercise, ran]), path)
    nb = student.student_edition(path, {"99_t.ipynb", "index.ipynb"})
    assert [c.source for c in nb.cells[1:]] == [stub_source, "print(twice(2))"]
    assert nb.cells[2].outputs == [] and nb.cells[2].execution_count is None
    top = nb.cells[0].source
    assert "/blob/main/student/99_t.ipynb" in top and "/blob/main/notebooks/" not in top
    assert "[Contents](index.ipynb)" in top and "(../data/README.md)" in top
    assert "(../notebooks/figures/x.png)" in top and "Student edition" in top


# ----------------------------------------------------------------------------- executing the student edition


# One kernel runs the eight student notebooks, one after the other, in the order of the course: a fresh
# kernel for each would import TensorFlow eight times, about 8 s of CPU each. Before each notebook the
# kernel is reset to what a fresh one holds where a notebook could notice: every name it defined gone
# (%reset), its figures closed and matplotlib's settings back to the inline backend's, Keras' session
# cleared, the working folder the notebook's own. What stays is what a notebook cannot see by name: the
# modules already imported. (nbval runs each instructor notebook, with the same cells and imports, in a
# fresh kernel of its own.)
RESET = """\
%reset -f
import os, sys
import matplotlib, matplotlib.pyplot
matplotlib.pyplot.close("all")
matplotlib.rc_file_defaults()
%matplotlib inline
if "keras" in sys.modules:
    sys.modules["keras"].backend.clear_session()
os.chdir({folder!r})
%reset -f
"""


@pytest.fixture(scope="module")
def student_kernel(tmp_path_factory):
    """The course kernel the student notebooks run in (module scope: one for the eight), and its folder."""
    from jupyter_client.manager import KernelManager

    folder = tmp_path_factory.mktemp("student")
    manager = KernelManager(kernel_name="python3")
    manager.start_kernel(cwd=str(folder))
    yield manager, folder
    manager.shutdown_kernel(now=True)


def execute(nb, manager, folder):
    """Run `nb` top to bottom in the running kernel of `manager`, reset first (RESET); errors are kept
    in the outputs."""
    from nbclient import NotebookClient

    reset = nbformat.v4.new_code_cell(RESET.format(folder=str(folder)))
    nb.cells.insert(0, reset)
    client = NotebookClient(nb, km=manager, timeout=900, allow_errors=True)
    try:
        client.execute()
    finally:
        if client.kc is not None:
            client.kc.stop_channels()
    nb.cells.remove(reset)
    assert not [o for o in reset.outputs if o.output_type == "error"], f"the reset failed: {reset.outputs}"


@pytest.mark.parametrize("path", NUMBERED, ids=lambda p: p.name)
def test_the_student_edition_executes_with_every_stub(path, student_kernel):
    """Run student/NN_x.ipynb top to bottom in the course kernel: no cell fails, every check says
    "not done yet". Executed in a temporary folder, so nothing is written into the repository."""
    if not exercises(read(path)):
        pytest.skip(f"{path.name} has no exercises yet")
    manager, folder = student_kernel
    shutil.copy(STUDENT / path.name, folder / path.name)
    nb = read(folder / path.name)
    execute(nb, manager, folder)
    failed = [(i, o.ename, o.evalue) for i, c in enumerate(nb.cells) if c.cell_type == "code"
              for o in c.outputs if o.output_type == "error" and "raises-exception" not in c.metadata.get("tags", [])]
    assert not failed, f"student/{path.name}: cells fail with the stubs in place: {failed}"
    calls = check_outputs(nb)
    assert calls, f"student/{path.name}: no check ran"
    for name, text, _ in calls:
        assert text.startswith(f"{check.TODO} {name}: not done yet"), f"check.{name} printed {text!r}"


def test_the_reset_leaves_no_name_figure_or_setting_behind(student_kernel):
    """What one notebook leaves in the shared kernel, the next does not find: a name, an open figure, a
    matplotlib setting, a Keras layer count; the working folder is the students' folder."""
    manager, folder = student_kernel
    first = _notebook([nbformat.v4.new_code_cell(
        "import keras, matplotlib, matplotlib.pyplot as plt\nleft_over = 1\nplt.figure()\n"
        "matplotlib.rcParams['lines.linewidth'] = 9\nkeras.layers.Dense(1)\nimport os\nos.chdir('/')")])
    execute(first, manager, folder)
    probe = nbformat.v4.new_code_cell(
        "import os, keras, matplotlib, matplotlib.pyplot as plt\n"
        "print('left_over' in dir(), plt.get_fignums(), matplotlib.rcParams['lines.linewidth'],"
        " keras.layers.Dense(1).name, os.getcwd())")
    execute(_notebook([probe]), manager, folder)
    assert [o.get("text") for o in probe.outputs] == [f"False [] 1.5 dense {folder}\n"], probe.outputs


# ----------------------------------------------------------------------------- a student's work is never lost


def _answer(path, outputs=False):
    """Write into a student notebook what a student would: an answer in the first stub, or outputs."""
    nb = read(path)
    stub = next(c for c in nb.cells if c.cell_type == "code" and "raise NotImplementedError()" in c.source)
    if outputs:
        stub.execution_count = 1
        stub.outputs = [nbformat.v4.new_output("stream", name="stdout", text="tried it\n")]
    else:
        stub.source = stub.source.replace("raise NotImplementedError()", "return 42  # my answer")
    nbformat.write(nb, path)
    return path.read_bytes()


@pytest.mark.parametrize("outputs", [False, True], ids=["an answer", "outputs"])
def test_an_edited_student_notebook_survives_make_student(tmp_path, capsys, outputs):
    """make student (tools/student.py main) leaves a notebook holding a student's answer or outputs as it
    is, exits 1, and names the file, the folder to keep it in and the way to overwrite it."""
    student.main(out=tmp_path)
    capsys.readouterr()
    target = tmp_path / "05_padding_stride_channels.ipynb"
    mine = _answer(target, outputs)
    assert student.main(out=tmp_path) == 1
    assert target.read_bytes() == mine, "make student overwrote the student's work"
    said = capsys.readouterr()
    assert "05_padding_stride_channels.ipynb" in said.err and "updated" not in said.out
    assert "make student FORCE=1" in said.err and "--force" in said.err
    assert f"cp -n {target} workspace/my_{target.name}" in said.err


def test_force_overwrites_an_edited_student_notebook(tmp_path, capsys):
    student.main(out=tmp_path)
    fresh = {p.name: p.read_bytes() for p in tmp_path.iterdir()}
    _answer(tmp_path / "05_padding_stride_channels.ipynb")
    assert student.main(out=tmp_path, force=True) == 0
    assert {p.name: p.read_bytes() for p in tmp_path.iterdir()} == fresh
    assert "updated:" in capsys.readouterr().out


def test_a_notebook_the_generator_wrote_is_rewritten(tmp_path):
    """A notebook as make student wrote it (no answer, no output) is the generator's: a changed instructor
    edition replaces it without --force. One written before fingerprints is, while it is committed."""
    student.main(out=tmp_path)
    target = tmp_path / "05_padding_stride_channels.ipynb"
    nb = read(target)
    nb.cells[0].source += "\n\nAn older version of the first cell."      # as an older edition would be
    nb.metadata.course.generated = student.fingerprint(nb)
    nbformat.write(nb, target)
    assert not student.edited(target)
    assert student.main(out=tmp_path) == 0 and "An older version" not in target.read_text()
    del nb.metadata.course["generated"]                                  # written before fingerprints
    nbformat.write(nb, target)
    assert student.edited(target), "a file without a fingerprint, not committed, may be a student's"
    git = ["git", "-C", str(tmp_path), "-c", "user.name=t", "-c", "user.email=t@t"]
    subprocess.run([*git, "init", "-q"], check=True)
    subprocess.run([*git, "add", target.name], check=True)
    subprocess.run([*git, "commit", "-q", "-m", "edition"], check=True)
    assert not student.edited(target)
    _answer(target)
    assert student.edited(target)


def test_make_student_passes_force_and_make_workspace_runs_the_tool():
    def dry_run(*args):
        return subprocess.run(["make", "-n", *args], cwd=ROOT, capture_output=True, text=True).stdout

    assert "-m tools.student --force" in dry_run("student", "FORCE=1")
    assert "--force" not in dry_run("student") and "--force" not in dry_run("student", "FORCE=0")
    assert "-m tools.workspace" in dry_run("workspace")


def test_make_workspace_twice_keeps_the_students_copy(tmp_path):
    """`make workspace` (python -m tools.workspace DIR) copies the student edition, and a second run, after
    the student wrote into a copy and a notebook of the course was added, keeps the copy."""
    folder = tmp_path / "workspace"

    def make_workspace():
        done = subprocess.run([sys.executable, "-m", "tools.workspace", str(folder)], cwd=ROOT,
                              capture_output=True, text=True, timeout=120)
        assert done.returncode == 0, done.stderr
        return done.stdout

    make_workspace()
    edition = sorted(p.name for p in STUDENT.glob("*.ipynb"))
    assert sorted(p.name for p in folder.iterdir()) == edition
    assert (folder / "05_padding_stride_channels.ipynb").read_bytes() == \
        (STUDENT / "05_padding_stride_channels.ipynb").read_bytes()
    mine = _answer(folder / "05_padding_stride_channels.ipynb")
    (folder / "index.ipynb").unlink()                    # as if index.ipynb were new in a course update
    said = make_workspace()
    assert (folder / "05_padding_stride_channels.ipynb").read_bytes() == mine
    assert (folder / "index.ipynb").read_bytes() == (STUDENT / "index.ipynb").read_bytes()
    assert "copied 1 notebook" in said and f"kept the {len(edition) - 1} already there" in said
