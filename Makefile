# k8slearn: set-up, course, tests, slides and benchmarks.
#
#   make lab         start JupyterLab on notebooks/ (creates .venv on first use; LAB_ARGS=--no-browser ...)
#   make test        unit tests, strict nbval over notebooks/, offline slides, real-browser tests
#   make notebooks   regenerate navigation cells, then re-execute every notebook in place
#   make slides      export offline reveal.js decks to slides/ (vendor files fetched once with npm)
#   make bench       run bench/bench_*.py and write build/bench.json
#   make lint        ruff, if installed
#
# Every target first makes sure .venv exists and holds requirements.txt and the package (-e .);
# a stamp file makes that instant until requirements.txt or pyproject.toml change.
# NOTEBOOKS=dir and SLIDES=dir point the targets at other directories, e.g.
#   make test NOTEBOOKS=/tmp/nbtest SLIDES=/tmp/nbtest-slides

PYTHON    ?= python3
VENV      ?= .venv
NOTEBOOKS ?= notebooks
SLIDES    ?= slides
BENCH     ?=
LAB_ARGS  ?=

PY         := $(VENV)/bin/python
STAMP      := $(VENV)/.k8slearn-installed
ALLOW_ROOT := $(if $(filter 0,$(shell id -u)),--allow-root)
LAB_PAGE_CONFIG := "@jupyterlab/apputils-extension:announcements"
LAB_OVERRIDES   := $(VENV)/share/jupyter/lab/settings/overrides.json

export K8SLEARN_NOTEBOOKS := $(abspath $(NOTEBOOKS))
export K8SLEARN_SLIDES    := $(abspath $(SLIDES))

.DEFAULT_GOAL := help
.PHONY: help setup lab test test-unit test-nbval test-slides test-browser notebooks slides bench lint clean

help:
	@sed -n '3,9s/^#//p' $(firstword $(MAKEFILE_LIST))

# ------------------------------------------------------------------ the virtual environment

setup: $(STAMP)

$(PY):
	@$(PYTHON) -m venv $(VENV) || { rm -rf $(VENV); \
	  echo "error: '$(PYTHON) -m venv' failed; on Debian/Ubuntu install it with: apt-get install python3-venv" >&2; exit 1; }

# The package and its requirements; then JupyterLab without the news toast and the update
# check, configured inside .venv only (nothing outside the checkout changes).
$(STAMP): requirements.txt pyproject.toml | $(PY)
	$(PY) -m pip install --disable-pip-version-check --quiet -r requirements.txt -e .
	@$(VENV)/bin/jupyter labextension disable --level=sys_prefix $(LAB_PAGE_CONFIG) >/dev/null 2>&1
	@mkdir -p $(dir $(LAB_OVERRIDES))
	@echo '{"@jupyterlab/apputils-extension:notification": {"fetchNews": "false", "checkForUpdates": false}}' \
	  > $(LAB_OVERRIDES)
	@touch $@

# ------------------------------------------------------------------ the course

lab: setup
	@mkdir -p $(NOTEBOOKS)
	$(VENV)/bin/jupyter lab --ip=127.0.0.1 $(ALLOW_ROOT) --ServerApp.root_dir=$(NOTEBOOKS) \
	  --LabApp.news_url=None --LabApp.check_for_updates_class=jupyterlab.NeverCheckForUpdate \
	  $(if $(wildcard $(NOTEBOOKS)/00_welcome.ipynb),--LabApp.default_url=/lab/tree/00_welcome.ipynb) $(LAB_ARGS)

notebooks: setup
	$(PY) tools/make_nav.py $(NOTEBOOKS)
	$(PY) tools/execute_notebooks.py
	$(PY) tools/make_nav.py --check $(NOTEBOOKS)
	$(PY) -m pytest -q tests/test_notebook_hygiene.py

slides: setup
	$(PY) tools/build_slides.py --out $(SLIDES)

# ------------------------------------------------------------------ checks

test: setup
	$(PY) tools/run_tests.py

test-unit test-nbval test-slides test-browser: setup
	$(PY) tools/run_tests.py --steps $(@:test-%=%)

bench: setup
	$(PY) bench/run_all.py $(BENCH)

lint:
	@if [ -x $(PY) ] && $(PY) -m ruff --version >/dev/null 2>&1; then $(PY) -m ruff check .; \
	elif command -v ruff >/dev/null 2>&1; then ruff check .; \
	else echo "lint: ruff is not installed; skipped"; fi

clean:
	rm -rf build $(SLIDES)
