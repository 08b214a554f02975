#!/usr/bin/env python3
"""Load on `copygen serve`: /v1/generate at several client counts, a soak, and sequential CLI calls.

Starts the built server with the shipped model on a free loopback port. Each client is a thread
with its own keep-alive connection that sends one request after another (n posts each, a new
topic and seed each time) for the given time. Reports requests and posts per second, p50/p99
latency and the server's peak resident memory per level; then, for the same requests, the rate
of sequential `copygen generate` runs (one process per request, the way a script would call the
CLI). With --soak, 8 clients for that many seconds, the server's memory sampled every 10 s.

Writes one JSON file (default Benchmarks/results/serve-load.json).
"""
import argparse
import http.client
import json
import os
import re
import statistics
import subprocess
import sys
import threading
import time

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
TOPICS = ["reusable glass water bottle", "cold brew coffee", "handmade soap", "yoga retreat", "bike repair shop",
          "vegan bakery", "running shoes", "houseplant delivery", "coworking space", "winter jackets"]
PLATFORMS = [("instagram", "playful"), ("linkedin", "professional"), ("x", "urgent"), ("facebook", "friendly")]


def request_body(number, posts):
    platform, tone = PLATFORMS[number % len(PLATFORMS)]
    return {"topic": TOPICS[number % len(TOPICS)], "platform": platform, "tone": tone, "n": posts, "seed": 1000 + number}


def memory_kib(pid, field):
    with open("/proc/%d/status" % pid) as status:
        for line in status:
            if line.startswith(field + ":"):
                return int(line.split()[1])
    return None


def load_average():
    with open("/proc/loadavg") as f:
        return float(f.read().split()[0])


def run_level(port, clients, seconds, posts, counter):
    """`clients` threads for `seconds`; latencies in seconds, posts, errors."""
    latencies, errors, post_counts = [], [], []
    lock = threading.Lock()
    deadline = time.monotonic() + seconds

    def client():
        connection = http.client.HTTPConnection("127.0.0.1", port, timeout=600)
        while time.monotonic() < deadline:
            with lock:
                number = counter[0]
                counter[0] += 1
            body = json.dumps(request_body(number, posts))
            start = time.monotonic()
            try:
                connection.request("POST", "/v1/generate", body, {"Content-Type": "application/json"})
                response = connection.getresponse()
                data = response.read()
                elapsed = time.monotonic() - start
                if response.status != 200:
                    with lock:
                        errors.append("%d %s" % (response.status, data[:200]))
                    continue
                got = len(json.loads(data)["posts"])
                with lock:
                    latencies.append(elapsed)
                    post_counts.append(got)
            except Exception as error:  # a dropped connection counts as an error, then reconnect
                with lock:
                    errors.append(repr(error))
                connection.close()
                connection = http.client.HTTPConnection("127.0.0.1", port, timeout=600)
        connection.close()

    threads = [threading.Thread(target=client) for _ in range(clients)]
    started = time.monotonic()
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    wall = time.monotonic() - started
    return latencies, post_counts, errors, wall


def percentile(values, p):
    ordered = sorted(values)
    if not ordered:
        return None
    index = min(len(ordered) - 1, max(0, int(round(p / 100 * (len(ordered) - 1)))))
    return ordered[index]


def summarize(clients, latencies, post_counts, errors, wall, peak_kib):
    return {
        "clients": clients, "seconds": round(wall, 1), "requests": len(latencies), "errors": len(errors),
        "error_samples": errors[:3],
        "requests_per_second": round(len(latencies) / wall, 3),
        "posts_per_second": round(sum(post_counts) / wall, 3),
        "latency_p50_s": round(percentile(latencies, 50), 3) if latencies else None,
        "latency_p99_s": round(percentile(latencies, 99), 3) if latencies else None,
        "server_peak_rss_mib": round(peak_kib / 1024, 1) if peak_kib else None,
        "load_average_after": load_average(),
    }


def sequential_cli(binary, count, posts):
    """`copygen generate` once per request, one after another, as a script would call it."""
    started = time.monotonic()
    made = 0
    for number in range(count):
        body = request_body(number, posts)
        result = subprocess.run([binary, "generate", "--topic", body["topic"], "--platform", body["platform"],
                                 "--tone", body["tone"], "-n", str(posts), "--seed", str(body["seed"]),
                                 "--format", "jsonl"], cwd=ROOT, capture_output=True, text=True, check=True)
        made += len([line for line in result.stdout.splitlines() if line.strip()])
    wall = time.monotonic() - started
    return {"runs": count, "seconds": round(wall, 1), "requests_per_second": round(count / wall, 3),
            "posts_per_second": round(made / wall, 3)}


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--binary", default=os.path.join(ROOT, ".build/release/copygen"))
    parser.add_argument("--clients", default="1,8,32")
    parser.add_argument("--seconds", type=float, default=60, help="per client level")
    parser.add_argument("--posts", type=int, default=3, help="n of each request")
    parser.add_argument("--cli-runs", type=int, default=10)
    parser.add_argument("--soak", type=float, default=0, help="seconds of 8 clients after the levels (0: none)")
    parser.add_argument("--out", default=os.path.join(ROOT, "Benchmarks/results/serve-load.json"))
    arguments = parser.parse_args()

    server = subprocess.Popen([arguments.binary, "serve", "--port", "0"], cwd=ROOT, stdout=subprocess.PIPE, text=True)
    line = server.stdout.readline()
    port = int(re.search(r":(\d+)/", line).group(1))
    report = {"date": time.strftime("%Y-%m-%d %H:%M UTC", time.gmtime()), "model": "Models/default",
              "posts_per_request": arguments.posts, "cpus": os.cpu_count(),
              "load_average_before": load_average(), "levels": []}
    counter = [0]
    try:
        # One request first, so that no level pays for first-touch page faults.
        run_level(port, 1, 0.01, arguments.posts, counter)
        for clients in [int(c) for c in arguments.clients.split(",")]:
            latencies, post_counts, errors, wall = run_level(port, clients, arguments.seconds, arguments.posts, counter)
            level = summarize(clients, latencies, post_counts, errors, wall, memory_kib(server.pid, "VmHWM"))
            report["levels"].append(level)
            print(json.dumps(level), flush=True)
        if arguments.soak > 0:
            samples = []
            stop = threading.Event()

            def sample():
                while not stop.wait(10):
                    samples.append({"t": round(time.monotonic() - soak_start), "rss_mib": round(memory_kib(server.pid, "VmRSS") / 1024, 1)})

            soak_start = time.monotonic()
            sampler = threading.Thread(target=sample)
            sampler.start()
            latencies, post_counts, errors, wall = run_level(port, 8, arguments.soak, arguments.posts, counter)
            stop.set()
            sampler.join()
            soak = summarize(8, latencies, post_counts, errors, wall, memory_kib(server.pid, "VmHWM"))
            soak["rss_samples"] = samples
            report["soak"] = soak
            print(json.dumps({k: v for k, v in soak.items() if k != "rss_samples"}), flush=True)
    finally:
        server.terminate()
        report["server_exit_status"] = server.wait(timeout=60)
    report["sequential_cli"] = sequential_cli(arguments.binary, arguments.cli_runs, arguments.posts)
    print(json.dumps(report["sequential_cli"]), flush=True)
    levels = {level["clients"]: level for level in report["levels"]}
    if 1 in levels and 8 in levels and levels[1]["posts_per_second"]:
        report["ratio_8_to_1_posts_per_second"] = round(levels[8]["posts_per_second"] / levels[1]["posts_per_second"], 2)
    with open(arguments.out, "w") as out:
        json.dump(report, out, indent=2)
        out.write("\n")
    print("wrote " + arguments.out)
    return 0


if __name__ == "__main__":
    sys.exit(main())
