# The course's commands. On a fresh machine: `make lab` opens the course, `make test` checks it.
SHELL := /bin/bash
# The Python that makes .venv: by default tools/python.sh chooses 3.11, else 3.12 or 3.13 from PATH, else
# one that uv installs, and says which in one line; `make PYTHON=/path/to/python3.12 setup` names one.
PYTHON ?=
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
# The lecture's notebooks, in order (tools/__init__.py says which they are; it needs no package, and runs
# on any Python 3).
NOTEBOOKS = $(shell $(firstword $(wildcard $(BIN)/python) python3) -m tools)
PORT ?= 8888
# make test's workers (pytest-xdist): one more than the cores, since the browser tests leave a core idle
# while a page settles (2 cores: 416 s with 2 workers, 387 s with 3); `make test WORKERS=0` runs the suite
# in one process. `make unit`, which opens no page, runs one worker per core (2 cores: 73 s, 86 s with 3).
WORKERS ?= $(shell echo $$(( $$(getconf _NPROCESSORS_ONLN 2>/dev/null || echo 1) + 1 )))
# `make execute NB=notebooks/02_x.ipynb` or `make nbval NB=...` works on one notebook.
NB ?= $(NOTEBOOKS)
# Jupyter refuses to run as root unless told; containers and CI machines often are root.
LAB_ARGS ?= $(if $(filter 0,$(shell id -u)),--allow-root)

# The same environment for the tests, `make execute` and the lab.
export TF_CPP_MIN_LOG_LEVEL := 3
export PYTHONHASHSEED := 0

.PHONY: help setup lab test unit nbval execute nav student workspace bench vendor slides site handouts clean colab

help:
	@echo "make lab      set up .venv (first time) and open the course in JupyterLab"
	@echo "make test     set up .venv (first time), run the unit tests and nbval on every notebook"
	@echo "make unit     the fast unit tests alone (no browser, no server, no notebook run)"
	@echo "make execute  re-run every notebook top to bottom in a fresh kernel, outputs saved in place"
	@echo "make nav      rewrite Colab badges, navigation links and tables of contents"
	@echo "make student  write the student edition into student/ (solutions left out, no outputs); it never"
	@echo "              overwrites a notebook there that holds answers or outputs, unless FORCE=1"
	@echo "make workspace  copy the student edition into workspace/, where students work: once, never over a file"
	@echo "make bench    run the benchmark scripts (speed and accuracy figures)"
	@echo "make colab    run every notebook as Colab does, on Colab's package versions (.venv-colab)"
	@echo "make slides   one reveal.js deck per notebook, build/slides/NAME.slides.html (works offline)"
	@echo "make site     the notebooks as a static HTML site, build/site/index.html (works offline)"
	@echo "make handouts every deck as a PDF, build/handouts/NN_name.pdf, and NN_name-notes.pdf with the notes"
	@echo "make clean    remove .venv and caches"

setup: $(STAMP)

# Re-installs when requirements.txt or pyproject.toml changes; otherwise reuses .venv.
$(STAMP): requirements.txt pyproject.toml
	@sh tools/python.sh --venv $(VENV) $(PYTHON)
	@# uv installs the same pins as pip, faster; pip where uv cannot be had (tools/install.py)
	$(BIN)/python -m tools.install -q -r requirements.txt
	$(BIN)/python -m tools.install -q --no-deps -e .
	$(BIN)/python -m ipykernel install --sys-prefix --name python3 --display-name "Python 3 (CNN course)" >/dev/null
	@mkdir -p $(VENV)/etc/ipython
	@# TensorFlow's C++ start-up logs go to the terminal, not into the notebooks.
	@echo "c.IPKernelApp.capture_fd_output = False" > $(VENV)/etc/ipython/ipython_kernel_config.py
	@touch $@

# Live slides (RISE): the course's slideshow settings (1280 x 720, a theme without web fonts), installed
# where JupyterLab reads settings overrides; notebooks/rise.css styles the slides (tests/test_rise.py).
RISE_SETTINGS := $(VENV)/share/jupyter/lab/settings/overrides.d/cnn-course-rise.json

$(RISE_SETTINGS): tools/rise/overrides.json $(STAMP)
	@mkdir -p $(dir $@)
	cp tools/rise/overrides.json $@

lab: $(STAMP) $(RISE_SETTINGS)
	$(BIN)/jupyter lab --ServerApp.root_dir=notebooks --port=$(PORT) $(LAB_ARGS) notebooks/index.ipynb

# With npm on the machine, the lecture-mode browser tests get their JavaScript first (once).
test: $(STAMP)
	$(BIN)/ruff check .
	@if command -v npm >/dev/null; then $(BIN)/python -m tools.lecture vendor || \
		echo "make test: could not fetch the decks' JavaScript (offline?); lecture-mode tests will be skipped"; fi
	$(BIN)/python -m pytest tests notebooks --nbval --nbval-current-env \
		--nbval-sanitize-with tests/sanitize.cfg -p no:cacheprovider -n $(WORKERS)

# The fast unit tests alone (no browser, no server, no notebook executed): about a minute.
unit: $(STAMP)
	$(BIN)/python -m pytest tests -m "not slow" -p no:cacheprovider -n auto

nbval: $(STAMP)
	$(BIN)/python -m pytest $(NB) --nbval --nbval-current-env --nbval-sanitize-with tests/sanitize.cfg

execute: $(STAMP)
	$(BIN)/python -m tools.nav
	$(BIN)/jupyter nbconvert --to notebook --execute --inplace \
		--ExecutePreprocessor.kernel_name=python3 --ExecutePreprocessor.timeout=600 \
		--ExecutePreprocessor.record_timing=False $(NB)
	@# No widget state in the metadata (a widget needs a kernel; its cell's output has a still image): what
	@# nbclient stored goes (store_widget_state=False would break its Output-widget hook: KeyError, 0.11.0).
	$(BIN)/python -c 'import nbformat, sys; [nbformat.write(nb, p) for p in sys.argv[1:] \
		for nb in [nbformat.read(p, as_version=4)] if nb.metadata.pop("widgets", None) is not None]' $(NB)

nav: $(STAMP)
	$(BIN)/python -m tools.nav

# The student edition, from the committed notebooks: each exercise's solution cell (nbgrader's solution
# metadata) is left out, so its stub is followed by its check; outputs are cleared (tools/student.py).
# A notebook in student/ that holds a student's answers or outputs is named and left as it is (exit 1);
# `make student FORCE=1` overwrites it.
student: $(STAMP)
	$(BIN)/python -m tools.student$(if $(filter-out 0,$(FORCE)), --force)

# Where a student works (git-ignored): the student edition copied once; no command overwrites a file there,
# and a later `make workspace` only adds the notebooks that are new.
workspace: $(STAMP)
	$(BIN)/python -m tools.workspace

# Colab's stack (requirements-colab.txt: the versions Colab publishes, Python 3.13) in .venv-colab, then
# every numbered notebook run as Colab runs it: alone in an empty folder, `helpers` installed by its own
# setup cell (from a local clone, not GitHub), nothing else downloaded (tools/colab_run.py).
COLAB_VENV := .venv-colab
COLAB_STAMP := $(COLAB_VENV)/.installed
# Python 3.13 as Colab has it: python3.13 on PATH, else pyenv's 3.13; or `make colab COLAB_PYTHON=...`.
COLAB_PYTHON ?= $(shell python3.13 -c 'import sys; print(sys.executable)' 2>/dev/null || \
	ls -d "$$(pyenv root 2>/dev/null)"/versions/3.13*/bin/python3.13 2>/dev/null | tail -n 1)

colab: $(COLAB_STAMP)
	$(COLAB_VENV)/bin/python -m tools.colab_run $(NB)

$(COLAB_STAMP): requirements-colab.txt
	@test -n "$(COLAB_PYTHON)" || { echo "make colab needs Python 3.13 (Colab's version): install it" \
		"(e.g. pyenv install 3.13) or name it: make colab COLAB_PYTHON=/path/to/python3.13"; exit 1; }
	@test -x $(COLAB_VENV)/bin/python || $(COLAB_PYTHON) -m venv $(COLAB_VENV)
	$(COLAB_VENV)/bin/python -m tools.install -q -r requirements-colab.txt
	@# the build tools the setup cell's %pip needs to build helpers, offline (Colab's versions)
	$(COLAB_VENV)/bin/python -m pip download -q --no-deps -d $(COLAB_VENV)/wheelhouse setuptools==75.2.0 wheel==0.48.0
	@touch $@

bench: $(STAMP)
	@for b in bench/bench_*.py; do echo "== $$b"; $(BIN)/python -m bench.$$(basename $$b .py) || exit 1; done

# Lecture mode (tools/lecture.py): decks and site from the committed notebooks, without running them.
# `vendor` installs reveal.js, require.js, jQuery and MathJax, pinned in tools/lecture.py, from the npm
# registry into build/vendor (once); the decks and the site carry a copy and need no network. It also
# installs axe-core, which tests/test_accessibility.py runs on them (WCAG 2.1 AA); the decks do not carry it.
vendor: $(STAMP)
	$(BIN)/python -m tools.lecture vendor

slides: vendor
	$(BIN)/python -m tools.lecture slides

site: vendor
	$(BIN)/python -m tools.lecture site

# Handouts (tools/handouts.py): the decks printed by reveal.js' print mode in chromium, one 16:9 page a
# slide, and a lecturer's copy with the speaker notes under each slide; offline.
handouts: slides
	$(BIN)/python -m tools.handouts

clean:
	rm -rf $(VENV) $(COLAB_VENV) .pytest_cache .hypothesis build _site
