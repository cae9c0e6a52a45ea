"""Helpers for the fetch end-to-end tests: start/stop the page server, run the
real binary with a private cache, check the one-line error contract, and a tiny
runner that prints 'N passed, M failed' and exits non-zero on any failure."""
import os
import shutil
import subprocess
import sys
import tempfile
import time
import traceback
import json
import urllib.request

HERE = os.path.dirname(os.path.abspath(__file__))
BIN = os.environ.get("PRECIS_BIN") or os.path.join(HERE, "..", "..", "build", "precis")
PROXY_VARS = ("http_proxy", "https_proxy", "HTTP_PROXY", "HTTPS_PROXY", "all_proxy",
              "ALL_PROXY", "no_proxy", "NO_PROXY")
# Short limits so hostile pages end fast.
# Limits for ordinary fetches: generous, so a loaded machine (sanitizers, parallel
# tests) never trips them; the timeout tests pass their own short ones after these.
FAST = ["--idle-timeout", "15", "--max-time", "30"]


class Server:
    """The page server on an ephemeral port; dies with us (stdin pipe) or after 240 s."""

    def __init__(self, tls_cert=None):
        cmd = [sys.executable, os.path.join(HERE, "server.py"), "--lifetime", "240"]
        if tls_cert:
            cmd += ["--tls-cert", tls_cert]
        self.proc = subprocess.Popen(cmd, stdin=subprocess.PIPE, stdout=subprocess.PIPE)
        line = self.proc.stdout.readline().decode()
        assert line.startswith("PORT "), "page server did not start: %r" % line
        self.port = int(line.split()[1])
        self.base = "http://127.0.0.1:%d" % self.port
        self.tls_base = None
        if tls_cert:
            line = self.proc.stdout.readline().decode()
            assert line.startswith("TLSPORT "), line
            self.tls_base = "https://127.0.0.1:%d" % int(line.split()[1])

    def url(self, path):
        return self.base + path

    def stats(self, key):
        with urllib.request.urlopen(self.url("/_stats?key=" + urllib.request.quote(key)),
                                    timeout=5) as r:
            return json.loads(r.read())

    def stop(self):
        if self.proc.poll() is None:
            self.proc.stdin.close()
            try:
                self.proc.wait(timeout=5)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait()


class Cache:
    """A private XDG_CACHE_HOME, removed by cleanup()."""

    def __init__(self):
        self.home = tempfile.mkdtemp(prefix="precis-fetch-test-")

    @property
    def dir(self):
        return os.path.join(self.home, "precis", "http")

    def files(self):
        if not os.path.isdir(self.dir):
            return []
        return sorted(os.path.join(self.dir, f) for f in os.listdir(self.dir))

    def cleanup(self):
        shutil.rmtree(self.home, ignore_errors=True)


def self_signed_cert(directory):
    """Writes a throwaway self-signed cert+key PEM with openssl; None if unavailable."""
    if not shutil.which("openssl"):
        return None
    pem = os.path.join(directory, "selfsigned.pem")
    r = subprocess.run(["openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "1",
                        "-subj", "/CN=127.0.0.1", "-keyout", pem, "-out", pem + ".crt"],
                       capture_output=True)
    if r.returncode != 0:
        return None
    with open(pem, "ab") as f, open(pem + ".crt", "rb") as c:
        f.write(c.read())
    return pem


def clean_env(cache_home, extra=None):
    env = dict(os.environ)
    for k in PROXY_VARS + ("PRECIS_CACHE_TTL",):
        env.pop(k, None)
    env["XDG_CACHE_HOME"] = cache_home
    env["XDG_CONFIG_HOME"] = cache_home
    if extra:
        env.update(extra)
    return env


def run(args, cache_home, stdin=None, env=None, timeout=30):
    """Runs `precis extract ARGS`; returns (CompletedProcess, seconds)."""
    start = time.monotonic()
    p = subprocess.run([BIN, "extract"] + list(args), input=stdin, capture_output=True,
                       env=clean_env(cache_home, env), timeout=timeout)
    return p, time.monotonic() - start


def out(p):
    return p.stdout.decode("utf-8", "replace")


def one_error_line(p, code, *needles):
    """Asserts the exit code and that stderr is one 'precis: ' line holding needles."""
    err = p.stderr.decode("utf-8", "replace")
    assert p.returncode == code, "exit %d (want %d), stderr %r" % (p.returncode, code, err)
    lines = err.split("\n")
    assert len(lines) == 2 and lines[1] == "", "want exactly one stderr line, got %r" % err
    assert lines[0].startswith("precis: "), lines[0]
    for n in needles:
        assert n in lines[0], "%r not in %r" % (n, lines[0])
    return lines[0]


def fnv1a(data):
    h = 0xcbf29ce484222325
    for b in data:
        h ^= b
        h = (h * 0x100000001b3) & 0xFFFFFFFFFFFFFFFF
    return h


def valid_cache_file(path):
    """Checks one cache entry the way the reader does: magic, fields, length, hash."""
    with open(path, "rb") as f:
        data = f.read()
    magic = b"precis-cache 1\n"
    if not data.startswith(magic):
        return False
    head_end = data.find(b"\n\n", len(magic) - 1)
    if head_end < 0:
        return False
    fields = {}
    for line in data[len(magic):head_end].split(b"\n"):
        k, _, v = line.partition(b" ")
        fields[k.decode()] = v
    body = data[head_end + 2:]
    n = int(fields["length"])
    return (len(body) == n + 4 and body[n:] == b"end\n"
            and fnv1a(body[:n]) == int(fields["hash"], 16))


def run_tests(namespace, setup=None, teardown=None):
    """Calls every test_* function in order; prints failures and the summary line."""
    tests = [(n, f) for n, f in namespace.items() if n.startswith("test_") and callable(f)]
    only = os.environ.get("PRECIS_TEST_ONLY")
    if only:
        tests = [(n, f) for n, f in tests if only in n]
    passed = failed = 0
    start = time.monotonic()
    if setup:
        setup()
    try:
        for name, fn in tests:
            t0 = time.monotonic()
            try:
                fn()
                passed += 1
                print("ok   %s (%.1fs)" % (name, time.monotonic() - t0))
            except Exception:  # noqa: BLE001 - report every failure and go on
                failed += 1
                print("FAIL %s" % name)
                traceback.print_exc(file=sys.stdout)
            sys.stdout.flush()
    finally:
        if teardown:
            teardown()
    print("total %.1fs" % (time.monotonic() - start))
    print("%d passed, %d failed" % (passed, failed))
    sys.exit(1 if failed else 0)
