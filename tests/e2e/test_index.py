"""The doc navigator end to end: `precis index` crawling the served curl-docs site,
`precis sites`, `precis search` and `precis ask --site`, against the real binary."""
import json
import os
import signal
import subprocess
import sys
import tempfile
import time
import urllib.parse

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.join(HERE, "..", "lib"))
sys.path.insert(0, os.path.join(HERE, "..", "docsite"))
from harness import BIN, FakeOpenAI, run_tests  # noqa: E402
from serve_client import Serve, text_of  # noqa: E402

import docsite  # noqa: E402

REASON = docsite.skip_reason(os.environ.get("PRECIS_SHARED"))
if REASON:
    print("SKIP test_index: %s" % REASON)
    print("0 passed, 0 failed")
    sys.exit(0)

THROTTLED = "/docs/libcurl/curl_easy_init.html"
SITE = docsite.DocSite(shared_dir=os.environ.get("PRECIS_SHARED"), slow_delay=0.3,
                       throttle_once=[THROTTLED])
FAKE = FakeOpenAI()
DATA = tempfile.mkdtemp(prefix="precis-data-")
START = SITE.url("/docs/")
NAME = "127.0.0.1:%d/docs" % SITE.port
FIRST = {}


def env(extra=None, data=DATA):
    e = dict(os.environ)
    for k in ("OPENAI_API_KEY", "OPENAI_BASE_URL", "PRECIS_MODEL", "PRECIS_PROFILE",
              "PRECIS_INDEX", "http_proxy", "https_proxy", "HTTP_PROXY", "HTTPS_PROXY"):
        e.pop(k, None)
    e["XDG_DATA_HOME"] = data
    e["XDG_CACHE_HOME"] = os.path.join(data, "cache")
    e["XDG_CONFIG_HOME"] = os.path.join(data, "config")
    e.update(extra or {})
    return e


def precis(*args, extra=None, data=DATA, timeout=240):
    return subprocess.run([BIN] + list(args), capture_output=True, text=True,
                          env=env(extra, data), timeout=timeout)


def search(*words, site=None, n=10):
    args = ["search", "--json", "-n", str(n)] + (["--site", site] if site else []) + ["--"]
    p = precis(*(args + list(words)))
    assert p.returncode == 0, p.stderr
    return json.loads(p.stdout)


def indexed_paths(data=DATA):
    import sqlite3
    db = sqlite3.connect(os.path.join(data, "precis", "index.db"))
    try:
        return {urllib.parse.urlsplit(u).path + ("?" + urllib.parse.urlsplit(u).query
                                                 if urllib.parse.urlsplit(u).query else "")
                for (u,) in db.execute("SELECT url FROM pages")}
    finally:
        db.close()


def first_crawl():
    if not FIRST:
        SITE.reset_log()
        p = precis("index", "--idle-timeout", "3", START)
        FIRST["proc"] = p
        FIRST["log"] = SITE.log()
        FIRST["conns"] = SITE.connections()
    return FIRST["proc"], FIRST["log"]


# ---- crawling -----------------------------------------------------------------

def test_crawl_indexes_the_site_and_lists_failures_once():
    p, _ = first_crawl()
    assert p.returncode == 0, p.stderr
    summary = p.stdout.splitlines()[0]
    assert summary.startswith("indexed %s: " % NAME), summary
    added = int(summary.split("(")[1].split(" added")[0])
    assert added > 850, summary
    skipped = [l for l in p.stdout.splitlines()[1:] if l.startswith("  skipped ")]
    text = "\n".join(skipped)
    for path in (SITE.BROKEN, SITE.ERROR_500, SITE.JS_ONLY, SITE.HUGE, "/docs/mirror.html",
                 "/docs/logo.png"):
        assert sum(1 for l in skipped if l.startswith("  skipped " + SITE.url(path) + ":")) == 1, \
            (path, text)
    assert "no readable text" in text and "exceeds" in text and "HTTP 404" in text


def test_robots_is_obeyed_and_nothing_off_site_is_requested():
    _, log = first_crawl()
    assert SITE.disallowed_requests(log) == [], SITE.disallowed_requests(log)[:3]
    paths = [e["path"] for e in log]
    assert "/robots.txt" in paths and paths[0] == "/robots.txt"
    assert SITE.ALLOWED_EXCEPTION in paths  # the Allow inside the Disallow
    assert SITE.offsite_log() == []
    for out in SITE.OUT_OF_SCOPE:
        assert out not in paths, out
    assert not any(p.startswith("/blog/") for p in paths)
    assert all(e["headers"].get("User-Agent", e["headers"].get("user-agent", "")).startswith(
        "precis/") for e in log)


def test_sitemap_and_llms_seed_the_crawl():
    _, log = first_crawl()
    paths = [e["path"] for e in log]
    assert "/sitemap.xml" in paths and "/sitemap-libcurl.xml" in paths
    assert "/llms.txt" in paths
    assert SITE.ORPHAN in indexed_paths()  # only the sitemap lists it


def test_duplicates_redirects_and_the_trap():
    _, log = first_crawl()
    pages = indexed_paths()
    assert "/docs/MANUAL.html" in pages and "/docs/manual.html" not in pages
    assert not any("utm_" in p for p in pages), [p for p in pages if "utm_" in p]
    assert SITE.CANONICAL_DUP not in pages and SITE.CANONICAL_OF_DUP in pages
    assert "/docs/internals/CONNECTION-FILTERS.html" not in pages
    calendar = [e for e in log if e["path"].startswith("/docs/calendar/")]
    assert 0 < len(calendar) <= 110, len(calendar)  # bounded long before the page cap
    assert not any("/docs/index.html" == p for p in pages) or "/docs/" not in pages


def test_politeness_two_connections_and_retry_after():
    _, log = first_crawl()
    assert docsite.DocSite.max_in_flight(log) <= 2
    tries = [e for e in log if e["path"] == THROTTLED]
    assert [e["status"] for e in tries][:2] == [429, 200], tries
    assert tries[1]["start"] - tries[0]["end"] >= 0.9  # Retry-After: 1 was honoured
    assert THROTTLED in indexed_paths()


def test_sites_lists_what_is_indexed():
    first_crawl()
    p = precis("sites", "--json")
    o = json.loads(p.stdout)
    s = [x for x in o["sites"] if x["site"] == NAME][0]
    assert s["start_url"] == START and s["pages"] > 850 and s["sections"] > s["pages"]
    assert s["bytes"] > 0 and s["last_crawl"].endswith("Z")
    assert o["database_bytes"] > 0
    p = precis("sites")
    assert NAME in p.stdout and "PAGES" in p.stdout


# ---- searching ---------------------------------------------------------------

def test_search_gives_deep_links_with_real_anchors():
    first_crawl()
    o = search("CURLOPT_TIMEOUT", "maximum", "time", site=NAME)
    assert o["query"] == "CURLOPT_TIMEOUT maximum time"
    r = o["results"]
    assert 0 < len(r) <= 10
    for hit in r:
        assert set(hit) >= {"url", "page", "anchor", "title", "path", "score", "snippet"}
        page = urllib.parse.urlsplit(hit["page"]).path
        ids = {h["id"] for h in SITE.headings(page) if h.get("id")} if page in SITE.manifest["pages"] else None
        if hit["anchor"]:
            assert hit["url"] == hit["page"] + "#" + hit["anchor"]
            if ids is not None:
                assert hit["anchor"] in ids, (hit, ids)
        else:
            assert hit["url"] == hit["page"]
    assert any("/docs/libcurl/opts/CURLOPT_TIMEOUT.html" in h["page"] for h in r[:3]), r[:3]
    assert any("**" in h["snippet"] for h in r)
    # a URL under the site and the start URL name it as well as its name
    assert search("timeout", site=SITE.url("/docs/FAQ.html"))["results"]
    assert search("timeout", site=START)["results"]
    p = precis("search", "--site", "nowhere.example", "timeout")
    assert p.returncode == 1 and "no indexed site matches" in p.stderr and NAME in p.stderr


def test_hostile_queries_never_fail():
    first_crawl()
    for q in ("C++", "-O2", "std::vector", "OPS-306", "GOGC=off", '"unbalanced', "", "NEAR(",
              "a OR", "*", "^x", "col:val", "(((", "AND", "NOT", "x\"y\"z", "—", "--max-time",
              "-", "' OR 1=1 --"):
        p = precis("search", "--json", "--", q)
        assert p.returncode == 0, (q, p.stderr)
        json.loads(p.stdout)
    assert search("--max-time")["results"]


def test_search_text_output():
    first_crawl()
    p = precis("search", "-n", "2", "--site", NAME, "connection", "timeout")
    assert p.returncode == 0, p.stderr
    lines = p.stdout.splitlines()
    assert lines[0].startswith("1. ") and lines[1].strip().startswith(SITE.base)
    assert "\x1b" not in p.stdout  # not a terminal: no colour


# ---- answering -----------------------------------------------------------------

def test_ask_site_offline_prints_the_best_sections():
    first_crawl()
    p = precis("ask", "--site", NAME, "-q", "How do I stop a transfer that is in progress?")
    assert p.returncode == 0, p.stderr
    assert "no model configured" in p.stderr
    assert p.stdout.startswith("## [1] ")
    assert "<" + SITE.base in p.stdout
    assert p.stdout.count("## [") == 3
    p = precis("ask", "--site", NAME, "--json", "-q", "stop a transfer")
    o = json.loads(p.stdout)
    assert o["model"] == "offline" and len(o["sections"]) == 3
    assert o["sections"][0]["passage"] and o["sections"][0]["url"].startswith(SITE.base)


def test_ask_site_with_a_model_cites_deep_links():
    first_crawl()
    FAKE.reset()
    e = {"OPENAI_BASE_URL": FAKE.url,
         "PRECIS_MODEL": "say:Set a timeout with the option [1], see also [2][9]."}
    p = precis("ask", "--site", NAME, "-q", "how long may a whole transfer take?", extra=e)
    assert p.returncode == 0, p.stderr
    assert p.stdout.startswith("Set a timeout with the option [1]")
    assert "\nSources:\n[1] " in p.stdout and "[2] " in p.stdout
    assert "[9] (no such source" in p.stdout
    assert "cites 1 source number that was not given" in p.stderr
    body = FAKE.requests()[-1]["body"]
    user = [m["content"] for m in body["messages"] if m["role"] == "user"][-1]
    system = [m["content"] for m in body["messages"] if m["role"] == "system"][0]
    assert "[1] " in user and " — " + SITE.base in user and "Question: how long may" in user
    assert "[n]" in system or "[1]" in system
    assert "/docs/internals/" not in user.replace(SITE.ALLOWED_EXCEPTION, "")
    link = [l for l in p.stdout.splitlines() if l.startswith("    http")][0].strip()
    assert link in user  # the cited deep link is the one the model was given
    p = precis("ask", "--site", NAME, "--json", "-q", "how long may a whole transfer take?",
               extra=e)
    o = json.loads(p.stdout)
    assert o["cited"] == [1, 2] and o["invalid_citations"] == [9]
    assert o["sources"][0]["n"] == 1 and o["sources"][0]["url"].startswith(SITE.base)
    assert set(o["sources"][0]) >= {"n", "url", "anchor", "title"}


def test_ask_site_without_a_match_or_site():
    first_crawl()
    p = precis("ask", "--site", NAME, "-q", "zzqxv wqpzz")
    assert p.returncode == 3 and "no section of" in p.stderr
    p = precis("ask", "--site", NAME)
    assert p.returncode == 1 and "needs a question" in p.stderr
    p = precis("ask", "--site", NAME, SITE.url("/docs/FAQ.html"), "-q", "x")
    assert p.returncode == 1 and "not both" in p.stderr


def test_serve_search_and_ask_over_the_site():
    first_crawl()
    s = Serve(env={"XDG_DATA_HOME": DATA})
    reply, _, _ = s.call("search", {"query": "CURLOPT_TIMEOUT", "site": NAME, "n": 3})
    r = reply["result"]
    assert r["query"] == "CURLOPT_TIMEOUT" and 0 < len(r["results"]) <= 3
    assert r["results"][0]["url"].startswith(SITE.base)
    reply, _, _ = s.call("search", {"query": "C++ \"unbalanced"})
    assert "result" in reply
    reply, _, _ = s.call("search", {"query": "x", "site": "nowhere.example"})
    assert reply["error"]["code"] == -32602 and "no indexed site" in reply["error"]["message"]
    reply, _, _ = s.call("search", {"site": NAME})
    assert reply["error"]["code"] == -32602
    # no model: the best sections stream as the answer
    reply, notes, _ = s.call("ask", {"site": NAME, "question": "how do I stop a transfer?"})
    assert "result" in reply, reply
    assert notes[0]["method"] == "meta" and notes[0]["params"]["model"] == "offline"
    assert text_of(notes).startswith("## [1] ")
    assert len(reply["result"]["sections"]) == 3
    s.close_stdin()
    assert s.wait() == 0
    e = {"XDG_DATA_HOME": DATA, "OPENAI_BASE_URL": FAKE.url,
         "PRECIS_MODEL": "say:Use the timeout option [1]. Nothing else [4]."}
    s = Serve(env=e)
    reply, notes, _ = s.call("ask", {"site": NAME, "question": "how long may a transfer take?"})
    r = reply["result"]
    assert text_of(notes).startswith("Use the timeout option [1]")
    assert notes[0]["params"]["title"] == NAME
    assert r["cited"][0] == 1 and r["sources"][0]["url"].startswith(SITE.base)
    assert len(r["sources"]) >= 4 or r["invalid_citations"] == [4]
    reply, _, _ = s.call("ask", {"site": NAME, "url": SITE.url("/docs/FAQ.html"), "question": "q"})
    assert reply["error"]["code"] == -32602
    s.close_stdin()
    assert s.wait() == 0


def test_chat_over_the_site():
    first_crawl()
    script = "/search stop a transfer\nhow do I stop a transfer that is running?\n/sources\n"
    p = subprocess.run([BIN, "chat", "--site", NAME], input=script, capture_output=True,
                       text=True, env=env(), timeout=60)
    assert p.returncode == 0, p.stderr
    assert p.stdout.startswith("1. **") and SITE.base + "/docs/" in p.stdout
    assert "\nSources:\n[1] " in p.stdout
    FAKE.reset()
    e = {"OPENAI_BASE_URL": FAKE.url, "PRECIS_MODEL": "say:Remove the handle [1]."}
    p = subprocess.run([BIN, "chat", "--site", NAME], input="how do I stop a transfer?\n",
                       capture_output=True, text=True, env=env(e), timeout=60)
    assert p.returncode == 0, p.stderr
    assert p.stdout.startswith("Remove the handle [1].")
    user = [m["content"] for m in FAKE.requests()[-1]["body"]["messages"]
            if m["role"] == "user"][-1]
    assert SITE.base + "/docs/" in user and "#s" in user


# ---- re-crawls -------------------------------------------------------------------

def test_recrawl_asks_again_and_gets_304s():
    first_crawl()
    SITE.reset_log()
    p = precis("index", "--idle-timeout", "3", START)
    assert p.returncode == 0, p.stderr
    assert "(0 added, 0 changed, " in p.stdout and " 0 removed" in p.stdout, p.stdout
    log = SITE.log()
    pages = [e for e in log if e["path"].endswith(".html") or e["path"].endswith("/")]
    conditional = [e for e in pages if e["if_none_match"] or e["if_modified_since"]]
    assert len(conditional) > 850
    assert all(e["status"] == 304 for e in conditional), \
        [e for e in conditional if e["status"] != 304][:3]
    assert SITE.disallowed_requests(log) == []


def test_recrawl_sees_changed_and_removed_pages():
    first_crawl()
    word = SITE.change_page("/docs/HSTS.html")
    word = word.split()[-1].strip(".") if word else "zq"
    SITE.remove_page("/docs/SPONSORS.html")
    try:
        p = precis("index", "--idle-timeout", "3", START)
        assert p.returncode == 0, p.stderr
        assert " 1 removed" in p.stdout, p.stdout
        changed = int(p.stdout.split(" changed")[0].rsplit(", ", 1)[1])
        assert changed >= 1
        assert "/docs/SPONSORS.html" not in indexed_paths()
        hits = search(word)["results"]
        assert hits and "/docs/HSTS.html" in hits[0]["page"], (word, hits[:2])
    finally:
        SITE.restore_page("/docs/SPONSORS.html")


def test_interrupt_keeps_what_was_indexed_and_search_runs_meanwhile():
    data = tempfile.mkdtemp(prefix="precis-data-int-")
    proc = subprocess.Popen([BIN, "index", START], stdout=subprocess.PIPE,
                            stderr=subprocess.PIPE, text=True, env=env(None, data))
    db = os.path.join(data, "precis", "index.db")
    deadline = time.time() + 20
    while time.time() < deadline and not os.path.exists(db):
        time.sleep(0.1)
    time.sleep(2.0)
    q = subprocess.run([BIN, "search", "--json", "curl"], capture_output=True, text=True,
                       env=env(None, data), timeout=30)  # while the crawl writes
    assert q.returncode == 0, q.stderr
    json.loads(q.stdout)
    proc.send_signal(signal.SIGINT)
    out, err = proc.communicate(timeout=30)
    assert proc.returncode == 130, (proc.returncode, err)
    assert out.startswith("interrupted while indexing"), out
    assert "kept" in err
    p = precis("sites", "--json", data=data)
    s = json.loads(p.stdout)["sites"][0]
    assert s["pages"] > 0 and s["last_crawl"]
    assert precis("search", "--json", "curl", data=data).returncode == 0


def test_caps_and_scope_options():
    data = tempfile.mkdtemp(prefix="precis-data-caps-")
    SITE.reset_log()
    p = precis("index", "--max-pages", "12", "--jobs", "1", START, data=data)
    assert p.returncode == 0, p.stderr
    assert "stopped at --max-pages 12" in p.stdout
    pages = [e for e in SITE.log() if e["path"].startswith("/docs/") and not e["path"].endswith(".xml")
             and e["path"] != "/llms.txt"]
    assert len(pages) <= 12 + 2, len(pages)
    assert docsite.DocSite.max_in_flight(SITE.log()) <= 1
    p = precis("index", "--depth", "0", "--prefix", "/docs/libcurl/",
               SITE.url("/docs/libcurl/curl_easy_init.html"), data=data)
    assert p.returncode == 0, p.stderr
    assert "127.0.0.1:%d/docs/libcurl" % SITE.port in p.stdout
    p = precis("index", "--prefix", "/blog/", START, data=data)
    assert p.returncode == 1 and "not under --prefix" in p.stderr
    p = precis("index", "--ignore-robots", "--max-pages", "3", START, data=data)
    assert "--ignore-robots" in p.stderr


def test_unreachable_start_url_fails_with_exit_2():
    data = tempfile.mkdtemp(prefix="precis-data-bad-")
    p = precis("index", "http://127.0.0.1:1/docs/", data=data)
    assert p.returncode == 2, (p.returncode, p.stderr)
    assert len(p.stderr.strip().splitlines()) == 1 and p.stderr.startswith("precis: ")
    assert "cannot reach the site" in p.stderr
    assert json.loads(precis("sites", "--json", data=data).stdout)["sites"] == []
    p = precis("index", "ftp://example.com/", data=data)
    assert p.returncode == 1
    p = precis("index", SITE.url("/docs/no-such-dir/"), data=data)
    assert p.returncode == 2 and "404" in p.stderr


def test_robots_server_error_means_disallow_all():
    import threading
    from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
    seen = []

    class H(BaseHTTPRequestHandler):
        def log_message(self, *a):
            pass

        def do_GET(self):
            seen.append(self.path)
            status = 503 if self.path == "/robots.txt" else 200
            body = b"<html><body><p>" + b"Words of an article. " * 30 + b"</p></body></html>"
            self.send_response(status)
            self.send_header("Content-Type", "text/html")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

    srv = ThreadingHTTPServer(("127.0.0.1", 0), H)
    threading.Thread(target=srv.serve_forever, daemon=True).start()
    try:
        data = tempfile.mkdtemp(prefix="precis-data-503-")
        url = "http://127.0.0.1:%d/docs/" % srv.server_address[1]
        p = precis("index", url, data=data)
        assert p.returncode == 2 and "RFC 9309" in p.stderr, (p.returncode, p.stderr)
        assert seen == ["/robots.txt"], seen  # nothing else was requested
        p = precis("index", "--ignore-robots", url, data=data)
        assert p.returncode == 0 and "/docs/" in seen, (p.stderr, seen)
    finally:
        srv.shutdown()


def test_remove_a_site():
    data = tempfile.mkdtemp(prefix="precis-data-rm-")
    precis("index", "--max-pages", "5", START, data=data)
    p = precis("sites", "--remove", NAME, data=data)
    assert p.returncode == 0 and p.stdout.startswith("removed " + NAME), p.stdout
    assert json.loads(precis("sites", "--json", data=data).stdout)["sites"] == []
    p = precis("sites", "--remove", NAME, data=data)
    assert p.returncode == 1 and "no indexed site" in p.stderr
    p = precis("search", "x", data=tempfile.mkdtemp())
    assert p.returncode == 1 and "nothing indexed yet" in p.stderr


if __name__ == "__main__":
    try:
        run_tests(globals())
    finally:
        SITE.stop()
        FAKE.stop()
