#!/usr/bin/env python3
"""Time to the first answer character outside the editors, against the fake model ("ok")
and the local page server, so the editor figures have their floor beside them:

  cli:   spawning `precis URL` until its first stdout byte (a whole process each time)
  serve: a warm `precis serve`, from writing the request line to reading the first delta

Prints lines like `cli: first char p50 9.1 ms p90 10.2 ms (n=20)`.
Usage: PRECIS_BIN=build/precis python3 bench/editors/cli_first_char.py  (PRECIS_BENCH_RUNS)
"""
import json
import os
import subprocess
import sys
import time

ROOT = os.path.abspath(os.path.join(os.path.dirname(__file__), "..", ".."))
sys.path.insert(0, os.path.join(ROOT, "tests", "lib"))
sys.path.insert(0, os.path.join(ROOT, "tests", "pages"))
os.environ.setdefault("PRECIS_BIN", os.path.join(ROOT, "build", "precis"))
from harness import BIN, FakeOpenAI  # noqa: E402
from pagekit import Server  # noqa: E402
from serve_client import Serve, clean_env  # noqa: E402

RUNS = int(os.environ.get("PRECIS_BENCH_RUNS", "20"))


def pct(xs, p):
    xs = sorted(xs)
    return xs[min(len(xs) - 1, int(round(p / 100.0 * (len(xs) - 1))))]


def report(name, ms):
    print("%s: first char p50 %.1f ms p90 %.1f ms (n=%d)" % (name, pct(ms, 50), pct(ms, 90), len(ms)))


def main():
    fake, pages = FakeOpenAI(), Server()
    try:
        url = pages.url("/html")
        env = clean_env({"OPENAI_BASE_URL": fake.url, "PRECIS_MODEL": "ok"})
        ms = []
        for i in range(RUNS + 1):
            t0 = time.monotonic()
            p = subprocess.Popen([BIN, url], stdout=subprocess.PIPE, stderr=subprocess.DEVNULL,
                                 env=env)
            p.stdout.read(1)
            t = (time.monotonic() - t0) * 1000
            p.stdout.read()
            p.wait()
            if i:  # the first run fills the HTTP cache, as an editor's first request does
                ms.append(t)
        report("cli", ms)
        s = Serve(env={"OPENAI_BASE_URL": fake.url, "PRECIS_MODEL": "ok"})
        s.call("initialize")
        ms = []
        for i in range(RUNS + 1):
            t0 = time.monotonic()
            rid = s.send("summarize", {"url": url})
            first = None
            while True:
                t, msg = s.get()
                if first is None and msg.get("method") == "delta":
                    first = (t - t0) * 1000
                if msg.get("id") == rid:
                    break
            if i:
                ms.append(first)
        report("serve", ms)
        s.close_stdin()
        s.wait()
    finally:
        fake.stop()
        pages.stop()


if __name__ == "__main__":
    main()
