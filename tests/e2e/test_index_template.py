"""A site's template in the doc index: a line of prose that the extraction keeps but
that stands on most pages of the site (an edition notice inside every article) is
left out of the indexed text, now and in pages indexed later, while a code line
repeated on every page and prose of one page stay searchable."""
import json
import os
import sqlite3
import subprocess
import sys
import tempfile

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.join(HERE, "..", "lib"))
from harness import BIN, home_env, run_tests, serve_dir  # noqa: E402

NOTICE = "Edition four of the harbour handbook, revised by the harbour office in spring."
CODE = "moor --line bow --fenders 4"
TOPICS = ["anchors", "buoys", "cranes", "docks", "engines", "ferries", "gulls", "hulls",
          "islands", "jetties", "knots", "lights"]


def page(topic, notice=True, extra=""):
    return ("<!doctype html><html><head><title>About %s</title></head><body>"
            "<nav><a href='index.html'>Home</a></nav><main><article><h1>About %s</h1>"
            "<p>The harbour keeps its %s in good order all year, and every skipper who "
            "comes in should know where they are and how to use them safely.%s</p>"
            "%s<pre><code>%s</code></pre>"
            "<p>Ask the harbour master about %s before you arrive; the office answers "
            "by radio on channel twelve from dawn to dusk.</p></article></main>"
            "<footer>Harbour office</footer></body></html>"
            % (topic, topic, topic, extra, "<p>%s</p>" % NOTICE if notice else "", CODE,
               topic))


class Site:
    def __init__(self):
        self.root = tempfile.mkdtemp(prefix="precis-template-site-")
        os.makedirs(os.path.join(self.root, "docs"))
        links = "".join("<li><a href='%s.html'>%s</a></li>" % (t, t) for t in TOPICS)
        self.write("index.html", "<!doctype html><html><head><title>Harbour</title></head>"
                   "<body><main><article><h1>Harbour handbook</h1><p>Everything a "
                   "visiting skipper needs to know about the harbour, its services and "
                   "its rules, one page a topic.</p><ul>%s</ul></article></main></body>"
                   "</html>" % links)
        for t in TOPICS:
            self.write(t + ".html", page(t))
        self.url = serve_dir(self.root) + "/docs/"

    def write(self, name, html):
        path = os.path.join(self.root, "docs", name)
        old = os.stat(path).st_mtime if os.path.exists(path) else None
        with open(path, "w") as f:
            f.write(html)
        if old is not None:  # a change the server's Last-Modified (whole seconds) shows
            os.utime(path, (old + 10, old + 10))


def precis(home, *args):
    return subprocess.run([BIN] + list(args), capture_output=True, text=True,
                          env=home_env(home), timeout=60)


def search(home, *words):
    p = precis(home, "search", "--json", "-n", "50", "--", *words)
    assert p.returncode == 0, p.stderr
    return json.loads(p.stdout)["results"]


def bodies(home):
    db = sqlite3.connect(os.path.join(home, "data", "precis", "index.db"))
    try:
        return [r[0] for r in db.execute("SELECT body FROM sections_fts")]
    finally:
        db.close()


SITE = Site()
HOME = tempfile.mkdtemp(prefix="precis-template-")
FIRST = precis(HOME, "index", SITE.url)


def test_the_summary_names_the_frame():
    assert FIRST.returncode == 0, FIRST.stderr
    assert "1 lines on most pages left out as the site's frame" in FIRST.stdout, FIRST.stdout


def test_the_notice_is_not_indexed():
    assert not any(NOTICE in b for b in bodies(HOME))
    assert search(HOME, "revised", "spring") == []


def test_code_and_page_prose_stay():
    hits = search(HOME, "fenders")  # the code line, on every page
    assert len({h["page"] for h in hits}) == len(TOPICS), hits
    hits = search(HOME, "cranes", "skipper")
    assert hits and hits[0]["page"].endswith("/cranes.html"), hits


def test_a_page_changed_later_is_filtered_too():
    SITE.write("gulls.html", page("gulls", extra=" Gulls nest on the north jetty in May."))
    p = precis(HOME, "index", SITE.url)
    assert p.returncode == 0, p.stderr
    assert "1 changed" in p.stdout, p.stdout
    hits = search(HOME, "nest", "north", "jetty")
    assert hits and hits[0]["page"].endswith("/gulls.html"), hits
    assert not any(NOTICE in b for b in bodies(HOME))
    assert "left out as the site's frame" not in p.stdout  # nothing new found


def test_a_line_on_few_pages_is_content():
    home = tempfile.mkdtemp(prefix="precis-template-few-")
    site = Site()
    for t in TOPICS[4:]:  # the notice stays on 4 of 13 pages only
        site.write(t + ".html", page(t, notice=False))
    p = precis(home, "index", site.url)
    assert p.returncode == 0, p.stderr
    assert "frame" not in p.stdout, p.stdout
    assert len({h["page"] for h in search(home, "revised", "spring")}) == 4


def test_a_small_site_is_left_alone():
    home = tempfile.mkdtemp(prefix="precis-template-small-")
    site = Site()
    for t in TOPICS[5:]:
        os.remove(os.path.join(site.root, "docs", t + ".html"))
    p = precis(home, "index", site.url)
    assert p.returncode == 0, p.stderr
    assert len({h["page"] for h in search(home, "revised", "spring")}) == 5


if __name__ == "__main__":
    run_tests(dict(globals()))
