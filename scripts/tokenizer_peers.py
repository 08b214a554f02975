#!/usr/bin/env python3
"""Times the Python peers of copygen's tokenizer on the text of the `tokenizer` benchmark group.

`make bench-peers` runs it. The text is built exactly as Benchmarks/Sources/TokenizerBenchmarks.swift
builds it: every `text` of ../shared/data/corpora/brand_tweets.jsonl then slogans.jsonl, joined with
"\\n" plus a final "\\n", repeated until it reaches 10,000,000 bytes.

- tiktoken: GPT-2's encoding (built from ../shared/data/gpt2, no download), `encode_ordinary` on the
  whole text and once per caption, one thread; median of three runs, each with a fresh Encoding.
- tokenizers: BpeTrainer to 4,096 ids (NFKC, copygen's Split regex + ByteLevel, the 5 special
  tokens, the 256-byte initial alphabet) on the texts; median of three runs, with Rayon limited to
  one thread (as copygen trains) and with its default thread count. Also its encode MB/s with the
  trained tokenizer (`encode_batch` over the captions, one thread).

Needs: pip install tokenizers tiktoken
"""
import json
import os
import statistics
import subprocess
import sys
import time

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
SHARED = os.path.join(os.path.dirname(ROOT), "shared", "data")
GPT4_STYLE = r"""'(?i:[sdmt]|ll|ve|re)|[^\r\n\p{L}\p{N}]?\p{L}+|\p{N}{1,3}| ?[^\s\p{L}\p{N}]+[\r\n]*|\s*[\r\n]+|\s+(?!\S)|\s+"""
GPT2 = r"""'s|'t|'re|'ve|'m|'ll|'d| ?\p{L}+| ?\p{N}+| ?[^\s\p{L}\p{N}]+|\s+(?!\S)|\s+"""
SPECIALS = ["<|endoftext|>", "<|topic|>", "<|platform|>", "<|tone|>", "<|post|>"]


def benchmark_texts():
    texts = []
    for name in ("brand_tweets.jsonl", "slogans.jsonl"):
        with open(os.path.join(SHARED, "corpora", name), encoding="utf-8") as f:
            texts += [json.loads(line)["text"] for line in f if line.strip()]
    block = "\n".join(texts) + "\n"
    size = len(block.encode("utf-8"))
    repeats = (10_000_000 + size - 1) // size
    return texts * repeats, block * repeats


def median_seconds(runs, prepare, body):
    times = []
    for _ in range(runs):
        state = prepare()
        start = time.perf_counter()
        body(state)
        times.append(time.perf_counter() - start)
    return round(statistics.median(times), 3)


def gpt2_encoding():
    import tiktoken
    encoder = json.load(open(os.path.join(SHARED, "gpt2", "encoder.json"), encoding="utf-8"))
    byte_of, n = {}, 0
    for b in range(256):
        if 0x21 <= b <= 0x7E or 0xA1 <= b <= 0xAC or 0xAE <= b <= 0xFF:
            byte_of[chr(b)] = b
        else:
            byte_of[chr(256 + n)] = b
            n += 1
    ranks = {bytes(byte_of[c] for c in tok): i for tok, i in encoder.items() if tok != "<|endoftext|>"}
    return lambda: tiktoken.Encoding("gpt2-local", pat_str=GPT2, mergeable_ranks=ranks,
                                     special_tokens={"<|endoftext|>": 50256})


def train_hf(texts):
    from tokenizers import Regex, Tokenizer, decoders, models, normalizers, pre_tokenizers, trainers
    tokenizer = Tokenizer(models.BPE())
    tokenizer.normalizer = normalizers.NFKC()
    tokenizer.pre_tokenizer = pre_tokenizers.Sequence([
        pre_tokenizers.Split(Regex(GPT4_STYLE), behavior="isolated"),
        pre_tokenizers.ByteLevel(add_prefix_space=False, use_regex=False),
    ])
    tokenizer.decoder = decoders.ByteLevel()
    trainer = trainers.BpeTrainer(vocab_size=4096, special_tokens=SPECIALS, show_progress=False,
                                  initial_alphabet=pre_tokenizers.ByteLevel.alphabet())
    tokenizer.train_from_iterator(texts, trainer=trainer)
    return tokenizer


def main():
    if "RAYON_NUM_THREADS" not in os.environ:
        # Rayon reads its thread count once per process: time each setting in a child process.
        results = {}
        for threads in ("1", "default"):
            env = dict(os.environ, RAYON_NUM_THREADS="0" if threads == "default" else threads)
            out = subprocess.run([sys.executable, __file__], env=env, capture_output=True, text=True, check=True).stdout
            results[threads] = json.loads(out)
        merged = results["1"]
        merged["tokenizers_train_4096_seconds_default_threads"] = results["default"]["tokenizers_train_4096_seconds"]
        merged["cpu_count"] = os.cpu_count()
        print(json.dumps(merged, indent=2, sort_keys=True))
        return

    texts, text = benchmark_texts()
    megabytes = len(text.encode("utf-8")) / 1e6
    results = {"text_bytes": len(text.encode("utf-8"))}
    make_gpt2 = gpt2_encoding()
    seconds = median_seconds(3, make_gpt2, lambda enc: enc.encode_ordinary(text))
    results["tiktoken_gpt2_encode_mb_per_s"] = round(megabytes / seconds, 1)
    seconds = median_seconds(3, make_gpt2, lambda enc: [enc.encode_ordinary(t) for t in texts])
    results["tiktoken_gpt2_encode_per_caption_mb_per_s"] = round(megabytes / seconds, 1)
    holder = {}
    seconds = median_seconds(3, lambda: None, lambda _: holder.__setitem__("t", train_hf(texts)))
    results["tokenizers_train_4096_seconds"] = seconds
    trained = holder["t"]
    # encode_batch over the captions: `encode` on the single 10 MB string is far slower in tokenizers.
    seconds = median_seconds(3, lambda: None, lambda _: trained.encode_batch(texts, add_special_tokens=False))
    results["tokenizers_bpe4096_encode_batch_mb_per_s"] = round(megabytes / seconds, 1)
    print(json.dumps(results))


if __name__ == "__main__":
    if not os.path.isdir(os.path.join(SHARED, "corpora")):
        sys.exit(f"bench-peers needs {SHARED} (the shared reference data)")
    main()
