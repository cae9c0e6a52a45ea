"""Shared helpers for the end-to-end tests: run the real binary, count results.

Each test module defines functions named test_*; run_tests() calls them in order,
prints one line per failure and a closing 'N passed, M failed' line, and exits
non-zero when anything failed.
"""
import functools
import http.server
import os
import subprocess
import sys
import tempfile
import threading
import traceback

BIN = os.environ.get("PRECIS_BIN") or os.path.join(
    os.path.dirname(__file__), "..", "..", "build", "precis")
REPO = os.path.abspath(os.path.join(os.path.dirname(__file__), "..", ".."))


def run(args, stdin=None, env=None, timeout=60, cache_home=None):
    """Runs precis with args; returns CompletedProcess with text stdout/stderr."""
    e = dict(os.environ)
    for k in ("OPENAI_API_KEY", "OPENAI_BASE_URL", "PRECIS_MODEL", "PRECIS_PROFILE", "PRECIS_INDEX",
              "NO_COLOR", "http_proxy", "https_proxy", "HTTP_PROXY", "HTTPS_PROXY"):
        e.pop(k, None)
    e["XDG_CACHE_HOME"] = cache_home or tempfile.mkdtemp(prefix="precis-cache-")
    e["XDG_CONFIG_HOME"] = tempfile.mkdtemp(prefix="precis-config-")
    e["XDG_DATA_HOME"] = tempfile.mkdtemp(prefix="precis-data-")
    e["XDG_STATE_HOME"] = tempfile.mkdtemp(prefix="precis-state-")
    if env:
        e.update(env)
    return subprocess.run([BIN] + list(args), input=stdin, capture_output=True,
                          env=e, timeout=timeout)


def home_env(home, **extra):
    """The environment of a user whose XDG directories all live under home (kept
    across calls, unlike run()'s), with no provider or index settings inherited."""
    e = dict(os.environ)
    for k in ("OPENAI_API_KEY", "OPENAI_BASE_URL", "PRECIS_MODEL", "PRECIS_PROFILE",
              "PRECIS_INDEX", "PRECIS_CONFIG", "http_proxy", "https_proxy", "HTTP_PROXY",
              "HTTPS_PROXY"):
        e.pop(k, None)
    for d in ("DATA", "CACHE", "CONFIG", "STATE"):
        e["XDG_%s_HOME" % d] = os.path.join(home, d.lower())
    e.update(extra)
    return e


class _QuietFiles(http.server.SimpleHTTPRequestHandler):
    def log_message(self, *args):
        pass


def serve_dir(root):
    """Serves the files under root on 127.0.0.1 (a daemon thread) and returns the
    server's base URL, without a trailing slash."""
    srv = http.server.ThreadingHTTPServer(
        ("127.0.0.1", 0), functools.partial(_QuietFiles, directory=root))
    threading.Thread(target=srv.serve_forever, daemon=True).start()
    return "http://127.0.0.1:%d" % srv.server_address[1]


def text(b):
    return b.decode("utf-8", "replace") if isinstance(b, bytes) else b


def expect_one_error_line(proc, must_contain=()):
    """Asserts stderr is exactly one line starting with 'precis: '."""
    err = text(proc.stderr)
    lines = [l for l in err.splitlines() if l.strip()]
    assert len(lines) == 1, "expected one stderr line, got %r" % err
    assert lines[0].startswith("precis: "), lines[0]
    for m in must_contain:
        assert m in lines[0], "%r not in %r" % (m, lines[0])


def run_tests(namespace):
    tests = [(n, f) for n, f in namespace.items() if n.startswith("test_") and callable(f)]
    passed = failed = 0
    for name, fn in tests:
        try:
            fn()
            passed += 1
        except Exception:  # noqa: BLE001 - report every failure and go on
            failed += 1
            print("FAIL %s" % name)
            traceback.print_exc()
    print("%d passed, %d failed" % (passed, failed))
    sys.exit(1 if failed else 0)


class FakeOpenAI:
    """Starts tests/fake_openai.py on an ephemeral 127.0.0.1 port; stop() ends it."""

    def __init__(self, lifetime=240):
        import json as _json  # noqa: F401
        fake = os.path.join(REPO, "tests", "fake_openai.py")
        self.proc = subprocess.Popen([sys.executable, fake, "--lifetime", str(lifetime)],
                                     stdout=subprocess.PIPE, text=True)
        line = self.proc.stdout.readline()
        self.port = int(line.split()[1])
        self.base = "http://127.0.0.1:%d" % self.port
        self.url = self.base + "/v1"

    def _call(self, method, path):
        import json
        import urllib.request
        req = urllib.request.Request(self.base + path, method=method,
                                     data=b"" if method == "POST" else None)
        with urllib.request.urlopen(req, timeout=5) as r:
            return json.loads(r.read())

    def requests(self):
        return [r for r in self._call("GET", "/_requests") if r["path"].startswith("/v1/chat")]

    def stats(self):
        return self._call("GET", "/_stats")

    def reset(self):
        self._call("POST", "/_reset")

    def stop(self):
        self.proc.terminate()
        self.proc.wait(timeout=5)
