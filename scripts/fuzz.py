#!/usr/bin/env python3
"""`make fuzz`: builds copygen's libFuzzer targets (Fuzz/) and runs each for a bounded time.

For every target it writes fresh seeds (from the repository's own files, by the fuzz binary
itself), runs libFuzzer with AddressSanitizer for FUZZ_SECONDS, prints the inputs executed, and
collects crash/leak/timeout/oom artifacts. The summary goes to Benchmarks/results/fuzz.json.
Exit status 1 when any target found something, so a CI job notices.

    make fuzz                          # every target, 60 s each
    make fuzz FUZZ_SECONDS=600         # longer
    FUZZ_TARGETS=corpus,prompts make fuzz

Reproduce a finding: COPYGEN_FUZZ_TARGET=<target> SWIFT_BACKTRACE=enable=no \
    Fuzz/.build/release/CopygenFuzz .build-fuzz/artifacts/<target>/crash-...
"""
import argparse
import datetime
import json
import os
import re
import shutil
import subprocess
import sys
import time

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
BINARY = os.path.join(ROOT, "Fuzz/.build/release/CopygenFuzz")
WORK = os.path.join(ROOT, ".build-fuzz")
RESULTS = os.path.join(ROOT, "Benchmarks/results/fuzz.json")
SUPPRESSIONS = os.path.join(ROOT, "Fuzz/lsan-suppressions.txt")

# Target name -> largest input libFuzzer may generate (bytes): about the size of a small real file.
TARGETS = {
    "safetensors": 8192,
    "tokenizer-files": 16384,
    "corpus": 4096,
    "prompts": 2048,
    "lexicon": 4096,
    "round-trip": 4096,
    "safety-filter": 4096,
}
FINDING_PREFIXES = ("crash-", "leak-", "timeout-", "oom-", "slow-unit-")


def build():
    """swift build with libFuzzer + ASan; gold's harmless 'Cannot export local symbol' lines are dropped."""
    command = [os.environ.get("SWIFT", "swift"), "build", "-c", "release", "--sanitize", "fuzzer", "--sanitize", "address"]
    process = subprocess.run(command, cwd=os.path.join(ROOT, "Fuzz"), stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    for line in process.stdout.splitlines():
        if "Cannot export local symbol" not in line:
            print(line)
    if process.returncode != 0:
        sys.exit("fuzz: build failed")


def environment(target):
    env = dict(os.environ)
    env["COPYGEN_FUZZ_TARGET"] = target
    # Swift's crash backtracer hangs under libFuzzer's signal handling; ASan prints the stack instead.
    env["SWIFT_BACKTRACE"] = "enable=no"
    env["LSAN_OPTIONS"] = "suppressions=" + SUPPRESSIONS + ":print_suppressions=0"
    # The targets' scratch files go here, removed after the run (libFuzzer's exit skips atexit).
    env["TMPDIR"] = os.path.join(WORK, "tmp", target)
    os.makedirs(env["TMPDIR"], exist_ok=True)
    return env


def run_target(target, max_len, seconds, timeout):
    seeds = os.path.join(WORK, "seeds", target)
    corpus = os.path.join(WORK, "corpus", target)
    artifacts = os.path.join(WORK, "artifacts", target)
    for directory in (corpus, artifacts):
        os.makedirs(directory, exist_ok=True)
    env = environment(target)
    subprocess.run([BINARY], env=dict(env, COPYGEN_FUZZ_WRITE_SEEDS=seeds), check=True, stdout=subprocess.DEVNULL)
    before = set(os.listdir(artifacts))
    log_path = os.path.join(WORK, "logs", target + ".log")
    os.makedirs(os.path.dirname(log_path), exist_ok=True)
    command = [
        BINARY, f"-max_total_time={seconds}", f"-timeout={timeout}", "-rss_limit_mb=2048",
        f"-max_len={max_len}", "-print_final_stats=1", f"-artifact_prefix={artifacts}/", corpus, seeds,
    ]
    dictionary = os.path.join(ROOT, "Fuzz/Dictionaries", target + ".dict")
    if os.path.exists(dictionary):  # the format's keywords, so mutations reach past the parser
        command.insert(1, f"-dict={dictionary}")
    started = time.monotonic()
    with open(log_path, "w") as log:
        # The wall-clock guard only matters if libFuzzer itself stops responding.
        try:
            process = subprocess.run(command, env=env, stdout=log, stderr=subprocess.STDOUT, timeout=seconds + 10 * timeout + 120)
            status = process.returncode
        except subprocess.TimeoutExpired:
            status = "killed"
    elapsed = time.monotonic() - started
    shutil.rmtree(env["TMPDIR"], ignore_errors=True)
    text = open(log_path, errors="replace").read()
    executed = re.findall(r"stat::number_of_executed_units:\s*(\d+)", text)
    peak = re.findall(r"stat::peak_rss_mb:\s*(\d+)", text)
    found = sorted(name for name in set(os.listdir(artifacts)) - before if name.startswith(FINDING_PREFIXES))
    return {
        "target": target,
        "seconds": round(elapsed, 1),
        "executions": int(executed[-1]) if executed else 0,
        "executions_per_second": round(int(executed[-1]) / elapsed, 1) if executed and elapsed > 0 else 0,
        "crashes": len(found),
        "findings": [os.path.relpath(os.path.join(artifacts, name), ROOT) for name in found],
        "corpus_files": len(os.listdir(corpus)),
        "peak_rss_mb": int(peak[-1]) if peak else None,
        "exit_status": status,
        "log": os.path.relpath(log_path, ROOT),
    }


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seconds", type=int, default=int(os.environ.get("FUZZ_SECONDS", "60")), help="time per target")
    parser.add_argument("--timeout", type=int, default=10, help="seconds one input may take before it counts as a hang")
    parser.add_argument("--targets", default=os.environ.get("FUZZ_TARGETS", ",".join(TARGETS)), help="comma-separated names")
    parser.add_argument("--no-build", action="store_true", help="use the fuzz binary already built")
    arguments = parser.parse_args()
    names = [name for name in arguments.targets.split(",") if name]
    unknown = [name for name in names if name not in TARGETS]
    if unknown:
        sys.exit(f"fuzz: unknown target(s) {', '.join(unknown)} (known: {', '.join(TARGETS)})")
    if not arguments.no_build:
        build()

    results = []
    for name in names:  # one at a time: the machine's cores are shared
        print(f"fuzz: {name}: running for {arguments.seconds} s", flush=True)
        result = run_target(name, TARGETS[name], arguments.seconds, arguments.timeout)
        results.append(result)
        print(f"fuzz: {name}: {result['executions']} inputs executed in {result['seconds']} s, "
              f"{result['crashes']} finding(s)" + "".join(f"\n    {path}" for path in result["findings"]), flush=True)

    summary = {
        "generated": datetime.datetime.now(datetime.timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ"),
        "seconds_per_target": arguments.seconds,
        "sanitizers": ["fuzzer", "address"],
        "load_average": round(os.getloadavg()[0], 2),
        "targets": results,
    }
    os.makedirs(os.path.dirname(RESULTS), exist_ok=True)
    with open(RESULTS, "w") as file:
        json.dump(summary, file, indent=2)
        file.write("\n")
    print(f"fuzz: summary in {os.path.relpath(RESULTS, ROOT)}")
    if any(result["crashes"] for result in results):
        sys.exit(1)


if __name__ == "__main__":
    main()
