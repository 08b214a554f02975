#!/usr/bin/env python3
"""Builds Corpora/captions.jsonl from the hand-written sources in Corpora/sources/*.txt and checks it.

Source format (one file per group of industries, written by us):

    === industry: food and drink
    --- topic: cold brew coffee concentrate
    [instagram | playful]
    First line of the caption.

    More lines, hashtags and all. #ColdBrew
    [x | urgent]
    Another caption for the same topic.
    --- topic: next topic
    ...

A caption runs from its `[platform | tone]` header to the next header, topic line, industry line
or the end of the file; blank lines at its ends are dropped, blank lines inside are kept. Lines
starting with `#!` are comments.

Usage:
    build_corpus.py --check FILE...     # report counts and problems of some source files, write nothing
    build_corpus.py                     # check all sources and write Corpora/captions.jsonl
Exit status 1 when a problem is found.
"""
import json
import re
import sys
import unicodedata
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
PLATFORMS = {"instagram", "x", "linkedin", "facebook", "tiktok"}
TONES = {"playful", "professional", "urgent", "inspirational", "friendly", "luxury"}
# Character limits per platform. Facebook has no hard cap; posts that read well are short.
LIMITS = {"x": 280, "instagram": 2200, "tiktok": 2200, "linkedin": 3000, "facebook": 1200}
NEAR_DUPLICATE_JACCARD = 0.5  # word 3-shingle Jaccard similarity at or above this is a near-duplicate

HEADER = re.compile(r"^\[\s*([a-z]+)\s*\|\s*([a-z]+)\s*\]\s*$")


def parse(path):
    records, problems = [], []
    industry = topic = None
    current = None  # (platform, tone, line number, [lines])

    def close():
        nonlocal current
        if current is None:
            return
        platform, tone, line_no, lines = current
        while lines and not lines[-1].strip():
            lines.pop()
        while lines and not lines[0].strip():
            lines.pop(0)
        text = "\n".join(l.rstrip() for l in lines)
        if not text:
            problems.append(f"{path}:{line_no}: empty caption")
        else:
            records.append({"text": text, "topic": topic, "platform": platform, "tone": tone,
                            "industry": industry, "_where": f"{path.name}:{line_no}"})
        current = None

    for number, raw in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
        if raw.startswith("#!"):
            continue
        if raw.startswith("=== industry:"):
            close()
            industry = raw.split(":", 1)[1].strip().lower()
            topic = None
            continue
        if raw.startswith("--- topic:"):
            close()
            topic = raw.split(":", 1)[1].strip()
            if industry is None:
                problems.append(f"{path}:{number}: topic before any industry line")
            continue
        m = HEADER.match(raw)
        if m:
            close()
            platform, tone = m.group(1), m.group(2)
            if platform not in PLATFORMS:
                problems.append(f"{path}:{number}: unknown platform {platform!r}")
            if tone not in TONES:
                problems.append(f"{path}:{number}: unknown tone {tone!r}")
            if topic is None:
                problems.append(f"{path}:{number}: caption before any topic line")
            current = (platform, tone, number, [])
            continue
        if current is None:
            if raw.strip():
                problems.append(f"{path}:{number}: text outside a caption: {raw[:40]!r}")
            continue
        current[3].append(raw)
    close()
    return records, problems


def words(text):
    return re.findall(r"[a-z0-9']+", unicodedata.normalize("NFKC", text).lower())


def shingles(text, n=3):
    w = words(text)
    if len(w) < n:
        return {" ".join(w)}
    return {" ".join(w[i:i + n]) for i in range(len(w) - n + 1)}


def near_duplicates(records):
    """All pairs with word 3-shingle Jaccard >= threshold, via an inverted index on shingles."""
    sets = [shingles(r["text"]) for r in records]
    index = {}
    for i, s in enumerate(sets):
        for sh in s:
            index.setdefault(sh, []).append(i)
    best = (0.0, None, None)
    pairs = []
    for i, s in enumerate(sets):
        counts = Counter()
        for sh in s:
            postings = index[sh]
            if len(postings) > 200:  # a very common shingle says little; skip it for speed
                continue
            for j in postings:
                if j > i:
                    counts[j] += 1
        for j, shared in counts.items():
            jac = shared / (len(s) + len(sets[j]) - shared)
            if jac > best[0]:
                best = (jac, i, j)
            if jac >= NEAR_DUPLICATE_JACCARD:
                pairs.append((jac, i, j))
    return best, pairs


def check(records):
    problems = []
    for r in records:
        limit = LIMITS.get(r["platform"])
        if limit and len(r["text"]) > limit:
            problems.append(f"{r['_where']}: {len(r['text'])} characters, over the {r['platform']} limit {limit}")
        if r["platform"] == "x" and r["text"].count("#") > 3:
            problems.append(f"{r['_where']}: more than 3 hashtags on x")
    best, pairs = near_duplicates(records)
    for jac, i, j in pairs:
        problems.append(f"near-duplicate ({jac:.2f}): {records[i]['_where']} ~ {records[j]['_where']}")
    return problems, best


def report(records, best):
    print(f"captions: {len(records)}")
    print(f"topics: {len({r['topic'] for r in records})}  industries: {len({r['industry'] for r in records})}")
    print("platforms:", dict(Counter(r["platform"] for r in records).most_common()))
    print("tones:", dict(Counter(r["tone"] for r in records).most_common()))
    if best[1] is not None:
        print(f"highest word-3-shingle Jaccard similarity: {best[0]:.3f} "
              f"({records[best[1]]['_where']} ~ {records[best[2]]['_where']})")


def is_validation(text):
    """Deterministic ~10% validation split: FNV-1a (64-bit) of the UTF-8 text, modulo 10, is 0.
    The same rule as copygen's Swift code (Sources/Corpus), so both agree on every caption."""
    h = 0xcbf29ce484222325
    for b in text.encode("utf-8"):
        h = ((h ^ b) * 0x100000001b3) & 0xFFFFFFFFFFFFFFFF
    return h % 10 == 0


def main(argv):
    if argv and argv[0] == "--check":
        files = [Path(a) for a in argv[1:]]
        write = False
    else:
        files = sorted((ROOT / "sources").glob("*.txt"))
        write = True
    records, problems = [], []
    for f in files:
        r, p = parse(f)
        records += r
        problems += p
    more, best = check(records)
    problems += more
    report(records, best)
    for p in problems:
        print("problem:", p)
    if problems:
        return 1
    if write:
        out = ROOT / "captions.jsonl"
        with open(out, "w", encoding="utf-8") as f:
            for r in records:
                row = {k: r[k] for k in ("text", "topic", "platform", "tone", "industry")}
                f.write(json.dumps(row, ensure_ascii=False) + "\n")
        print(f"wrote {out} ({len(records)} captions)")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
