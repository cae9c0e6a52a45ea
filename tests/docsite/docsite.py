"""DocSite: the curl docs test site for crawler, index and retrieval tests.

    from docsite import DocSite, CorpusMissing
    site = DocSite(slow_delay=0.5, throttle_once=["/docs/libcurl/curl_easy_init.html"])
    run_precis(["index", site.url("/docs/")])
    assert not site.disallowed_requests()
    site.change_page("/docs/FAQ.html"); site.remove_page("/docs/HSTS.html")
    site.stop()

The site is built once per process into a temporary directory (removed at exit) and
served by server.py in a child process that dies with us (stdin pipe) or after
`lifetime` seconds. When the corpus is absent the constructor raises CorpusMissing
(a unittest.SkipTest) whose message says what to set.
"""
import atexit
import json
import os
import shutil
import subprocess
import sys
import tempfile
import unittest
import urllib.parse
import urllib.request

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)
import build_site  # noqa: E402

_BUILT = {}


class CorpusMissing(unittest.SkipTest):
    pass


def skip_reason(shared_dir=None):
    """None when the corpus is there, else a one-line reason to skip."""
    if build_site.corpus_dir(shared_dir):
        return None
    shared = shared_dir or os.environ.get("PRECIS_SHARED") or os.path.join(build_site.REPO, "..", "shared")
    return ("curl docs corpus not found at %s/corpus/curl-docs: set PRECIS_SHARED to the "
            "directory holding corpus/ to run the docs-site tests" % shared)


def built_site(shared_dir=None):
    """Builds the site once per process (per shared dir) and returns its directory."""
    key = os.path.abspath(shared_dir or "")
    if key not in _BUILT:
        reason = skip_reason(shared_dir)
        if reason:
            raise CorpusMissing(reason)
        out = tempfile.mkdtemp(prefix="precis-docsite-")
        atexit.register(shutil.rmtree, out, True)
        build_site.build(out, shared_dir)
        _BUILT[key] = out
    return _BUILT[key]


def is_disallowed(path):
    """True when robots.txt's '*' group forbids the path (query ignored)."""
    path = urllib.parse.urlsplit(path).path
    if path == build_site.ALLOWED_INTERNAL:
        return False
    return path.startswith((build_site.DISALLOWED_PREFIX, "/docs/private/", "/_ctl/"))


class DocSite:
    ORPHAN = build_site.ORPHAN
    DISALLOWED_PREFIX = build_site.DISALLOWED_PREFIX
    ALLOWED_EXCEPTION = build_site.ALLOWED_INTERNAL
    SLOW = "/docs/slow.html"
    HUGE = "/docs/all-in-one.html"
    ERROR_500 = "/docs/status.html"
    BROKEN = "/docs/no-such-page.html"
    JS_ONLY = "/docs/api-explorer.html"
    CANONICAL_DUP = "/docs/libcurl/curl_easy_perform-print.html"
    CANONICAL_OF_DUP = "/docs/libcurl/curl_easy_perform.html"
    TRACKING_DUP = "/docs/FAQ.html?utm_source=nav&utm_medium=x"
    CALENDAR = "/docs/calendar/2026/11.html"
    REDIRECTS = {"/docs/manual.html": "/docs/MANUAL.html",
                 "/docs/faq": "/docs/FAQ.html",           # via /docs/faq.html (2 hops)
                 "/docs/mirror.html": None,                # off the site (offsite port)
                 "/docs/filters.html": "/docs/internals/CONNECTION-FILTERS.html"}  # disallowed
    BINARIES = ["/docs/logo.png", "/download/curl-8.99.0.tar.gz"]
    OUT_OF_SCOPE = ["/", "/blog/", "/download.html"]

    def __init__(self, shared_dir=None, slow_delay=3.0, throttle_once=(), huge_mb=30,
                 lifetime=600):
        self.site_dir = built_site(shared_dir)
        with open(os.path.join(self.site_dir, "_manifest.json"), encoding="utf-8") as f:
            self.manifest = json.load(f)
        cmd = [sys.executable, os.path.join(HERE, "server.py"), "--site", self.site_dir,
               "--lifetime", str(lifetime), "--slow-delay", str(slow_delay),
               "--huge-mb", str(huge_mb)]
        for p in throttle_once:
            cmd += ["--throttle-once", p]
        self.proc = subprocess.Popen(cmd, stdin=subprocess.PIPE, stdout=subprocess.PIPE)
        ports = {}
        for _ in range(3):
            line = self.proc.stdout.readline().decode()
            name, _, value = line.partition(" ")
            assert value.strip().isdigit(), "docs site server did not start: %r" % line
            ports[name] = int(value)
        self.port = ports["PORT"]
        self.base = "http://127.0.0.1:%d" % self.port
        self.offsite_base = "http://127.0.0.1:%d" % ports["OFFSITE"]
        self._ctl = "http://127.0.0.1:%d" % ports["CTLPORT"]

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.stop()

    def url(self, path="/"):
        return self.base + path

    def pages(self):
        """Every rendered corpus page's path (the orphan included)."""
        return sorted(self.manifest["pages"])

    def headings(self, path):
        """[{"level", "id", "text"}] of a page's article headings as rendered."""
        return self.manifest["pages"][path]["headings"]

    def _call(self, route, **query):
        url = self._ctl + route + ("?" + urllib.parse.urlencode(query) if query else "")
        with urllib.request.urlopen(url, timeout=10) as r:
            return json.loads(r.read())

    def log(self):
        """Requests the site got, in arrival order (see server.py for the fields)."""
        return self._call("/log")["requests"]

    def connections(self):
        return self._call("/log")["connections"]

    def offsite_log(self):
        """Requests that reached the offsite server (should be none)."""
        return self._call("/offsite_log")["requests"]

    def reset_log(self):
        self._call("/reset_log")

    def remove_page(self, path):
        self._call("/remove", path=path)

    def restore_page(self, path):
        self._call("/restore", path=path)

    def change_page(self, path, text=None):
        """Adds a paragraph after the page's <h1>; returns its text (by default it holds a
        unique word like 'zq1a2b3c4d' to search for)."""
        return self._call("/change", path=path, **({"text": text} if text else {}))["text"]

    def requested_paths(self, log=None):
        return [e["path"] for e in (log if log is not None else self.log())]

    def disallowed_requests(self, log=None):
        """Requests to paths robots.txt forbids."""
        return [e for e in (log if log is not None else self.log()) if is_disallowed(e["path"])]

    @staticmethod
    def max_in_flight(entries):
        """Most requests (or connections, given connection entries) open at once."""
        events = []
        for e in entries:
            start = e.get("start", e.get("open"))
            end = e.get("end", e.get("close"))
            events.append((start, 1))
            events.append((end if end is not None else float("inf"), -1))
        events.sort(key=lambda x: (x[0], x[1]))
        cur = best = 0
        for _, d in events:
            cur += d
            best = max(best, cur)
        return best

    def stop(self):
        if self.proc.poll() is None:
            self.proc.stdin.close()
            try:
                self.proc.wait(timeout=5)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait()
        self.proc.stdout.close()
