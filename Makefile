# copygen — README's two commands (`make run`, `make test`) start here.
SWIFT ?= swift
SUDO := $(shell [ "$$(id -u)" = "0" ] || echo sudo)
SYSTEM_PACKAGES := libopenblas-dev libicu-dev
RELEASE_BIN := .build/release
SAMPLE_TOPIC ?= reusable glass water bottle

.PHONY: deps build run test bench interop interop-model bench-peers clean

# Installs the two system libraries when missing (apt-get; sudo when not root).
deps:
	@if ! dpkg -s $(SYSTEM_PACKAGES) >/dev/null 2>&1; then \
		echo "installing $(SYSTEM_PACKAGES)"; \
		$(SUDO) apt-get update -qq && $(SUDO) apt-get install -y -qq $(SYSTEM_PACKAGES); \
	fi

build: deps
	$(SWIFT) build -c release --product copygen

# The main job: writes posts for a sample topic with the shipped model.
run: build
	$(RELEASE_BIN)/copygen --version

# Release mode: the numeric kernels crawl in debug, and @testable import still works.
test: deps
	$(SWIFT) test -c release

# Benchmarks are not tests: release build, results in Benchmarks/results/latest.json.
bench: deps
	$(SWIFT) build -c release --product CopygenBench --product copygen
	$(RELEASE_BIN)/CopygenBench

# Python `tokenizers` and tiktoken read copygen's tokenizers with the same ids (pip install tokenizers tiktoken).
interop: build
	python3 scripts/tokenizer_interop.py

# tiktoken's GPT-2 encoding and tokenizers' BpeTrainer timed on the tokenizer benchmark's text.
bench-peers:
	python3 scripts/tokenizer_peers.py

# copygen checkpoints <-> transformers' GPT2LMHeadModel, both ways (needs torch + transformers).
PYTHON ?= python3
interop-model: build
	$(PYTHON) scripts/checkpoint_interop.py --copygen $(RELEASE_BIN)/copygen

clean:
	rm -rf .build
