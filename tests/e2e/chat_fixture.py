"""Fixtures for the `precis chat` end-to-end tests: a small docs site served from a
temporary directory (pages with anchors and links, one link to the page server's 404),
the fake model, and a runner for scripted (stdin) sessions."""
import http.server
import os
import shutil
import sys
import tempfile
import threading

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.join(HERE, "..", "lib"))
sys.path.insert(0, os.path.join(HERE, "..", "pages"))
from harness import BIN, REPO, FakeOpenAI, run, text  # noqa: E402,F401
import pagekit  # noqa: E402

GUIDE = """<!DOCTYPE html><html lang="en"><head><meta charset="utf-8">
<title>GC Guide</title></head><body><main><article>
<h1 id="top">The garbage collector guide</h1>
<p>This guide explains how the collector decides what to free, and how to tune it
for latency or for memory. Read the <a href="{base}/tuning.html">tuning page</a> next.</p>
<h2 id="roots">Starting from the roots</h2>
<p>The search begins at the roots: global variables, the registers of every running
thread and every stack slot that may hold a pointer. Everything reachable survives.</p>
<h2 id="barriers">Write barriers</h2>
<p>A write barrier is a few instructions the compiler inserts at every pointer store.
It shades the target grey while marking runs, so that the collector never frees an
object the program still uses. Barriers run only during a cycle.</p>
<h3 id="barrier-cost">The cost of barriers</h3>
<p>Each barrier costs a few nanoseconds per pointer store while a cycle runs.</p>
<h2 id="pacing">Pacing</h2>
<p>The pacer starts a cycle when the heap has grown by GOGC percent since the last
one. See the <a href="{pages}/status/404">old pacing notes</a> and the
<a href="{base}/missing.html">missing appendix</a>.</p>
</article></main></body></html>
"""

TUNING = """<!DOCTYPE html><html lang="en"><head><meta charset="utf-8">
<title>Tuning</title></head><body><main><article>
<h1 id="tuning">Tuning the collector</h1>
<p>Set GOGC to trade memory for processor time. A higher value collects less often and
uses more memory; a lower value collects more often.</p>
<h2 id="memlimit">The memory limit</h2>
<p>The memory limit makes the collector run harder as the heap approaches the limit,
which protects against running out of memory in containers.</p>
<p>Back to the <a href="{base}/guide.html">guide</a>.</p>
</article></main></body></html>
"""


class Quiet(http.server.SimpleHTTPRequestHandler):
    def log_message(self, fmt, *args):
        pass


class Docs:
    """The docs site on an ephemeral port, plus the shared page server for its 404."""

    def __init__(self):
        self.dir = tempfile.mkdtemp(prefix="precis-chat-docs-")
        self.pages = pagekit.Server()
        handler = lambda *a, **k: Quiet(*a, directory=self.dir, **k)  # noqa: E731
        self.httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
        self.base = "http://127.0.0.1:%d" % self.httpd.server_address[1]
        threading.Thread(target=self.httpd.serve_forever, daemon=True).start()
        for name, body in (("guide.html", GUIDE), ("tuning.html", TUNING)):
            with open(os.path.join(self.dir, name), "w") as f:
                f.write(body.format(base=self.base, pages=self.pages.base))
        self.guide = self.base + "/guide.html"
        self.tuning = self.base + "/tuning.html"

    def stop(self):
        self.httpd.shutdown()
        self.pages.stop()
        shutil.rmtree(self.dir, ignore_errors=True)


def chat(lines, args=(), env=None, timeout=60):
    """Runs `precis chat ARGS` with lines on stdin; returns (rc, stdout, stderr)."""
    e = {"PRECIS_HISTORY": "", "PRECIS_RETRY_BASE_MS": "10", "PRECIS_CACHE_TTL": "0"}
    e.update(env or {})
    stdin = ("\n".join(lines) + "\n").encode() if lines else b""
    p = run(["chat"] + list(args), stdin=stdin, env=e, timeout=timeout)
    return p.returncode, text(p.stdout), text(p.stderr)


def model_env(fake, extra=None):
    e = {"OPENAI_BASE_URL": fake.url, "OPENAI_API_KEY": "sk-test-chat-0123456789abcdef"}
    e.update(extra or {})
    return e
