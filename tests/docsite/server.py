#!/usr/bin/env python3
"""Serves the curl docs test site (built by build_site.py) for the crawler, index and
retrieval tests, with the traps a crawler must survive (see README.md).

Listens on 127.0.0.1 (ephemeral port), prints "PORT <n>" on stdout (and writes it to
--port-file if given), then "OFFSITE <n>" (a second site on another port that only
logs what reaches it: nothing should) and "CTLPORT <n>" (the control API below),
and exits when its stdin closes (the test died) or after --lifetime seconds.

    python3 tests/docsite/server.py [--site DIR | --shared DIR] [--slow-delay S]
        [--throttle-once PATH] [--huge-mb N] [--lifetime S] [--port-file F]

Without --site the site is built into a temporary directory first.

Control API (its own port; never linked, never on the site's port), all GET,
answering JSON:
  /log             {"requests": [...], "connections": [...]} for the site's port
  /offsite_log     the same for the offsite port
  /reset_log       clears both logs
  /remove?path=P   P answers 404 and vanishes from links, sitemaps and llms.txt
  /restore?path=P  undoes remove and change for P
  /change?path=P[&text=T]  P gets a new paragraph (T, or a default holding a unique
                   word) right after its <h1>, hence a new ETag and Last-Modified
  /state           removed and changed pages
A request entry: {"seq", "method", "path" (with query), "headers" (all, as sent),
"if_none_match", "if_modified_since", "status", "bytes", "start", "end" (monotonic
seconds; "end" is null while in flight), "conn" (connection number)}. A connection
entry: {"conn", "peer", "open", "close"}.
"""
import argparse
import email.utils
import hashlib
import json
import os
import re
import shutil
import sys
import tempfile
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qs, urlsplit, unquote

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)
import build_site  # noqa: E402

LOCK = threading.Lock()
CONFIG = {
    "site": None, "base": "", "offsite_base": "", "slow_delay": 3.0, "huge_bytes": 30 << 20,
    "throttle": set(), "throttled": set(), "manifest": {},
}
LOGS = {"site": {"requests": [], "connections": []}, "offsite": {"requests": [], "connections": []}}
REMOVED = set()
CHANGED = {}      # path -> list of inserted texts
LASTMOD = {}      # path -> (etag, time) for pages whose bytes differ from the build
CHANGE_TIME = {}  # path -> when change_page last touched it
CONN_SEQ = [0]
STARTED = time.time()

TYPES = {".html": "text/html; charset=utf-8", ".xml": "application/xml",
         ".txt": "text/plain; charset=utf-8", ".css": "text/css", ".png": "image/png",
         ".gz": "application/gzip", ".json": "application/json"}

# Redirects: path -> (status, target); "@@OFFSITE@@" is the offsite server's base URL.
REDIRECTS = {
    "/docs/manual.html": (301, "/docs/MANUAL.html"),
    "/docs/faq": (301, "/docs/faq.html"),                  # chain of two:
    "/docs/faq.html": (302, "/docs/FAQ.html"),             # /docs/faq -> faq.html -> FAQ.html
    "/docs/mirror.html": (302, "@@OFFSITE@@/docs/MANUAL.html"),  # off the site
    "/docs/filters.html": (301, "/docs/internals/CONNECTION-FILTERS.html"),  # to a disallowed path
}

JS_ONLY = """<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8"><title>API explorer - curl docs</title>
<script src="/static/explorer.js" defer></script></head>
<body><div id="app"></div><noscript></noscript>
<script>document.getElementById('app').innerHTML = '<h1>API explorer</h1>';</script>
</body></html>
"""


def http_date(t):
    return email.utils.formatdate(t, usegmt=True)


def page_html(title, url, paragraphs):
    body = "<article>\n<h1>%s</h1>\n%s\n</article>" % (
        build_site.esc(title), "\n".join("<p>%s</p>" % p for p in paragraphs))
    return build_site.frame(title, url, body)


MONTHS = ["January", "February", "March", "April", "May", "June", "July", "August",
          "September", "October", "November", "December"]


def calendar_page(year, month):
    py, pm = (year, month - 1) if month > 1 else (year - 1, 12)
    ny, nm = (year, month + 1) if month < 12 else (year + 1, 1)
    url = "/docs/calendar/%d/%02d.html" % (year, month)
    paras = ["Release calendar for %s %d. No releases are planned for this month." % (
        MONTHS[month - 1], year),
        '<a href="/docs/calendar/%d/%02d.html">Previous month</a> | '
        '<a href="/docs/calendar/%d/%02d.html">Next month</a>' % (py, pm, ny, nm)]
    return page_html("Release calendar %s %d" % (MONTHS[month - 1], year), url, paras)


def default_change_text(path, n):
    word = "zq" + hashlib.sha1(("%s#%d" % (path, n)).encode()).hexdigest()[:8]
    return "Revision %d of this page: it now mentions the keyword %s." % (n, word)


def transform(path, body):
    """Applies the base URL, removals and changes to a served text body."""
    text = body.decode("utf-8")
    text = text.replace(build_site.BASE, CONFIG["base"])
    with LOCK:
        removed = set(REMOVED)
        changes = list(CHANGED.get(path, []))
    for r in removed:
        rq = re.escape(r)
        # links to a removed page become plain text (sidebar, indexes, prose)
        text = re.sub(r'<a href="%s(?:[?#][^"]*)?">(.*?)</a>' % rq, r"\1", text, flags=re.S)
        text = re.sub(r"<url><loc>[^<]*%s</loc>.*?</url>\n" % rq, "", text)
        text = re.sub(r"^- \[[^\]]*\]\([^)]*%s\).*\n" % rq, "", text, flags=re.M)
    if changes and path.endswith(".html"):
        note = "".join('\n<p class="update-note">%s</p>' % build_site.esc(c) for c in changes)
        text = re.sub(r"(<article>\n<h1>.*?</h1>)", lambda m: m.group(1) + note, text, count=1)
    if path.endswith(".xml"):
        with LOCK:
            changed = {p: CHANGE_TIME[p] for p in CHANGED if p in CHANGE_TIME}
        for p, t in changed.items():
            text = re.sub(r"(<loc>[^<]*%s</loc><lastmod>)[^<]*" % re.escape(p),
                          lambda m, t=t: m.group(1) + time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime(t)),
                          text)
    return text.encode("utf-8")


class Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    server_version = "docsite/1"
    log_name = "site"

    def log_message(self, fmt, *args):  # quiet
        pass

    # connection and request tracking -------------------------------------------
    def setup(self):
        super().setup()
        with LOCK:
            CONN_SEQ[0] += 1
            self.conn_id = CONN_SEQ[0]
            self.conn_entry = {"conn": self.conn_id, "peer": "%s:%d" % self.client_address[:2],
                               "open": time.monotonic(), "close": None}
            LOGS[self.log_name]["connections"].append(self.conn_entry)

    def finish(self):
        try:
            super().finish()
        finally:
            with LOCK:
                self.conn_entry["close"] = time.monotonic()

    def begin(self):
        entry = {"method": self.command, "path": self.path, "headers": dict(self.headers.items()),
                 "if_none_match": self.headers.get("If-None-Match"),
                 "if_modified_since": self.headers.get("If-Modified-Since"),
                 "status": None, "bytes": 0, "start": time.monotonic(), "end": None,
                 "conn": self.conn_id}
        with LOCK:
            log = LOGS[self.log_name]["requests"]
            entry["seq"] = len(log) + 1
            log.append(entry)
        self.entry = entry

    def done(self):
        with LOCK:
            self.entry["end"] = time.monotonic()

    def send_response(self, code, message=None):
        entry = getattr(self, "entry", None)
        if entry is not None and entry["end"] is None:
            entry["status"] = code
        super().send_response(code, message)

    def send_body(self, status, ctype, body, headers=None):
        if isinstance(body, str):
            body = body.encode("utf-8")
        self.send_response(status)
        if ctype:
            self.send_header("Content-Type", ctype)
        for k, v in (headers or {}).items():
            self.send_header(k, v)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        if self.command != "HEAD":
            self.wfile.write(body)
            self.entry["bytes"] = len(body)

    def not_found(self):
        return self.send_body(404, "text/html; charset=utf-8", page_html(
            "Page not found", self.path, ["There is no page at this address."]))

    def redirect(self, status, location):
        location = location.replace("@@OFFSITE@@", CONFIG["offsite_base"])
        self.send_body(status, "text/html; charset=utf-8",
                       '<a href="%s">moved here</a>' % location, {"Location": location})

    def validated(self, path, body, lastmod):
        """Sends body with ETag/Last-Modified, or a bodiless 304 when the client's copy is current."""
        etag = '"%s"' % hashlib.sha1(body).hexdigest()[:20]
        orig = CONFIG["manifest"].get("etags", {}).get(path)
        if orig is not None and orig != etag:
            with LOCK:
                known = LASTMOD.get(path)
                if not known or known[0] != etag:
                    # strictly newer than anything served before, at one-second resolution
                    stamp = max(float(int(time.time()) + 1), (known[1] + 1) if known else 0,
                                lastmod + 1, CHANGE_TIME.get(path, 0))
                    LASTMOD[path] = known = (etag, stamp)
            lastmod = known[1]
        headers = {"ETag": etag, "Last-Modified": http_date(lastmod), "Cache-Control": "no-cache"}
        inm = self.headers.get("If-None-Match")
        ims = self.headers.get("If-Modified-Since")
        fresh = False
        if inm is not None:
            tags = [t.strip() for t in inm.split(",")]
            fresh = "*" in tags or etag in tags or ("W/" + etag) in tags
        elif ims:
            try:
                fresh = int(lastmod) <= email.utils.parsedate_to_datetime(ims).timestamp()
            except (TypeError, ValueError, IndexError):
                fresh = False
        if fresh:
            self.send_response(304)
            for k, v in headers.items():
                self.send_header(k, v)
            self.end_headers()
            return
        ctype = TYPES.get(os.path.splitext(path)[1], "application/octet-stream")
        self.send_body(200, ctype, body, headers)

    # routes ---------------------------------------------------------------------
    def do_HEAD(self):
        self.do_GET()

    def do_POST(self):
        self.begin()
        try:
            self.send_body(405, "text/plain", "method not allowed\n", {"Allow": "GET, HEAD"})
        finally:
            self.done()

    def do_GET(self):
        self.begin()
        try:
            self.route()
        except (BrokenPipeError, ConnectionResetError):
            self.close_connection = True
        finally:
            self.done()

    def route(self):
        url = urlsplit(self.path)
        path = unquote(url.path)
        if "/../" in path + "/" or "\\" in path or not path.startswith("/"):
            return self.not_found()
        if path in REDIRECTS:
            return self.redirect(*REDIRECTS[path])
        with LOCK:
            throttle = path in CONFIG["throttle"] and path not in CONFIG["throttled"]
            if throttle:
                CONFIG["throttled"].add(path)
        if throttle:
            return self.send_body(429, "text/plain", "Too many requests, slow down.\n",
                                  {"Retry-After": "1"})
        with LOCK:
            removed = path in REMOVED
        if removed:
            return self.not_found()

        m = re.match(r"^/docs/calendar/(\d{1,4})/(\d\d)\.html$", path)
        if m and 1 <= int(m.group(2)) <= 12 and int(m.group(1)) >= 1:
            body = calendar_page(int(m.group(1)), int(m.group(2)))
            return self.validated(path, transform(path, body.encode()), STARTED - 86400)
        if path == "/docs/status.html":
            return self.send_body(500, "text/html; charset=utf-8", page_html(
                "Internal Server Error", path, ["The status service failed."]))
        if path == "/docs/slow.html":
            time.sleep(CONFIG["slow_delay"])
            body = page_html("Mirror latency report", path, [
                "This report is generated slowly on purpose: the server waits before answering.",
                "All mirrors answered within their usual latency this week."])
            return self.validated(path, transform(path, body.encode()), STARTED - 86400)
        if path == "/docs/api-explorer.html":
            return self.validated(path, JS_ONLY.encode(), STARTED - 86400)
        if path == "/docs/all-in-one.html":
            return self.huge(path)

        fs = os.path.join(CONFIG["site"], path.lstrip("/"))
        if path.startswith("/_"):  # the build manifest, and the never-served /_ctl/
            return self.not_found()
        if os.path.isdir(fs):
            if not path.endswith("/"):
                return self.redirect(301, path + "/" + ("?" + url.query if url.query else ""))
            fs = os.path.join(fs, "index.html")
            key = path + "index.html"
        else:
            key = path
        if not os.path.isfile(fs):
            return self.not_found()
        with open(fs, "rb") as f:
            body = f.read()
        if key.endswith((".html", ".xml", ".txt")):
            body = transform(key, body)
        lastmod = CONFIG["manifest"].get("lastmod", {}).get(key, STARTED - 7 * 86400)
        return self.validated(key, body, lastmod)

    def huge(self, path):
        """A page of --huge-mb megabytes (exactly, Content-Length given), streamed in 64 KiB writes."""
        head = (build_site.frame("All documentation on one page", path, "@@CUT@@", canonical=False)
                .split("@@CUT@@")[0] + "<article>\n<h1>All documentation</h1>\n").encode()
        para = (b"<p>This page concatenates every document of the site into one long page, "
                b"which is far more than any reader wants to download in one go.</p>\n")
        tail = b"</article>\n</main>\n</div>\n</body>\n</html>\n"
        size = max(CONFIG["huge_bytes"], len(head) + len(tail))
        etag = '"huge-%d"' % size
        if self.headers.get("If-None-Match") == etag:
            self.send_response(304)
            self.send_header("ETag", etag)
            self.end_headers()
            return
        self.send_response(200)
        self.send_header("Content-Type", "text/html; charset=utf-8")
        self.send_header("Content-Length", str(size))
        self.send_header("ETag", etag)
        self.send_header("Last-Modified", http_date(STARTED - 86400))
        self.end_headers()
        if self.command == "HEAD":
            return
        block = para * (65536 // len(para))
        try:
            self.wfile.write(head)
            left = size - len(head) - len(tail)
            sent = len(head)
            while left > 0:
                piece = block[:left]
                self.wfile.write(piece)
                left -= len(piece)
                sent += len(piece)
                self.entry["bytes"] = sent
            self.wfile.write(tail)
            self.entry["bytes"] = size
        except (BrokenPipeError, ConnectionResetError, OSError):
            self.close_connection = True


class OffsiteHandler(Handler):
    log_name = "offsite"
    server_version = "offsite/1"

    def route(self):
        self.send_body(200, "text/html; charset=utf-8", page_html(
            "Offsite mirror", self.path, ["This host is not the documentation site."]))


class ControlHandler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"

    def log_message(self, fmt, *args):
        pass

    def reply(self, obj, status=200):
        body = json.dumps(obj).encode()
        self.send_response(status)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def do_GET(self):
        url = urlsplit(self.path)
        q = {k: v[0] for k, v in parse_qs(url.query).items()}
        route = url.path
        path = q.get("path", "")
        with LOCK:
            if route == "/log":
                return self.reply(LOGS["site"])
            if route == "/offsite_log":
                return self.reply(LOGS["offsite"])
            if route == "/reset_log":
                for v in LOGS.values():
                    v["requests"].clear()
                    v["connections"].clear()
                return self.reply({"ok": True})
            if route == "/state":
                return self.reply({"removed": sorted(REMOVED), "changed": CHANGED})
            if route in ("/remove", "/restore", "/change") and not path.startswith("/"):
                return self.reply({"error": "path must start with /"}, 400)
            if route == "/remove":
                REMOVED.add(path)
                return self.reply({"ok": True})
            if route == "/restore":
                REMOVED.discard(path)
                CHANGED.pop(path, None)
                CHANGE_TIME.pop(path, None)
                return self.reply({"ok": True})
            if route == "/change":
                texts = CHANGED.setdefault(path, [])
                text = q.get("text") or default_change_text(path, len(texts) + 1)
                texts.append(text)
                CHANGE_TIME[path] = float(int(time.time()) + 1)
                return self.reply({"ok": True, "text": text})
        return self.reply({"error": "unknown control path"}, 404)


def original_etags(site_dir):
    """ETags of every text page as built (base applied, nothing removed or changed), so the
    server can tell which pages differ from the build and give them a new Last-Modified."""
    etags = {}
    for root, _, files in os.walk(site_dir):
        for fn in files:
            if fn.endswith((".html", ".xml", ".txt")) and not fn.startswith("_"):
                full = os.path.join(root, fn)
                key = "/" + os.path.relpath(full, site_dir).replace(os.sep, "/")
                with open(full, "rb") as f:
                    body = f.read().replace(build_site.BASE.encode(), CONFIG["base"].encode())
                etags[key] = '"%s"' % hashlib.sha1(body).hexdigest()[:20]
    return etags


def start_server(handler):
    server = ThreadingHTTPServer(("127.0.0.1", 0), handler)
    server.daemon_threads = True
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--site", help="a directory built by build_site.py (default: build one now)")
    ap.add_argument("--shared", help="directory holding corpus/curl-docs (when building)")
    ap.add_argument("--port-file")
    ap.add_argument("--lifetime", type=float, default=600.0)
    ap.add_argument("--slow-delay", type=float,
                    default=float(os.environ.get("DOCSITE_SLOW_DELAY", "3")),
                    help="seconds /docs/slow.html waits before answering (default 3, "
                         "or $DOCSITE_SLOW_DELAY)")
    ap.add_argument("--throttle-once", action="append", default=[], metavar="PATH",
                    help="answer 429 with Retry-After: 1 to the first request for PATH")
    ap.add_argument("--huge-mb", type=float, default=30.0,
                    help="size of /docs/all-in-one.html in MB (default 30)")
    args = ap.parse_args()

    site = args.site
    own_dir = None
    if not site:
        if not build_site.corpus_dir(args.shared):
            sys.stderr.write("SKIP: curl docs corpus not found (set PRECIS_SHARED or --shared)\n")
            return 77
        site = own_dir = tempfile.mkdtemp(prefix="precis-docsite-")
        build_site.build(site, args.shared)
    with open(os.path.join(site, "_manifest.json"), encoding="utf-8") as f:
        CONFIG["manifest"] = json.load(f)
    CONFIG["site"] = site
    CONFIG["slow_delay"] = args.slow_delay
    CONFIG["huge_bytes"] = int(args.huge_mb * (1 << 20))
    env_throttle = os.environ.get("DOCSITE_THROTTLE_ONCE")
    CONFIG["throttle"] = set(args.throttle_once + ([env_throttle] if env_throttle else []))

    server = start_server(Handler)
    offsite = start_server(OffsiteHandler)
    control = start_server(ControlHandler)
    port = server.server_address[1]
    CONFIG["base"] = "http://127.0.0.1:%d" % port
    CONFIG["offsite_base"] = "http://127.0.0.1:%d" % offsite.server_address[1]
    CONFIG["manifest"]["etags"] = original_etags(site)
    # lastmod keys in the manifest are page URLs; index pages are served as .../index.html
    if args.port_file:
        tmp = args.port_file + ".tmp"
        with open(tmp, "w") as f:
            f.write("%d\n" % port)
        os.rename(tmp, args.port_file)
    sys.stdout.write("PORT %d\nOFFSITE %d\nCTLPORT %d\n"
                     % (port, offsite.server_address[1], control.server_address[1]))
    sys.stdout.flush()

    def leave():
        if own_dir:
            shutil.rmtree(own_dir, ignore_errors=True)
        os._exit(0)

    def watch_stdin():
        try:
            while sys.stdin.buffer.read(4096):
                pass
        except OSError:
            pass
        leave()

    if not sys.stdin.isatty():
        threading.Thread(target=watch_stdin, daemon=True).start()
    timer = threading.Timer(args.lifetime, leave)
    timer.daemon = True
    timer.start()
    try:
        threading.Event().wait()
    except KeyboardInterrupt:
        pass
    leave()
    return 0


if __name__ == "__main__":
    sys.exit(main())
