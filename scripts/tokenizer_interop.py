#!/usr/bin/env python3
"""Checks that Hugging Face `tokenizers` reads copygen's tokenizer.json and gives the same ids.

`make interop` runs this after building copygen (release). For each normalization it trains a
4,096-id tokenizer with `copygen tokenizer train` on ../shared/data/corpora, saves it, loads it with
`tokenizers.Tokenizer.from_file`, and compares the ids of every line of the corpora plus a set of
generated hard strings (emoji sequences, flags, combining marks, CJK, RTL, controls, space runs).
It also compares copygen's GPT-2 encoding with tiktoken's on the same lines. Prints the agreement;
exits 1 when any line differs.

Needs: pip install tokenizers tiktoken
"""
import json
import os
import random
import subprocess
import sys
import tempfile

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
SHARED = os.path.join(os.path.dirname(ROOT), "shared", "data")
COPYGEN = os.environ.get("COPYGEN", os.path.join(ROOT, ".build", "release", "copygen"))
SPECIALS = ["<|endoftext|>", "<|topic|>", "<|platform|>", "<|tone|>", "<|post|>"]


def corpus_lines():
    """Every caption of the shared corpora, cut at line breaks (copygen encodes a line at a time)."""
    lines = []
    for name in ("brand_tweets.jsonl", "slogans.jsonl"):
        with open(os.path.join(SHARED, "corpora", name), encoding="utf-8") as f:
            for row in f:
                lines.extend(json.loads(row)["text"].replace("\r", "\n").split("\n"))
    return [line for line in lines if line]


def generated_lines(count=3000, seed=7):
    """Strings built from the parts that stress a pre-tokenizer and a normalizer."""
    parts = [
        "hello", "World", "ÉCOLE", "naïve", "cafe\u0301", "Ｆｕｌｌ", "ﬁne", "½", "x²", "Ⅻ", "١٢٣٤", "12345678",
        "3.14", "$19.99", "'s", "'", "'LL", "'Re", "don't", "I'M", " ", "  ", "    ", "\t", "\u00a0", "\u3000",
        "\u2028", "\x0b", "\x0c", "\x1c", "\x85", "\x00", "\x07", "\x7f", "👩‍👩‍👧‍👦", "👍🏽", "🇯🇵", "🇺🇸",
        "❤️", "1️⃣", "🏳️‍🌈", "日本語のテキスト", "中文", "한국어", "שלום", "مرحبا بالعالم", "हिन्दी",
        "ไทย", "Ελληνικά", "ß", "ſ", "K", "…", "—", "!!!", "?!", "#sale", "@brand", "https://t.co/x",
        "(20% off)", "«quote»", "\"quoted\"", "e\u0301\u0302", "a\u200db", "\u200b", "\ufeff", "🙂🙂🙂",
    ]
    rng = random.Random(seed)
    lines = []
    for _ in range(count):
        n = rng.randint(1, 12)
        lines.append("".join(rng.choice(parts) + rng.choice(["", " ", " ", "  "]) for _ in range(n)))
    return [line for line in lines if line.strip("\n\r")]


def copygen(*args, input_text=None):
    result = subprocess.run([COPYGEN, *args], input=input_text, capture_output=True, text=True)
    if result.returncode != 0:
        sys.exit(f"copygen {' '.join(args)} failed: {result.stderr.strip()}")
    return result.stdout


def copygen_ids(tokenizer_path, lines):
    out = copygen("tokenizer", "encode", "--tokenizer", tokenizer_path, input_text="\n".join(lines) + "\n")
    rows = out.split("\n")[: len(lines)]
    return [[int(x) for x in row.split()] for row in rows]


def compare(name, lines, ours, theirs):
    same = sum(1 for a, b in zip(ours, theirs) if a == b)
    print(f"{name}: {same}/{len(lines)} lines identical ({100.0 * same / max(1, len(lines)):.2f}%)")
    shown = 0
    for line, a, b in zip(lines, ours, theirs):
        if a != b and shown < 3:
            print(f"  differs: {line!r}\n    copygen: {a[:20]}\n    other:   {b[:20]}")
            shown += 1
    return same == len(lines)


def main():
    from tokenizers import Tokenizer as HFTokenizer

    lines = [l for l in corpus_lines() if not any(s in l for s in SPECIALS)]
    hard = [l for l in generated_lines() if not any(s in l for s in SPECIALS)]
    ok = True
    with tempfile.TemporaryDirectory() as tmp:
        corpus = [os.path.join(SHARED, "corpora", n) for n in ("brand_tweets.jsonl", "slogans.jsonl")]
        for normalization in ("nfkc", "nfc", "none"):
            path = os.path.join(tmp, f"{normalization}.json")
            copygen("tokenizer", "train", "--corpus", *corpus, "--vocab-size", "4096",
                    "--normalization", normalization, "--out", path)
            hf = HFTokenizer.from_file(path)
            for label, texts in (("corpus lines", lines), ("generated hard strings", hard)):
                ours = copygen_ids(path, texts)
                theirs = [e.ids for e in hf.encode_batch(texts, add_special_tokens=False)]
                ok &= compare(f"tokenizers vs copygen ({normalization}, {label})", texts, ours, theirs)
            # Special tokens: allowed specials map to the same ids in both.
            text = "<|topic|>glass bottle<|post|>Stay hydrated<|endoftext|>"
            ours = [int(x) for x in copygen("tokenizer", "encode", "--tokenizer", path, "--allow-special",
                                            input_text=text + "\n").split()]
            theirs = hf.encode(text, add_special_tokens=False).ids
            ok &= compare(f"tokenizers vs copygen ({normalization}, special tokens)", [text], [ours], [theirs])

    gpt2 = os.path.join(SHARED, "gpt2")
    try:
        import tiktoken
        encoder = json.load(open(os.path.join(gpt2, "encoder.json"), encoding="utf-8"))
        byte_of = {}
        n = 0
        for b in range(256):
            if 0x21 <= b <= 0x7E or 0xA1 <= b <= 0xAC or 0xAE <= b <= 0xFF:
                byte_of[chr(b)] = b
            else:
                byte_of[chr(256 + n)] = b
                n += 1
        ranks = {bytes(byte_of[c] for c in tok): i for tok, i in encoder.items() if tok != "<|endoftext|>"}
        enc = tiktoken.Encoding("gpt2-local", pat_str=r"""'s|'t|'re|'ve|'m|'ll|'d| ?\p{L}+| ?\p{N}+| ?[^\s\p{L}\p{N}]+|\s+(?!\S)|\s+""",
                                mergeable_ranks=ranks, special_tokens={"<|endoftext|>": 50256})
        for label, texts in (("corpus lines", lines), ("generated hard strings", hard)):
            ours = copygen_ids(gpt2, texts)
            theirs = [enc.encode_ordinary(t) for t in texts]
            ok &= compare(f"tiktoken GPT-2 vs copygen GPT-2 ({label})", texts, ours, theirs)
    except ImportError:
        print("tiktoken not installed: GPT-2 comparison skipped")
    print("interop: all identical" if ok else "interop: DIFFERENCES FOUND")
    return 0 if ok else 1


if __name__ == "__main__":
    if not os.path.isdir(SHARED):
        sys.exit(f"interop needs {SHARED} (the shared reference data)")
    sys.exit(main())
