"""Fetching as a user meets it: redirects, limits, charsets, errors, proxy, files,
stdin and the HTTP cache, against the local page server."""
import os
import socket
import subprocess
import sys
import tempfile

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "pages"))
from pagekit import (BIN, FAST, Cache, Server, clean_env, one_error_line, out, run,  # noqa: E402
                     run_tests, self_signed_cert, valid_cache_file)

S = None
C = None


def setup():
    global S, C
    C = Cache()
    S = Server(tls_cert=self_signed_cert(C.home))


def teardown():
    S.stop()
    C.cleanup()


def fetch(path, *extra, env=None, cache=None):
    args = FAST + list(extra) + [S.url(path)]
    if cache is None:
        args = ["--no-cache"] + args
    return run(args, (cache or C).home, env=env)


# ---- redirects ----------------------------------------------------------

def test_redirects_are_followed():
    for path in ("/redirect/301", "/redirect/302", "/redirect/307", "/redirect/308",
                 "/redirect/301?to=../html", "/relative/a/b", "/chain/10"):
        p, _ = fetch(path)
        assert p.returncode == 0, (path, p.stderr)
        assert "approved the bridge budget" in out(p), (path, out(p)[:300])
        assert p.stderr == b"", (path, p.stderr)


def test_too_many_redirects():
    p, _ = fetch("/chain/11")
    one_error_line(p, 2, S.url("/chain/11"), "too many redirects")


def test_redirect_loop():
    for path in ("/loop/a", "/loop/self"):
        p, _ = fetch(path)
        one_error_line(p, 2, S.url(path), "redirect loop")


def test_request_headers():
    p, _ = fetch("/echo/headers")
    assert p.returncode == 0, p.stderr
    headers = {}
    for line in out(p).splitlines():
        k, _, v = line.partition(": ")
        headers[k.lower()] = v
    assert "precis/" in headers.get("user-agent", ""), headers
    assert "Mozilla/5.0" in headers["user-agent"]
    for enc in ("gzip", "deflate"):
        assert enc in headers.get("accept-encoding", ""), headers
    assert "text/html" in headers.get("accept", ""), headers


# ---- HTTP errors and network failures ----------------------------------

def test_http_errors():
    p, _ = fetch("/status/404")
    one_error_line(p, 2, S.url("/status/404"), "HTTP 404 Not Found", "check the URL")
    p, _ = fetch("/status/500")
    one_error_line(p, 2, S.url("/status/500"), "HTTP 500")
    assert p.stdout == b""


def test_connection_refused():
    s = socket.socket()
    s.bind(("127.0.0.1", 0))
    port = s.getsockname()[1]
    s.close()  # nothing listens there now
    url = "http://127.0.0.1:%d/page" % port
    p, _ = run(["--no-cache"] + FAST + [url], C.home)
    one_error_line(p, 2, url, "connection refused")


def test_untrusted_tls_certificate():
    if not S.tls_base:
        print("skip: openssl not available to make a certificate")
        return
    url = S.tls_base + "/html"
    p, _ = run(["--no-cache"] + FAST + [url], C.home)
    one_error_line(p, 2, url, "TLS certificate problem", "not trusted")


def test_unsupported_scheme():
    p, _ = run(["ftp://127.0.0.1/file"], C.home)
    one_error_line(p, 2, "ftp://127.0.0.1/file", "http")


# ---- compression and size/time limits ----------------------------------

def test_gzip():
    p, _ = fetch("/gzip")
    assert p.returncode == 0, p.stderr
    assert "travelled gzip-compressed" in out(p)


def test_gzip_bomb_stops_at_max_bytes():
    p, secs = fetch("/gzip-bomb")
    one_error_line(p, 2, S.url("/gzip-bomb"), "exceeds 25 MB", "--max-bytes")
    assert secs < 3, secs


def test_endless_body_stops_at_max_bytes():
    p, _ = fetch("/endless", "--max-bytes", "1M")
    one_error_line(p, 2, S.url("/endless"), "exceeds 1 MB", "--max-bytes")


def test_small_max_bytes():
    p, _ = fetch("/html", "--max-bytes", "100")
    one_error_line(p, 2, S.url("/html"), "--max-bytes")


def test_slow_drip_ends_at_max_time():
    p, secs = fetch("/drip", "--idle-timeout", "1", "--max-time", "3")
    one_error_line(p, 2, S.url("/drip"), "longer than 3 s", "--max-time")
    assert 2.5 < secs < 8, secs


def test_stall_ends_at_idle_timeout():
    p, secs = fetch("/stall", "--idle-timeout", "1", "--max-time", "3")
    one_error_line(p, 2, S.url("/stall"), "no data received for 1 s", "--idle-timeout")
    assert secs < 2.9, secs


# ---- character sets and hostile text -----------------------------------

def test_charsets():
    cases = {
        "/charset/cp1252-unlabelled": "Le caf\u00e9 \u00e9tait d\u00e9j\u00e0 ferm\u00e9 "
                                      "\u2013 \u201cvoil\u00e0\u201d",
        "/charset/utf8-as-latin1": "Stra\u00dfe, \u00e9t\u00e9, \u65e5\u672c",
        "/charset/sjis-meta": "\u65e5\u672c\u8a9e\u306e\u6587\u7ae0\u3067\u3059",
        "/charset/bom-utf16": "\u00fcber stra\u00dfe",
        "/charset/bom-utf8-mislabelled": "\u00e9l\u00e8ve",
    }
    for path, want in cases.items():
        p, _ = fetch(path)
        assert p.returncode == 0, (path, p.stderr)
        text = p.stdout.decode("utf-8")  # must be valid UTF-8
        assert want in text, (path, text[:400])
        assert "\ufffd" not in text, (path, text[:400])


def test_terminal_escapes_are_neutralised():
    for path in ("/escapes", "/escapes-html"):
        for fmt in ("markdown", "text", "json"):
            p, _ = fetch(path, "--format", fmt)
            assert p.returncode == 0, (path, fmt, p.stderr)
            for bad in (b"\x1b", b"\x07", b"\xc2\x9b", b"\x9b", b"\r"):
                assert bad not in p.stdout, (path, fmt, bad, p.stdout[:300])
            p.stdout.decode("utf-8")
    p, _ = fetch("/escapes")
    assert "red text" in out(p) and "safe start" in out(p)


# ---- proxy -------------------------------------------------------------

def test_http_proxy_is_honoured():
    # proxied.test does not resolve: only the proxy can answer for it.
    url = "http://proxied.test/proxy/only"
    p, _ = run(["--no-cache"] + FAST + [url], C.home,
               env={"http_proxy": S.base})
    assert p.returncode == 0, p.stderr
    assert "Reached through the proxy." in out(p)
    assert S.stats("/proxy/only")["proxied"] >= 1


# ---- local files and stdin ---------------------------------------------

def test_local_files_and_stdin():
    d = tempfile.mkdtemp(prefix="precis-files-")
    try:
        page = os.path.join(d, "page.html")
        with open(page, "wb") as f:
            f.write(b"<html><head><title>Local</title></head><body><article><h1>Local page</h1>"
                    b"<p>" + b"Read straight from the disk without any network. " * 5
                    + b"</p></article></body></html>")
        p, _ = run([page], C.home)
        assert p.returncode == 0, p.stderr
        assert "Read straight from the disk" in out(p)
        p, _ = run([os.path.join(d, "missing.html")], C.home)
        one_error_line(p, 2, "missing.html")
        p, _ = run([d], C.home)
        one_error_line(p, 2, d, "directory")
        p, _ = run(["-"], C.home, stdin=b"Plain words from standard input.\n")
        assert p.returncode == 0, p.stderr
        assert "Plain words from standard input." in out(p)
        p, _ = run(["--max-bytes", "10", "-"], C.home, stdin=b"x" * 1000)
        one_error_line(p, 2, "--max-bytes")
        p, _ = run(["--max-bytes", "10", page], C.home)
        one_error_line(p, 2, page, "--max-bytes")
    finally:
        subprocess.run(["rm", "-rf", d])


# ---- the HTTP cache ----------------------------------------------------

def test_fresh_cache_hit_makes_no_request():
    c = Cache()
    try:
        path = "/cache/plain?t=fresh"
        p1, _ = fetch(path, cache=c)
        p2, took = fetch(path, cache=c)
        assert p1.returncode == 0 and p2.returncode == 0, (p1.stderr, p2.stderr)
        assert "Body number 1." in out(p2)
        assert took < 0.5, took  # a cache hit is delivered at once, not after a loop wait
        assert S.stats(path)["full"] == 1
        assert all(valid_cache_file(f) for f in c.files()) and len(c.files()) == 1
    finally:
        c.cleanup()


def test_etag_revalidation_downloads_nothing():
    c = Cache()
    try:
        path = "/cache/etag?t=rv"
        stale = {"PRECIS_CACHE_TTL": "0"}
        p1, _ = fetch(path, cache=c, env=stale)
        p2, _ = fetch(path, cache=c, env=stale)
        assert p2.returncode == 0, p2.stderr
        assert "Cached body with an ETag." in out(p2)
        assert S.stats(path) == {"full": 1, "not_modified": 1, "proxied": 0}
        path = "/cache/lastmod?t=rv"
        fetch(path, cache=c, env=stale)
        p3, _ = fetch(path, cache=c, env=stale)
        assert "Cached body with Last-Modified." in out(p3)
        assert S.stats(path) == {"full": 1, "not_modified": 1, "proxied": 0}
    finally:
        c.cleanup()


def test_no_store_and_no_cache_and_errors_are_not_stored():
    c = Cache()
    try:
        fetch("/cache/nostore?t=1", cache=c)
        fetch("/cache/nostore?t=1", cache=c)
        assert S.stats("/cache/nostore?t=1")["full"] == 2
        assert c.files() == []
        fetch("/status/404?t=nc", cache=c)
        fetch("/status/404?t=nc", cache=c)
        assert S.stats("/status/404?t=nc")["full"] == 2
        assert c.files() == []
        # --no-cache neither writes...
        run(["--no-cache"] + FAST + [S.url("/cache/plain?t=nc")], c.home)
        assert c.files() == []
        # ...nor reads
        fetch("/cache/plain?t=nc", cache=c)
        p, _ = run(["--no-cache"] + FAST + [S.url("/cache/plain?t=nc")], c.home)
        assert S.stats("/cache/plain?t=nc")["full"] == 3
        assert "Body number 3." in out(p)
    finally:
        c.cleanup()


def test_garbage_cache_file_is_a_miss():
    c = Cache()
    try:
        path = "/cache/plain?t=garbage"
        fetch(path, cache=c)
        (entry,) = c.files()
        with open(entry, "r+b") as f:
            data = f.read()
            f.seek(0)
            f.write(data[:len(data) // 2])
            f.truncate()
        p, _ = fetch(path, cache=c)
        assert p.returncode == 0, p.stderr
        assert "Body number 2." in out(p)
        assert valid_cache_file(entry)
        with open(entry, "wb") as f:
            f.write(b"\x00garbage" * 10)
        p, _ = fetch(path, cache=c)
        assert "Body number 3." in out(p)
    finally:
        c.cleanup()


def test_concurrent_processes_share_one_cache():
    c = Cache()
    try:
        paths = ["/cache/article?t=conc", "/cache/etag?t=conc", "/type/markdown",
                 "/charset/sjis-meta"]
        procs = []
        for i in range(8):
            urls = [S.url(p) for p in paths[i % 2:] + paths[:i % 2]]
            procs.append(subprocess.Popen(
                [BIN, "extract"] + FAST + urls, stdout=subprocess.PIPE,
                stderr=subprocess.PIPE, env=clean_env(c.home, {"PRECIS_CACHE_TTL": "0"})))
        outputs = []
        for pr in procs:
            so, se = pr.communicate(timeout=30)
            assert pr.returncode == 0, se
            outputs.append(so)
        # the first four start with paths[0], the others with paths[1]: compare like with like
        assert len(set(outputs[0::2])) == 1 and len(set(outputs[1::2])) == 1
        files = c.files()
        assert len(files) == len(paths), files
        assert all(valid_cache_file(f) for f in files)
        assert not [f for f in files if os.path.basename(f).startswith(".tmp")]
        # and a later run served from that cache gives the same output
        p = subprocess.run([BIN, "extract"] + FAST + [S.url(p) for p in paths],
                           capture_output=True, env=clean_env(c.home))
        assert p.stdout == outputs[0]
    finally:
        c.cleanup()


if __name__ == "__main__":
    run_tests(dict(globals()), setup, teardown)
