# copygen — README's two commands (`make run`, `make test`) start here.
SWIFT ?= swift
SUDO := $(shell [ "$$(id -u)" = "0" ] || echo sudo)
SYSTEM_PACKAGES := libopenblas-dev libicu-dev
RELEASE_BIN := .build/release
SAMPLE_TOPIC ?= reusable glass water bottle
# Tune the numeric kernels for the CPU that builds them (AVX-512 where present): SIMD16 loops run
# 2-2.5x faster than on baseline x86-64. The binary is built where it runs, so this is safe.
SWIFT_FLAGS ?= -Xswiftc -target-cpu -Xswiftc native

.PHONY: deps build run serve test test-browser browser-deps test-asan test-tsan bench interop interop-model bench-peers fuzz clean tokenizer base-model default-model check-pretrain quality

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

# The HTTP API and the page (docs/http-api.md) on http://127.0.0.1:8080/ with the shipped model.
SERVE_FLAGS ?=
serve: build
	$(RELEASE_BIN)/copygen serve $(SERVE_FLAGS)

# The page in headless Chromium, driven by Selenium (scripts/browser_test.py). Installs Debian's
# chromium and chromium-driver and PyPI's selenium when missing. SCREENSHOT=docs/serve-page.png
# refreshes the committed screenshot; by default it goes under .build/.
BROWSER_PACKAGES := chromium chromium-driver fonts-noto-color-emoji
SCREENSHOT ?= .build/browser-test/serve-page.png
browser-deps:
	@if ! dpkg -s $(BROWSER_PACKAGES) >/dev/null 2>&1; then \
		echo "installing $(BROWSER_PACKAGES)"; \
		$(SUDO) apt-get update -qq && $(SUDO) DEBIAN_FRONTEND=noninteractive apt-get install -y -qq $(BROWSER_PACKAGES); \
	fi
	@$(PYTHON) -c "import selenium" 2>/dev/null || $(PYTHON) -m pip install -q selenium

# It builds as `make test` does (a testable release build, through `swift test`), so that after
# `make test` nothing is rebuilt; the page's API tests run first, then the browser.
test-browser: deps browser-deps
	$(SWIFT) test -c release $(SWIFT_FLAGS) --filter EndpointTests
	$(PYTHON) scripts/browser_test.py --binary $(RELEASE_BIN)/copygen --screenshot $(SCREENSHOT)

# Release mode: the numeric kernels crawl in debug, and @testable import still works.
test: deps
	$(SWIFT) test -c release $(SWIFT_FLAGS)

# The whole suite under AddressSanitizer / ThreadSanitizer (docs/reliability-sanitizers.md). Release
# builds in their own scratch paths; the CLI tests run the sanitized copygen, which inherits these
# options, so a report there exits with 86 (ASan) or 66 (TSan). Swift Testing only: XCTest, which
# runs no test here, leaks in its own runner.
SANITIZERS := $(CURDIR)/scripts/sanitizers
test-asan: deps
	ASAN_OPTIONS=halt_on_error=1:exitcode=86:detect_leaks=1:detect_stack_use_after_return=1 LSAN_OPTIONS=suppressions=$(SANITIZERS)/lsan.supp \
		$(SWIFT) test -c release $(SWIFT_FLAGS) --sanitize=address --scratch-path .build-asan --disable-xctest
test-tsan: deps
	TSAN_OPTIONS=halt_on_error=1:exitcode=66:suppressions=$(SANITIZERS)/tsan.supp \
		$(SWIFT) test -c release $(SWIFT_FLAGS) --sanitize=thread --scratch-path .build-tsan --disable-xctest

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

# The shipped models, rebuilt from their sources with copygen itself (Models/README.md has the
# figures and the time each takes on a 2-core machine). PRETRAIN is the licensed pre-training text
# (../shared/data/pretrain in this project's workspace; its README names the sources). Long runs:
# run them under nohup; after an interruption the same command with RESUME=--resume continues.
PRETRAIN ?= ../shared/data/pretrain
VOCAB ?= 8192
TOKENIZER ?= Tokenizers/english-8k.json
BASE_STEPS ?= 6000
DEFAULT_STEPS ?= 600
RESUME ?=
PRETRAIN_FILES := $(PRETRAIN)/airbnb-listings.txt $(PRETRAIN)/debian-descriptions.txt $(PRETRAIN)/openstax-business.txt
check-pretrain:
	@for f in $(PRETRAIN_FILES); do [ -f "$$f" ] || { echo "pre-training text not found: $$f (set PRETRAIN=DIR)"; exit 2; }; done

# One byte-level BPE vocabulary for the pre-training text and the captions (5 times, so their
# emoji, hashtags and short lines get tokens), without the validation split.
tokenizer: build check-pretrain
	$(RELEASE_BIN)/copygen tokenizer train --corpus $(PRETRAIN_FILES) Corpora/captions.jsonl@5 --split train \
		--vocab-size $(VOCAB) --out $(TOKENIZER)

# Models/base: pre-trained on the listings (half of them an epoch), the package descriptions, the
# textbooks (three times) and the captions (four times). Hours on 2 cores.
base-model: build check-pretrain
	$(RELEASE_BIN)/copygen train $(RESUME) --tokenizer $(TOKENIZER) --out Models/base \
		--documents $(PRETRAIN)/airbnb-listings.txt@0.5 --documents $(PRETRAIN)/debian-descriptions.txt \
		--documents $(PRETRAIN)/openstax-business.txt@3 --corpus Corpora/captions.jsonl@4 \
		--preset small --context 256 --batch 16 --lr 2e-3 --warmup 200 --steps $(BASE_STEPS) \
		--eval-interval 200 --checkpoint-interval 50 --seed 1 --threads 2

# Models/default: Models/base fine-tuned on the shipped captions, what `make run` uses.
default-model: build
	$(RELEASE_BIN)/copygen train $(RESUME) --init Models/base --corpus Corpora/captions.jsonl --out Models/default \
		--dropout 0.1 --batch 16 --lr 1e-3 --warmup 30 --steps $(DEFAULT_STEPS) --eval-interval 40 \
		--checkpoint-interval 40 --patience 3 --seed 1 --threads 2

# Posts of the shipped model for 50 unseen topics, scored (invented words against Debian's large
# English dictionaries, topic mentions, length limits); every post in QUALITY_POSTS to read.
DICTIONARIES := /usr/share/dict/american-english-large /usr/share/dict/british-english-large
QUALITY_POSTS ?= Benchmarks/results/quality-posts.jsonl
quality: build
	@if ! dpkg -s wamerican-large wbritish-large >/dev/null 2>&1; then \
		echo "installing wamerican-large wbritish-large"; \
		$(SUDO) apt-get update -qq && $(SUDO) apt-get install -y -qq wamerican-large wbritish-large; \
	fi
	$(RELEASE_BIN)/copygen bench quality $(foreach d,$(DICTIONARIES),--dictionary $(d)) --posts $(QUALITY_POSTS)

clean:
	rm -rf .build
