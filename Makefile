# Two commands do all the set-up on a fresh machine with python3 and make:
#   make demo   — create .venv, install, review examples/ into out/, print a summary
#   make test   — create .venv with dev extras, run the whole test suite
PY ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed-dev
export ANONYMIZED_TELEMETRY=False
export GRADIO_ANALYTICS_ENABLED=False
export HF_HUB_OFFLINE=1

.PHONY: demo test venv clean bench

$(STAMP): pyproject.toml constraints.txt
	$(PY) -m venv $(VENV)
	$(BIN)/pip install -q --upgrade pip
	$(BIN)/pip install -q -c constraints.txt -e '.[dev]'
	touch $(STAMP)

venv: $(STAMP)

demo: $(STAMP)
	$(BIN)/python examples/make_examples.py
	$(BIN)/jixiao batch examples --out out --no-llm

test: $(STAMP)
	$(BIN)/ruff check --select F reviewer vectorstore ui tests bench
	$(BIN)/python -m pytest -q $(PYTEST_ARGS)

bench: $(STAMP)
	$(BIN)/python bench/seed_eval.py --with-retrieval
	$(BIN)/python bench/bench_check.py
	$(BIN)/python bench/bench_llm_throughput.py
	$(BIN)/python bench/bench_vectorstore.py

clean:
	rm -rf $(VENV) out
