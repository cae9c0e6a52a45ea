#!/usr/bin/env python3
"""Measures `precis chat`: time from Enter to the first answer character (beside the
one-shot CLI's time from start to its first character) and RSS as turns accumulate.
Usage: chat_bench.py PRECIS_BIN [RUNS] [TURNS]. Python 3 standard library only."""
import os
import select
import statistics
import subprocess
import sys
import tempfile
import time

HERE = os.path.dirname(os.path.abspath(__file__))
REPO = os.path.abspath(os.path.join(HERE, "..", ".."))
sys.path.insert(0, os.path.join(REPO, "tests", "lib"))
from harness import FakeOpenAI  # noqa: E402

PAGE = os.path.join(REPO, "examples", "tracing-gc.html")


def env(fake):
    e = dict(os.environ)
    for k in ("OPENAI_API_KEY", "OPENAI_BASE_URL", "PRECIS_MODEL", "PRECIS_PROFILE"):
        e.pop(k, None)
    tmp = tempfile.mkdtemp(prefix="precis-chat-bench-")
    e.update({"OPENAI_BASE_URL": fake.url, "OPENAI_API_KEY": "sk-bench-0123456789abcdef",
              "XDG_CONFIG_HOME": tmp, "XDG_CACHE_HOME": tmp, "PRECIS_HISTORY": ""})
    return e


def read_until(fd, marker, timeout=30):
    """Reads fd until marker has arrived; returns (seconds to the first byte, data)."""
    start = time.monotonic()
    first = None
    data = b""
    while marker not in data:
        r, _, _ = select.select([fd], [], [], timeout)
        if not r:
            raise RuntimeError("timed out; got %r" % data[-200:])
        chunk = os.read(fd, 65536)
        if not chunk:
            raise RuntimeError("EOF; got %r" % data[-200:])
        if first is None:
            first = time.monotonic() - start
        data += chunk
    return first, data


def rss_kb(pid):
    with open("/proc/%d/status" % pid) as f:
        for line in f:
            if line.startswith("VmRSS:"):
                return int(line.split()[1])
    return 0


def ctrl_c_latency(binary, e, runs):
    """Seconds from Ctrl-C (written to a pty) during a slow streamed answer until the
    prompt is back, for each run."""
    import pty
    out = []
    for _ in range(runs):
        pid, fd = pty.fork()
        if pid == 0:
            os.execve(binary, [binary, "chat", PAGE, "-m", "drip:400/20"], e)
        read_until(fd, b"tracing-gc> ")
        os.write(fd, b"Tell me everything\r")
        read_until(fd, b"w5 ")
        start = time.monotonic()
        os.write(fd, b"\x03")
        read_until(fd, b"tracing-gc> ")
        out.append(time.monotonic() - start)
        os.write(fd, b"\x04")
        try:
            read_until(fd, b"__never__", timeout=5)
        except (RuntimeError, OSError):
            pass
        os.waitpid(pid, 0)
        os.close(fd)
    return out


def pct(v, p):
    v = sorted(v)
    return v[min(len(v) - 1, int(round(p / 100.0 * (len(v) - 1))))]


def main():
    binary = os.path.abspath(sys.argv[1])
    runs = int(sys.argv[2]) if len(sys.argv) > 2 else 30
    turns = int(sys.argv[3]) if len(sys.argv) > 3 else 200
    fake = FakeOpenAI()
    e = env(fake)
    try:
        cli = []
        for _ in range(runs):
            p = subprocess.Popen([binary, "ask", PAGE, "-q", "What is a write barrier?", "-m",
                                  "echo"], stdout=subprocess.PIPE, env=e)
            first, _ = read_until(p.stdout.fileno(), b"ECHO")
            cli.append(first + 0.0)
            p.communicate()
        # The CLI's figure is from exec to its first byte: read_until starts its clock
        # just after Popen returns, which is after exec began.
        p = subprocess.Popen([binary, "chat", PAGE, "-m", "echo"], stdin=subprocess.PIPE,
                             stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, env=e)
        out = p.stdout.fileno()
        repl = []
        rss = {}
        for i in range(max(runs, turns)):
            p.stdin.write(b"What is a write barrier, turn %d?\n" % i)
            p.stdin.flush()
            first, _ = read_until(out, b"\nSources:\n")
            if i < runs:
                repl.append(first)
            if i + 1 in (10, 50, 100, 200, turns):
                rss[i + 1] = rss_kb(p.pid)
        p.stdin.close()
        p.wait(timeout=30)
        cancel = ctrl_c_latency(binary, e, 10)
    finally:
        fake.stop()
    ms = lambda v: v * 1000.0  # noqa: E731
    print("Enter to first answer character, fake model (echo), %d runs:" % runs)
    print("  %-34s p50 %6.2f ms   p90 %6.2f ms" % ("precis chat (warm REPL)",
                                                  ms(statistics.median(repl)), ms(pct(repl, 90))))
    print("  %-34s p50 %6.2f ms   p90 %6.2f ms" % ("precis ask (CLI, start to first char)",
                                                  ms(statistics.median(cli)), ms(pct(cli, 90))))
    print("Ctrl-C during a streamed answer to the prompt back (pty, %d runs): p50 %.2f ms, "
          "max %.2f ms" % (len(cancel), ms(statistics.median(cancel)), ms(max(cancel))))
    print("RSS of precis chat after N turns:")
    for k in sorted(rss):
        print("  %4d turns  %7.1f MB" % (k, rss[k] / 1024.0))


if __name__ == "__main__":
    main()
