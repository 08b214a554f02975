# copygen — README's two commands (`make run`, `make test`) start here.
SWIFT ?= swift
SUDO := $(shell [ "$$(id -u)" = "0" ] || echo sudo)
SYSTEM_PACKAGES := libopenblas-dev libicu-dev
RELEASE_BIN := .build/release
SAMPLE_TOPIC ?= reusable glass water bottle
# Tune the numeric kernels for the CPU that builds them (AVX-512 where present): SIMD16 loops run
# 2-2.5x faster than on baseline x86-64. The binary is built where it runs, so this is safe.
SWIFT_FLAGS ?= -Xswiftc -target-cpu -Xswiftc native

.PHONY: deps build run test bench interop interop-model bench-peers fuzz clean

# Installs the two system libraries when missing (apt-get; sudo when not root).
deps:
	@if ! dpkg -s $(SYSTEM_PACKAGES) >/dev/null 2>&1; then \
		echo "installing $(SYSTEM_PACKAGES)"; \
		$(SUDO) apt-get update -qq && $(SUDO) apt-get install -y -qq $(SYSTEM_PACKAGES); \
	fi

build: deps
	$(SWIFT) build -c release $(SWIFT_FLAGS) --product copygen

# The main job: writes posts for a sample topic with the shipped model.
run: build
	$(RELEASE_BIN)/copygen generate --topic "$(SAMPLE_TOPIC)" --platform instagram --tone playful -n 3 --seed 7

# Release mode: the numeric kernels crawl in debug, and @testable import still works.
test: deps
	$(SWIFT) test -c release $(SWIFT_FLAGS)

# Benchmarks are not tests: release build, results in Benchmarks/results/latest.json.
bench: deps
	$(SWIFT) build -c release $(SWIFT_FLAGS) --product CopygenBench
	$(SWIFT) build -c release $(SWIFT_FLAGS) --product copygen
	$(RELEASE_BIN)/CopygenBench

# copygen checkpoints <-> transformers' GPT2LMHeadModel, both ways (needs torch + transformers).
PYTHON ?= python3
interop-model: build
	$(PYTHON) scripts/checkpoint_interop.py --copygen $(RELEASE_BIN)/copygen

# Python `tokenizers` and tiktoken read copygen's tokenizers with the same ids (pip install tokenizers tiktoken).
interop: build
	python3 scripts/tokenizer_interop.py

# tiktoken's GPT-2 encoding and tokenizers' BpeTrainer timed on the tokenizer benchmark's text.
bench-peers:
	python3 scripts/tokenizer_peers.py

# libFuzzer + ASan targets (Fuzz/), FUZZ_SECONDS each; results in Benchmarks/results/fuzz.json. Not in `make test`.
FUZZ_SECONDS ?= 60
fuzz: deps
	FUZZ_SECONDS=$(FUZZ_SECONDS) $(PYTHON) scripts/fuzz.py

clean:
	rm -rf .build
