# The course's commands. On a fresh machine: `make lab` opens the course, `make test` checks it.
SHELL := /bin/bash
PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
NOTEBOOKS := $(sort $(wildcard notebooks/[0-9][0-9]_*.ipynb))
PORT ?= 8888
# `make execute NB=notebooks/02_x.ipynb` or `make nbval NB=...` works on one notebook.
NB ?= $(NOTEBOOKS)
# Jupyter refuses to run as root unless told; containers and CI machines often are root.
LAB_ARGS ?= $(if $(filter 0,$(shell id -u)),--allow-root)

# The same environment for the tests, `make execute` and the lab.
export TF_CPP_MIN_LOG_LEVEL := 3
export PYTHONHASHSEED := 0

.PHONY: help setup lab test unit nbval execute nav bench vendor slides site clean

help:
	@echo "make lab      set up .venv (first time) and open the course in JupyterLab"
	@echo "make test     set up .venv (first time), run the unit tests and nbval on every notebook"
	@echo "make execute  re-run every notebook top to bottom in a fresh kernel, outputs saved in place"
	@echo "make nav      rewrite Colab badges, navigation links and tables of contents"
	@echo "make bench    run the benchmark scripts (speed and accuracy figures)"
	@echo "make slides   one reveal.js deck per notebook, build/slides/NAME.slides.html (works offline)"
	@echo "make site     the notebooks as a static HTML site, build/site/index.html (works offline)"
	@echo "make clean    remove .venv and caches"

setup: $(STAMP)

# Re-installs when requirements.txt or pyproject.toml changes; otherwise reuses .venv.
$(STAMP): requirements.txt pyproject.toml
	@test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --disable-pip-version-check -q -r requirements.txt
	$(BIN)/python -m pip install --disable-pip-version-check -q --no-deps -e .
	$(BIN)/python -m ipykernel install --sys-prefix --name python3 --display-name "Python 3 (CNN course)" >/dev/null
	@mkdir -p $(VENV)/etc/ipython
	@# TensorFlow's C++ start-up logs go to the terminal, not into the notebooks.
	@echo "c.IPKernelApp.capture_fd_output = False" > $(VENV)/etc/ipython/ipython_kernel_config.py
	@touch $@

lab: $(STAMP)
	$(BIN)/jupyter lab --ServerApp.root_dir=notebooks --port=$(PORT) $(LAB_ARGS) notebooks/index.ipynb

# With npm on the machine, the lecture-mode browser tests get their JavaScript first (once).
test: $(STAMP)
	@if command -v npm >/dev/null; then $(BIN)/python tools/lecture.py vendor || \
		echo "make test: could not fetch the decks' JavaScript (offline?); lecture-mode tests will be skipped"; fi
	$(BIN)/python -m pytest tests notebooks --nbval --nbval-current-env \
		--nbval-sanitize-with tests/sanitize.cfg -p no:cacheprovider

unit: $(STAMP)
	$(BIN)/python -m pytest tests

nbval: $(STAMP)
	$(BIN)/python -m pytest $(NB) --nbval --nbval-current-env --nbval-sanitize-with tests/sanitize.cfg

execute: $(STAMP)
	$(BIN)/python tools/nav.py
	$(BIN)/jupyter nbconvert --to notebook --execute --inplace \
		--ExecutePreprocessor.kernel_name=python3 --ExecutePreprocessor.timeout=600 \
		--ExecutePreprocessor.record_timing=False $(NB)

nav: $(STAMP)
	$(BIN)/python tools/nav.py

bench: $(STAMP)
	@for b in bench/*.py; do echo "== $$b"; $(BIN)/python $$b || exit 1; done

# Lecture mode (tools/lecture.py): decks and site from the committed notebooks, without running them.
# `vendor` installs reveal.js, require.js, jQuery and MathJax, pinned in tools/lecture.py, from the npm
# registry into build/vendor (once); the decks and the site carry a copy and need no network.
vendor: $(STAMP)
	$(BIN)/python tools/lecture.py vendor

slides: vendor
	$(BIN)/python tools/lecture.py slides

site: vendor
	$(BIN)/python tools/lecture.py site

clean:
	rm -rf $(VENV) .pytest_cache .hypothesis build _site
