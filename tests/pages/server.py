#!/usr/bin/env python3
"""Local page server for the fetch tests: redirects, compression, charsets,
hostile bodies, content types, cache validators and a forward proxy.

Listens on 127.0.0.1 (port 0 = ephemeral), prints "PORT <n>" on stdout (and
writes it to --port-file if given), plus "TLSPORT <n>" for an HTTPS twin when
--tls-cert names a PEM file holding a certificate and its key, and exits when its stdin closes (the test
died) or after --lifetime seconds, whichever comes first.

GET /_stats?key=PATH returns {"full": n, "not_modified": n, "proxied": n} for a
path (query included); GET /_reset clears the counters.
"""
import argparse
import gzip
import json
import os
import sys
import threading
import time
import zlib
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qs, urlsplit

LOCK = threading.Lock()
STATS = {}

ARTICLE = """<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8"><title>{title}</title></head>
<body>
<nav><a href="/">Home</a> | <a href="/about">About</a></nav>
<article>
<h1>{title}</h1>
<p>{body}</p>
<p>The committee met on Tuesday to review the proposal in detail. Members asked
questions about the budget, the schedule and the expected benefits for the
town, and the engineers answered each of them with figures from the survey.</p>
<p>After a long discussion the proposal was approved with two amendments: the
work will start in the spring, and a public report will follow every quarter
so that residents can follow the progress of the project.</p>
</article>
<footer>Copyright the town paper</footer>
</body></html>
"""


def article(title, body):
    return ARTICLE.format(title=title, body=body)


def count(key, field):
    with LOCK:
        entry = STATS.setdefault(key, {"full": 0, "not_modified": 0, "proxied": 0})
        entry[field] += 1


def tiny_pdf(text):
    """A minimal valid one-page PDF showing text (ASCII) in Helvetica."""
    content = "BT /F1 18 Tf 72 720 Td ({}) Tj ET".format(text).encode("latin-1")
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Contents 4 0 R "
        b"/Resources << /Font << /F1 5 0 R >> >> >>",
        b"<< /Length " + str(len(content)).encode() + b" >>\nstream\n" + content + b"\nendstream",
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
    ]
    out = bytearray(b"%PDF-1.4\n")
    offsets = []
    for i, obj in enumerate(objects, 1):
        offsets.append(len(out))
        out += b"%d 0 obj\n" % i + obj + b"\nendobj\n"
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    for off in offsets:
        out += b"%010d 00000 n \n" % off
    out += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (len(objects) + 1, xref)
    return bytes(out)


PNG = (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x01\x00\x00\x00\x01\x08\x06\x00\x00"
       b"\x00\x1f\x15\xc4\x89\x00\x00\x00\rIDATx\x9cc\xf8\x0f\x00\x00\x01\x01\x00\x05\x18\xd8N"
       b"\x00\x00\x00\x00IEND\xaeB`\x82")

SJIS_TEXT = "日本語の文章です。これはテストです。東京は日本の首都です。"

STATIC = {
    "/html": ("text/html; charset=utf-8",
              article("Budget approved", "The town council approved the bridge budget.")),
    "/type/xhtml": ("application/xhtml+xml",
                    '<?xml version="1.0" encoding="utf-8"?>\n'
                    '<html xmlns="http://www.w3.org/1999/xhtml"><head><title>X page</title></head>'
                    "<body><article><h1>XHTML heading</h1><p>"
                    + "Served as application/xhtml+xml and read as HTML by the extractor. " * 4
                    + "</p><p>" + "A second paragraph keeps the article long enough. " * 4
                    + "</p></article></body></html>"),
    "/type/plain": ("text/plain; charset=utf-8",
                    "Plain text line one.\r\nLine two with caf\u00e9.\n\n  indented line\n"),
    "/type/markdown": ("text/markdown; charset=utf-8",
                       "Intro text\n\n# Markdown Title\n\nSome *emphasis* here.\n\n- item\n"),
    "/type/json": ("application/json", '{"name":"precis","tags":["a","b"],"n":3}'),
    "/type/ldjson": ("application/ld+json", '{"@type":"Thing","name":"x"}'),
    "/type/json-invalid": ("application/json", '{"name": "broken", '),
    "/type/png": ("image/png", PNG),
    "/type/octet-binary": ("application/octet-stream", b"\x00\x01\x02\x03binary\xff\xfe" * 64),
    "/type/octet-html": ("application/octet-stream",
                         article("Sniffed page", "Served as octet-stream but it is HTML.")),
    "/type/none-html": (None, article("Untyped page", "Served with no Content-Type at all.")),
    "/empty": ("text/html", b""),
    "/js-only": ("text/html",
                 "<!DOCTYPE html><html><head><title>App</title></head><body>"
                 "<div id=\"root\"></div><script>document.getElementById('root')"
                 ".textContent='Hello from JavaScript';</script></body></html>"),
    "/escapes": ("text/plain; charset=utf-8",
                 "safe start\n\x1b[31mred text\x1b[0m\n\x1b]52;c;ZXZpbA==\x07clip\n"
                 "csi \u009b2J end\nbell\x07 nul-free\n"),
    "/escapes-html": ("text/html; charset=utf-8",
                      article("Escapes", "Colour \x1b[31mred\x1b[0m and a clipboard write "
                              "\x1b]52;c;ZXZpbA==\x07 and a C1 CSI \u009b2J in prose.")),
    "/hidden": ("text/html; charset=utf-8",
                article("Visible title", "Visible paragraph text."
                        '<span style="display:none">HIDDEN-SECRET-TEXT</span>'
                        '<span hidden>HIDDEN-ATTR-TEXT</span>')),
    "/charset/cp1252-unlabelled": (
        "text/html",
        article("Caf\u00e9 review", "Le caf\u00e9 \u00e9tait d\u00e9j\u00e0 ferm\u00e9 "
                "\u2013 \u201cvoil\u00e0\u201d, dit-il. Les \u00e9l\u00e8ves \u00e9taient "
                "tr\u00e8s d\u00e9\u00e7us.").replace('<meta charset="utf-8">', "")
        .encode("cp1252")),
    "/charset/utf8-as-latin1": (
        "text/html; charset=iso-8859-1",
        article("Na\u00efve r\u00e9sum\u00e9", "Stra\u00dfe, \u00e9t\u00e9, \u65e5\u672c"
                " \u2014 all UTF-8 despite the label.")
        .replace('<meta charset="utf-8">', "").encode("utf-8")),
    "/charset/sjis-meta": (
        "text/html",
        article(SJIS_TEXT[:3], SJIS_TEXT * 3)
        .replace('<meta charset="utf-8">', '<meta charset="shift_jis">').encode("shift_jis")),
    "/charset/bom-utf16": (
        "text/html",
        b"\xff\xfe" + article("UTF-16 page", "Written in UTF-16 with a byte order mark: "
                              "\u00fcber stra\u00dfe.").replace('<meta charset="utf-8">', "")
        .encode("utf-16-le")),
    "/charset/bom-utf8-mislabelled": (
        "text/html; charset=windows-1252",
        b"\xef\xbb\xbf" + article("BOM page", "The BOM says UTF-8: \u00e9l\u00e8ve.")
        .encode("utf-8")),
}


class Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    server_version = "pages/1"

    def log_message(self, fmt, *args):  # quiet
        pass

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

    def redirect(self, status, location):
        self.send_body(status, "text/html", "<a href=\"%s\">moved</a>" % location,
                       {"Location": location})

    def stream_forever(self, ctype, make_chunk, delay=0.0, encoding=None):
        """Sends headers then chunks until the client goes away (or 60 s)."""
        self.send_response(200)
        self.send_header("Content-Type", ctype)
        if encoding:
            self.send_header("Content-Encoding", encoding)
        self.send_header("Connection", "close")
        self.end_headers()
        self.close_connection = True
        end = time.monotonic() + 60
        try:
            while time.monotonic() < end:
                chunk = make_chunk()
                if chunk is None:
                    break
                self.wfile.write(chunk)
                self.wfile.flush()
                if delay:
                    time.sleep(delay)
        except (BrokenPipeError, ConnectionResetError, OSError):
            pass

    def do_HEAD(self):
        self.do_GET()

    def do_GET(self):
        path = self.path
        proxied = False
        if path.startswith("http://"):  # forward-proxy request: serve it ourselves
            proxied = True
            parts = urlsplit(path)
            path = parts.path + ("?" + parts.query if parts.query else "")
        url = urlsplit(path)
        route = url.path
        query = parse_qs(url.query)
        if proxied:
            count(path, "proxied")
            if route == "/proxy/only":
                return self.send_body(200, "text/plain; charset=utf-8",
                                      "Reached through the proxy.\n")

        if route == "/_stats":
            key = query.get("key", [""])[0]
            with LOCK:
                entry = STATS.get(key, {"full": 0, "not_modified": 0, "proxied": 0})
                data = json.dumps(entry)
            return self.send_body(200, "application/json", data)
        if route == "/_reset":
            with LOCK:
                STATS.clear()
            return self.send_body(200, "text/plain", "ok\n")

        if route == "/echo/headers":
            lines = "".join("%s: %s\n" % (k, v) for k, v in self.headers.items())
            return self.send_body(200, "text/plain; charset=utf-8", lines)
        if route == "/proxy/only":
            return self.send_body(502, "text/plain", "only reachable through the proxy\n")

        if route in STATIC:
            ctype, body = STATIC[route]
            count(path, "full")
            return self.send_body(200, ctype, body)

        if route == "/type/pdf":
            return self.send_body(200, "application/pdf", tiny_pdf("Hello from a PDF file"))
        if route == "/type/pdf-untyped":
            return self.send_body(200, None, tiny_pdf("Sniffed PDF magic"))

        # redirects
        if route.startswith("/redirect/"):
            code = int(route.rsplit("/", 1)[1])
            target = query.get("to", ["/html"])[0]
            return self.redirect(code, target)
        if route == "/relative/a/b":
            return self.redirect(302, "../../html")
        if route.startswith("/chain/"):
            n = int(route.rsplit("/", 1)[1])
            return self.redirect(302, "/chain/%d" % (n - 1) if n > 1 else "/html")
        if route == "/loop/a":
            return self.redirect(302, "/loop/b")
        if route == "/loop/b":
            return self.redirect(302, "/loop/a")
        if route == "/loop/self":
            return self.redirect(301, "/loop/self")

        # status codes
        if route.startswith("/status/"):
            code = int(route.rsplit("/", 1)[1])
            count(path, "full")
            return self.send_body(code, "text/html", "<h1>status %d</h1>" % code)

        # compression
        if route == "/gzip":
            raw = article("Compressed page", "This page travelled gzip-compressed.").encode()
            return self.send_body(200, "text/html; charset=utf-8", gzip.compress(raw),
                                  {"Content-Encoding": "gzip"})
        if route == "/gzip-bomb":
            # 1 GB of zeros, compressed lazily one megabyte at a time.
            comp = zlib.compressobj(9, zlib.DEFLATED, 31)
            zeros = b"\0" * (1 << 20)
            state = {"left": 1024}

            def next_chunk():
                if state["left"] > 0:
                    state["left"] -= 1
                    return comp.compress(zeros)
                if state["left"] == 0:
                    state["left"] = -1
                    return comp.flush()
                return None
            return self.stream_forever("text/plain", next_chunk, encoding="gzip")

        # hostile timing and size
        if route == "/drip":
            return self.stream_forever("text/plain", lambda: b"x", delay=0.5)
        if route == "/stall":
            self.send_response(200)
            self.send_header("Content-Type", "text/html")
            self.send_header("Content-Length", "1000")
            self.end_headers()
            self.wfile.flush()
            time.sleep(20)
            return
        if route == "/endless":
            line = b"endless line of text that never stops coming\n" * 1000
            return self.stream_forever("text/plain", lambda: line)

        # cache validators
        if route == "/cache/etag":
            tag = '"v-%s"' % query.get("v", ["1"])[0]
            if self.headers.get("If-None-Match") == tag:
                count(path, "not_modified")
                self.send_response(304)
                self.send_header("ETag", tag)
                self.send_header("Content-Length", "0")
                self.end_headers()
                return
            count(path, "full")
            return self.send_body(200, "text/plain; charset=utf-8",
                                  "Cached body with an ETag.\n", {"ETag": tag})
        if route == "/cache/lastmod":
            stamp = "Mon, 01 Jan 2024 00:00:00 GMT"
            if self.headers.get("If-Modified-Since") == stamp:
                count(path, "not_modified")
                self.send_response(304)
                self.send_header("Content-Length", "0")
                self.end_headers()
                return
            count(path, "full")
            return self.send_body(200, "text/plain; charset=utf-8",
                                  "Cached body with Last-Modified.\n", {"Last-Modified": stamp})
        if route == "/cache/nostore":
            count(path, "full")
            return self.send_body(200, "text/plain; charset=utf-8", "Do not store me.\n",
                                  {"Cache-Control": "no-store", "ETag": '"ns"'})
        if route == "/cache/plain":
            count(path, "full")
            return self.send_body(200, "text/plain; charset=utf-8",
                                  "Body number %d.\n" % STATS[path]["full"])
        if route == "/cache/article":
            count(path, "full")
            return self.send_body(200, "text/html; charset=utf-8",
                                  article("Shared article", "Fetched by many processes at once."),
                                  {"ETag": '"shared"'})

        count(path, "full")
        return self.send_body(404, "text/html", "<h1>Not Found</h1>")


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--port-file")
    ap.add_argument("--lifetime", type=float, default=300.0)
    ap.add_argument("--tls-cert", help="also serve HTTPS with this PEM cert+key file")
    args = ap.parse_args()

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    server.daemon_threads = True
    port = server.server_address[1]
    if args.port_file:
        tmp = args.port_file + ".tmp"
        with open(tmp, "w") as f:
            f.write("%d\n" % port)
        os.rename(tmp, args.port_file)
    sys.stdout.write("PORT %d\n" % port)
    if args.tls_cert:
        import ssl
        tls = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        tls.daemon_threads = True
        ctx = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
        ctx.load_cert_chain(args.tls_cert)
        tls.socket = ctx.wrap_socket(tls.socket, server_side=True)
        threading.Thread(target=tls.serve_forever, daemon=True).start()
        sys.stdout.write("TLSPORT %d\n" % tls.server_address[1])
    sys.stdout.flush()

    def watch_stdin():
        try:
            while sys.stdin.buffer.read(4096):
                pass
        except OSError:
            pass
        os._exit(0)

    if not sys.stdin.isatty():
        threading.Thread(target=watch_stdin, daemon=True).start()
    threading.Timer(args.lifetime, lambda: os._exit(0)).start()
    server.serve_forever()


if __name__ == "__main__":
    main()
