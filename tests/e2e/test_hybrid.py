"""Hybrid doc search and query expansion end to end: `precis index` storing section
vectors from the fake embeddings endpoint (and backfilling them when the option is
turned on later), `precis search` fusing bm25 with the nearest vectors, the model's
extra search terms, and every failure falling back to bm25 with one warning."""
import json
import os
import sqlite3
import subprocess
import sys
import tempfile
import time

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.join(HERE, "..", "lib"))
from harness import BIN, FakeOpenAI, home_env, run_tests, serve_dir  # noqa: E402

FAKE = FakeOpenAI(lifetime=240)

PARA = ("This paragraph is here so that the page reads as an article: it says the same "
        "thing in more words, gives an example and a caution, and ends with a summary. ")

PAGES = {
    "cars.html": ("Looking after your car", [
        ("", "A car needs care all year. Every car owner should know the basics of car "
             "upkeep, from the engine to the tyres."),
        ("engine", "Check the car engine oil every month. A car engine with old oil wears "
                   "fast; change the oil and the filter of the car at the service."),
        ("tyres", "Car tyres lose pressure in cold weather. Check the tyres of the car "
                  "before a long drive.")]),
    "boats.html": ("Keeping a boat afloat", [
        ("", "A boat lives in the water and the water is hard on a boat hull."),
        ("hull", "Scrape the boat hull each spring and paint it with antifouling."),
        ("harbour", "In the harbour, tie the boat with two lines and fenders.")]),
    "trains.html": ("Travelling by train", [
        ("", "The train is the calm way to cross the country."),
        ("tickets", "Buy train tickets early: a train ticket bought a month ahead costs "
                    "half."),
        ("timetable", "The train timetable changes twice a year, in June and December.")]),
}


def page_html(title, sections):
    body = ["<h1>%s</h1>" % title]
    for anchor, text in sections:
        if anchor:
            body.append('<h2 id="%s">%s</h2>' % (anchor, anchor.capitalize()))
        body.append("<p>%s</p><p>%s</p>" % (text, PARA))
    return ("<!doctype html><html lang=\"en\"><head><meta charset=\"utf-8\"><title>%s</title>"
            "</head><body><main><article>%s</article></main></body></html>"
            % (title, "\n".join(body)))


def serve_site():
    root = tempfile.mkdtemp(prefix="precis-hybrid-site-")
    os.makedirs(os.path.join(root, "docs"))
    links = "".join('<li><a href="%s">%s</a></li>' % (name, t)
                    for name, (t, _) in sorted(PAGES.items()))
    with open(os.path.join(root, "docs", "index.html"), "w") as f:
        f.write("<!doctype html><html><head><title>Transport guides</title></head><body><main>"
                "<article><h1>Transport guides</h1><p>%s</p><ul>%s</ul></article></main>"
                "</body></html>" % (PARA, links))
    for name, (title, sections) in PAGES.items():
        with open(os.path.join(root, "docs", name), "w") as f:
            f.write(page_html(title, sections))
    return serve_dir(root) + "/docs/"


START = serve_site()


def new_home():
    home = tempfile.mkdtemp(prefix="precis-hybrid-")
    os.makedirs(os.path.join(home, "config", "precis"))
    return home


def write_config(home, **keys):
    keys.setdefault("base_url", FAKE.url)
    with open(os.path.join(home, "config", "precis", "config"), "w") as f:
        for k, v in keys.items():
            if v is not None:
                f.write("%s = %s\n" % (k, v))


def precis(home, *args, timeout=60):
    return subprocess.run([BIN] + list(args), capture_output=True, text=True,
                          env=home_env(home), timeout=timeout)


def db(home):
    return sqlite3.connect(os.path.join(home, "data", "precis", "index.db"))


def search(home, *words, n=5):
    p = precis(home, "search", "--json", "-n", str(n), "--", *words)
    assert p.returncode == 0, p.stderr
    return json.loads(p.stdout)["results"], p.stderr


def warnings(stderr):
    return [l for l in stderr.splitlines() if l.strip()]


def fake_requests(path_part):
    return [r for r in FAKE._call("GET", "/_requests") if path_part in r["path"]]


EMBEDDED = {}


def embedded_home():
    """A home whose site was indexed with embeddings_model = fake-embed (made once)."""
    if not EMBEDDED:
        home = new_home()
        write_config(home, embeddings_model="fake-embed")
        FAKE.reset()
        p = precis(home, "index", START)
        EMBEDDED.update(home=home, proc=p, requests=fake_requests("/embeddings"))
    return EMBEDDED["home"]


# ---- index time ----------------------------------------------------------------

def test_index_stores_one_normalised_vector_per_section():
    home = embedded_home()
    p = EMBEDDED["proc"]
    assert p.returncode == 0, p.stderr
    assert warnings(p.stderr) == [], p.stderr
    assert "embedded " in p.stdout and "with fake-embed" in p.stdout, p.stdout
    con = db(home)
    try:
        sections = con.execute("SELECT count(*) FROM sections").fetchone()[0]
        rows = con.execute("SELECT model, section_id, vec FROM vectors").fetchall()
        schema = con.execute("SELECT value FROM meta WHERE key = 'schema'").fetchone()[0]
    finally:
        con.close()
    assert sections >= 10 and len(rows) == sections, (sections, len(rows))
    assert schema == "3"
    import struct
    for model, _, vec in rows:
        assert model == "fake-embed" and len(vec) == 4 * 256
        v = struct.unpack("<256f", vec)
        assert abs(sum(x * x for x in v) - 1.0) < 1e-4
    reqs = EMBEDDED["requests"]
    assert reqs and all(r["method"] == "POST" and r["body"]["model"] == "fake-embed" and
                        1 <= len(r["body"]["input"]) <= 32 for r in reqs), reqs
    assert sum(len(r["body"]["input"]) for r in reqs) == sections


def test_recrawl_with_the_option_newly_on_backfills():
    home = new_home()
    write_config(home)
    p = precis(home, "index", START)
    assert p.returncode == 0, p.stderr
    con = db(home)
    assert con.execute("SELECT count(*) FROM vectors").fetchone()[0] == 0
    con.close()
    write_config(home, embeddings_model="fake-embed")
    p = precis(home, "index", START)
    assert p.returncode == 0, p.stderr
    assert "(0 added, 0 changed" in p.stdout.splitlines()[0], p.stdout  # nothing re-read
    con = db(home)
    n_vec = con.execute("SELECT count(*) FROM vectors").fetchone()[0]
    n_sec = con.execute("SELECT count(*) FROM sections").fetchone()[0]
    con.close()
    assert n_vec == n_sec > 0, (n_vec, n_sec)
    p = precis(home, "index", START)  # a third crawl has nothing left to embed
    assert "embedded 0 sections" in p.stdout, p.stdout


def test_failing_embeddings_endpoint_never_fails_the_crawl():
    home = new_home()
    write_config(home, embeddings_model="embed-500")
    p = precis(home, "index", START)
    assert p.returncode == 0, p.stderr
    w = warnings(p.stderr)
    assert len(w) == 1 and w[0].startswith("precis: embeddings: ") and "500" in w[0], w
    assert p.stdout.startswith("indexed "), p.stdout
    con = db(home)
    assert con.execute("SELECT count(*) FROM vectors").fetchone()[0] == 0
    assert con.execute("SELECT count(*) FROM sections").fetchone()[0] > 0
    con.close()
    results, err = search(home, "boat hull")  # bm25, with one warning about the vectors
    assert results and results[0]["page"].endswith("/boats.html"), results
    assert len(warnings(err)) == 1, err


def test_a_bad_embeddings_answer_is_one_warning():
    home = new_home()
    write_config(home, embeddings_model="embed-bad")
    p = precis(home, "index", START)
    assert p.returncode == 0, p.stderr
    w = warnings(p.stderr)
    assert len(w) == 1 and "one vector per input" in w[0], w


# ---- searching -------------------------------------------------------------------

def test_hybrid_finds_a_section_bm25_misses():
    home = embedded_home()
    write_config(home)  # embeddings off: bm25 alone knows no "automobile"
    results, err = search(home, "automobile")
    assert results == [], results
    write_config(home, embeddings_model="fake-embed")
    FAKE.reset()
    results, err = search(home, "automobile")
    assert warnings(err) == [], err
    assert results and results[0]["page"].endswith("/cars.html"), results
    assert abs(results[0]["score"] - 1.0 / 61) < 1e-5, results[0]  # vector rank 1 alone
    q = fake_requests("/embeddings")
    assert len(q) == 1 and q[0]["body"]["input"] == ["automobile"], q


def test_hybrid_scores_are_fused_ranks():
    home = embedded_home()
    write_config(home, embeddings_model="fake-embed")
    results, _ = search(home, "car engine oil", n=10)
    assert results[0]["page"].endswith("/cars.html") and results[0]["anchor"] == "engine"
    assert abs(results[0]["score"] - 2.0 / 61) < 1e-5, results[0]  # first in both lists
    scores = [r["score"] for r in results]
    assert scores == sorted(scores, reverse=True) and all(0 < s <= 0.0328 for s in scores)
    assert "**" in results[0]["snippet"]  # the user's words still highlighted


def test_embeddings_endpoint_down_gives_bm25_and_one_warning():
    home = embedded_home()
    write_config(home, base_url="http://127.0.0.1:9/v1", embeddings_model="fake-embed")
    results, err = search(home, "boat hull")
    w = warnings(err)
    assert len(w) == 1 and w[0].startswith("precis: embeddings: ") and "bm25" in w[0], w
    assert results and results[0]["page"].endswith("/boats.html"), results
    assert results[0]["score"] > 0.1  # a bm25 score, not a fused one


def test_ask_site_uses_the_same_hybrid_search():
    home = embedded_home()
    write_config(home, model="echo", embeddings_model="fake-embed")
    FAKE.reset()
    p = precis(home, "ask", "--site", START, "--json", "-q", "automobile")
    assert p.returncode == 0, p.stderr
    out = json.loads(p.stdout)
    assert out["sources"] and out["sources"][0]["url"].split("#")[0].endswith("/cars.html"), out
    assert len(fake_requests("/embeddings")) == 1


def test_old_schema_is_migrated_and_removing_a_site_removes_its_vectors():
    home = new_home()
    write_config(home, embeddings_model="fake-embed")
    assert precis(home, "index", START).returncode == 0
    con = db(home)
    con.execute("DROP TABLE vectors")
    con.execute("DROP TABLE template_lines")
    con.execute("UPDATE meta SET value = '1' WHERE key = 'schema'")
    con.commit()
    con.close()
    results, err = search(home, "boat hull")  # schema 1 opens, searches (bm25: no vectors)
    assert results and len(warnings(err)) == 1 and "no vectors" in err, err
    con = db(home)
    assert con.execute("SELECT value FROM meta WHERE key = 'schema'").fetchone()[0] == "3"
    assert con.execute("SELECT count(*) FROM template_lines").fetchone()[0] == 0
    con.close()
    assert precis(home, "index", START).returncode == 0  # fills the new table
    con = db(home)
    assert con.execute("SELECT count(*) FROM vectors").fetchone()[0] > 0
    name = con.execute("SELECT name FROM sites").fetchone()[0]
    con.close()
    assert precis(home, "sites", "--remove", name).returncode == 0
    con = db(home)
    assert con.execute("SELECT count(*) FROM vectors").fetchone()[0] == 0
    con.close()


# ---- query expansion ---------------------------------------------------------------

def test_expansion_terms_reach_the_query():
    home = embedded_home()
    write_config(home, model="say:car engine", search_expand="true")
    FAKE.reset()
    results, err = search(home, "automobile")
    assert warnings(err) == [], err
    assert results and results[0]["page"].endswith("/cars.html"), results
    chats = FAKE.requests()
    assert len(chats) == 1, chats
    body = chats[0]["body"]
    assert body["stream"] is False
    assert "automobile" in json.dumps(body["messages"]) and "search" in json.dumps(body["messages"])
    write_config(home, model="say:car engine")  # off (the default): no request, no result
    FAKE.reset()
    results, _ = search(home, "automobile")
    assert results == [] and FAKE.requests() == []


def test_expansion_failure_falls_back_to_the_query():
    home = embedded_home()
    write_config(home, model="500", search_expand="true")
    results, err = search(home, "boat hull")
    w = warnings(err)
    assert len(w) == 1 and w[0].startswith("precis: search_expand: "), w
    assert results and results[0]["page"].endswith("/boats.html"), results


def test_expansion_timeout_falls_back_within_the_cap():
    home = embedded_home()
    write_config(home, model="slow-headers:9000", search_expand="true")
    t0 = time.monotonic()
    results, err = search(home, "train timetable")
    took = time.monotonic() - t0
    assert took < 8, took
    w = warnings(err)
    assert len(w) == 1 and w[0].startswith("precis: search_expand: "), w
    assert results and results[0]["page"].endswith("/trains.html"), results


if __name__ == "__main__":
    try:
        run_tests(dict(globals()))
    finally:
        FAKE.stop()
