#!/usr/bin/env python3
"""Retrieval evaluation for `precis search` against a question set.

    PRECIS_BIN=build/precis XDG_DATA_HOME=/tmp/idx \\
        python3 bench/search-eval.py [--questions bench/questions/curl-docs.json]
            [--site-url URL] [--label NAME] [--json]
    python3 bench/search-eval.py --check SITE_DIR      # validate the question set
    python3 bench/search-eval.py --config FILE [--expand]   # hybrid / expansion runs

For each question it runs `precis search --json -n 10 [--site URL] QUESTION` (binary
from $PRECIS_BIN, default build/precis; the caller's environment is passed through,
so XDG_DATA_HOME picks the index) and scores the results:

  page level         a result matches when the path of its `page` URL equals the
                     question's page (scheme, host, query and fragment ignored);
  page+anchor level  its `anchor` must also equal the question's anchor
                     ("" = the page intro).

recall@1 and recall@5 are the share of answerable questions with a match among the
first 1 / 5 results; MRR is the mean of 1/rank of the first match within the top 10
(0 when none). Figures are given for paraphrased, direct and all answerable
questions. For unanswerable questions (page null) it reports the distribution of
the top result's score, next to the same for answerable questions, so a "no
answer" threshold can be studied.

--config FILE runs every search with PRECIS_CONFIG=FILE: a profile with
embeddings_model set measures hybrid retrieval (the index must have been built with it,
see bench/embed-server.mjs), one with a model measures what search_expand adds.
--expand adds `search_expand = true` to that file (or to the user's own config) for the
run: it needs a real chat model, so it is measured only where one is configured. Every
run also reports the whole-process search latency (p50/p95) and how many searches wrote
a warning on stderr (a fallback to bm25 shows there).

--check SITE_DIR validates the set against a built site (build_site.py): ids unique,
every page exists, every anchor is the id of a heading on that page, at least 60
answerable questions with more than half paraphrased, at least 8 unanswerable, and
paraphrased questions share no content word (stop words aside, a plural -s
folded) with their answering heading (the page title for the intro). Exit status 0 when all is well, 1 otherwise.
"""
import argparse
import json
import os
import re
import statistics
import subprocess
import sys
import tempfile
import time
from urllib.parse import urlsplit, unquote

HERE = os.path.dirname(os.path.abspath(__file__))
REPO = os.path.dirname(HERE)
DEFAULT_QUESTIONS = os.path.join(HERE, "questions", "curl-docs.json")

STOP = set("""a an and are as at be by can do does for from get how i if in into is it its
of on or so that the their them then there this to use used using was what when where which
who why will with you your my me we our not no any all more one""".split())


def load_questions(path):
    with open(path, encoding="utf-8") as f:
        data = json.load(f)
    return data["questions"] if isinstance(data, dict) else data


def page_path(url):
    """The path of a page URL or path: '/docs/x.html' for 'http://h:1/docs/x.html?q#a'."""
    if not url:
        return ""
    p = unquote(urlsplit(url).path)
    return p or "/"


# ------------------------------------------------------------------ metrics

def first_rank(question, results, level):
    """1-based rank of the first matching result within the top 10, or 0."""
    want_page = question["page"]
    want_anchor = question.get("anchor") or ""
    for i, r in enumerate(results[:10], 1):
        page = r.get("page") or (r.get("url") or "").split("#", 1)[0]
        if page_path(page) != want_page:
            continue
        if level == "page":
            return i
        anchor = r.get("anchor")
        if anchor is None:
            url = r.get("url") or ""
            anchor = url.split("#", 1)[1] if "#" in url else ""
        if anchor == want_anchor:
            return i
    return 0


def metrics(ranks):
    n = len(ranks)
    if not n:
        return {"n": 0, "recall@1": None, "recall@5": None, "mrr": None}
    return {"n": n,
            "recall@1": sum(1 for r in ranks if r == 1) / n,
            "recall@5": sum(1 for r in ranks if 1 <= r <= 5) / n,
            "mrr": sum(1.0 / r for r in ranks if r) / n}


def score_distribution(scores):
    if not scores:
        return {"n": 0}
    s = sorted(scores)

    def q(p):
        k = (len(s) - 1) * p
        lo = int(k)
        hi = min(lo + 1, len(s) - 1)
        return s[lo] + (s[hi] - s[lo]) * (k - lo)
    return {"n": len(s), "min": s[0], "p25": q(0.25), "median": q(0.5), "p75": q(0.75),
            "max": s[-1], "mean": statistics.fmean(s)}


def evaluate(questions, answers):
    """answers: {id: results list (None when the search failed)}. Returns the figures."""
    groups = {"paraphrased": [], "direct": [], "all": []}
    per_q = []
    top_unans, top_ans, failures = [], [], []
    for q in questions:
        results = answers.get(q["id"])
        failed = results is None
        if failed:
            failures.append(q["id"])
            results = []
        top = results[0].get("score") if results else None
        if q["page"] is None:
            if isinstance(top, (int, float)):
                top_unans.append(float(top))
            elif not failed:
                top_unans.append(0.0)  # no result at all: the ideal "no answer"
            per_q.append({"id": q["id"], "unanswerable": True, "top_score": top})
            continue
        if isinstance(top, (int, float)):
            top_ans.append(float(top))
        rp = first_rank(q, results, "page")
        ra = first_rank(q, results, "anchor")
        entry = {"id": q["id"], "page_rank": rp, "anchor_rank": ra, "top_score": top}
        per_q.append(entry)
        kind = "paraphrased" if q.get("paraphrased") else "direct"
        for g in (kind, "all"):
            groups[g].append((rp, ra))
    figures = {}
    for g, pairs in groups.items():
        figures[g] = {"page": metrics([p for p, _ in pairs]),
                      "page+anchor": metrics([a for _, a in pairs])}
    return {"figures": figures,
            "unanswerable_top_score": score_distribution(top_unans),
            "answerable_top_score": score_distribution(top_ans),
            "failures": failures, "questions": per_q}


# ------------------------------------------------------------------ running precis

TIMINGS = []   # seconds per search, in order
WARNED = []    # questions whose search wrote to stderr


def run_search(binary, question, site_url=None, timeout=60, env=None):
    cmd = [binary, "search", "--json", "-n", "10"]
    if site_url:
        cmd += ["--site", site_url]
    cmd += ["--", question]  # a question may start with "-" (an option name)
    try:
        t0 = time.monotonic()
        p = subprocess.run(cmd, capture_output=True, timeout=timeout, env=env)
        TIMINGS.append(time.monotonic() - t0)
    except (OSError, subprocess.TimeoutExpired) as e:
        return None, str(e)
    if p.stderr.strip():
        WARNED.append(question)
    if p.returncode != 0:
        return None, "exit %d: %s" % (p.returncode, p.stderr.decode("utf-8", "replace").strip()[:200])
    try:
        data = json.loads(p.stdout.decode("utf-8"))
    except ValueError as e:
        return None, "bad JSON: %s" % e
    results = data.get("results") if isinstance(data, dict) else None
    if not isinstance(results, list):
        return None, "no results list in the JSON"
    return results, None


def fmt(x):
    return "  -  " if x is None else "%.3f" % x


def print_report(label, ev, out=sys.stdout):
    if label:
        out.write("label: %s\n" % label)
    out.write("%-12s %-12s %4s  %8s %8s %8s\n" % ("questions", "level", "n", "recall@1", "recall@5", "MRR@10"))
    for g in ("paraphrased", "direct", "all"):
        for level in ("page", "page+anchor"):
            m = ev["figures"][g][level]
            out.write("%-12s %-12s %4d  %8s %8s %8s\n" % (g, level, m["n"], fmt(m["recall@1"]),
                                                        fmt(m["recall@5"]), fmt(m["mrr"])))
    for name, key in (("unanswerable", "unanswerable_top_score"), ("answerable", "answerable_top_score")):
        d = ev[key]
        if d.get("n"):
            out.write("top score, %-12s n=%d min=%.3f p25=%.3f median=%.3f p75=%.3f max=%.3f mean=%.3f\n"
                      % (name, d["n"], d["min"], d["p25"], d["median"], d["p75"], d["max"], d["mean"]))
        else:
            out.write("top score, %-12s n=0\n" % name)
    lat = ev.get("latency_ms") or {}
    if lat.get("n"):
        out.write("whole `precis search` process: p50 %.1f ms, p95 %.1f ms over %d searches; "
                  "%d wrote to stderr\n" % (lat["p50"], lat["p95"], lat["n"],
                                             ev.get("searches_with_stderr", 0)))
    if ev["failures"]:
        out.write("search failed for %d question(s): %s\n" % (len(ev["failures"]), " ".join(ev["failures"])))


# ------------------------------------------------------------------ --check

def tokens(text):
    out = set()
    for t in re.findall(r"[a-z0-9_]+", text.lower()):
        if t in STOP or len(t) < 2:
            continue
        if len(t) > 3 and t.endswith("s") and not t.endswith("ss"):
            t = t[:-1]
        out.add(t)
    return out


def heading_ids(html_text):
    """{id: heading text} for h1-h6 in the page's article, plus the <h1> title."""
    art = html_text
    if "<article>" in html_text:
        art = html_text[html_text.index("<article>"):html_text.rindex("</article>")]
    ids = {}
    title = ""
    for m in re.finditer(r"<h([1-6])([^>]*)>(.*?)</h\1>", art, re.S):
        text = re.sub(r"<[^>]+>", "", m.group(3))
        idm = re.search(r'\bid="([^"]*)"', m.group(2))
        if m.group(1) == "1" and not title:
            title = text
        if idm:
            ids[idm.group(1)] = text
    return ids, title


def check(questions, site_dir):
    import html as htmlmod
    problems = []
    seen = set()
    answerable = [q for q in questions if q.get("page") is not None]
    unanswerable = [q for q in questions if q.get("page") is None]
    para = [q for q in answerable if q.get("paraphrased")]
    for q in questions:
        for key in ("id", "question", "page", "anchor", "paraphrased"):
            if key not in q:
                problems.append("%s: missing %r" % (q.get("id"), key))
        if q.get("id") in seen:
            problems.append("%s: duplicate id" % q["id"])
        seen.add(q.get("id"))
        if q.get("page") is None:
            if q.get("anchor"):
                problems.append("%s: unanswerable question with an anchor" % q["id"])
            continue
        page = q["page"]
        fs = os.path.join(site_dir, page.lstrip("/"))
        if page.endswith("/"):
            fs = os.path.join(fs, "index.html")
        if not os.path.isfile(fs):
            problems.append("%s: page %s is not in the site" % (q["id"], page))
            continue
        with open(fs, encoding="utf-8") as f:
            ids, title = heading_ids(f.read())
        anchor = q.get("anchor") or ""
        if anchor and anchor not in ids:
            problems.append("%s: %s has no heading with id %r" % (q["id"], page, anchor))
            continue
        if q.get("paraphrased"):
            heading = htmlmod.unescape(ids[anchor] if anchor else title)
            common = tokens(q["question"]) & tokens(heading)
            if common:
                problems.append("%s: paraphrased question shares %s with its heading %r"
                                % (q["id"], sorted(common), heading.strip()))
    if len(answerable) < 60:
        problems.append("only %d answerable questions (want >= 60)" % len(answerable))
    if len(para) * 2 <= len(answerable):
        problems.append("only %d of %d answerable questions are paraphrased (want more than half)"
                        % (len(para), len(answerable)))
    if len(unanswerable) < 8:
        problems.append("only %d unanswerable questions (want >= 8)" % len(unanswerable))
    return problems, {"answerable": len(answerable), "paraphrased": len(para),
                      "direct": len(answerable) - len(para), "unanswerable": len(unanswerable)}


def main():
    ap = argparse.ArgumentParser(description="Recall@1/@5 and MRR of `precis search` on a question set.")
    ap.add_argument("--questions", default=DEFAULT_QUESTIONS)
    ap.add_argument("--label", default="", help="a name printed with the figures")
    ap.add_argument("--json", action="store_true", help="print the figures as one JSON object")
    ap.add_argument("--site-url", help="pass --site URL to precis search")
    ap.add_argument("--check", metavar="SITE_DIR", help="validate the question set against a built site")
    ap.add_argument("--timeout", type=float, default=60.0, help="seconds per search (default 60)")
    ap.add_argument("--config", help="run the searches with PRECIS_CONFIG=FILE (hybrid: embeddings_model)")
    ap.add_argument("--expand", action="store_true",
                    help="add search_expand = true to the config for the run (needs a chat model)")
    args = ap.parse_args()
    questions = load_questions(args.questions)

    if args.check:
        problems, counts = check(questions, args.check)
        for p in problems:
            print("problem: %s" % p)
        print("%d answerable (%d paraphrased, %d direct), %d unanswerable: %s"
              % (counts["answerable"], counts["paraphrased"], counts["direct"], counts["unanswerable"],
                 "ok" if not problems else "%d problem(s)" % len(problems)))
        return 1 if problems else 0

    binary = os.environ.get("PRECIS_BIN") or os.path.join(REPO, "build", "precis")
    env = dict(os.environ)
    if args.config:
        env["PRECIS_CONFIG"] = args.config
    if args.expand:
        base = env.get("PRECIS_CONFIG") or os.path.join(
            env.get("XDG_CONFIG_HOME") or os.path.join(os.path.expanduser("~"), ".config"),
            "precis", "config")
        text = open(base, encoding="utf-8").read() if os.path.isfile(base) else ""
        tmp = tempfile.NamedTemporaryFile("w", suffix=".ini", delete=False)
        tmp.write("search_expand = true\n" + text)  # a global key: every profile gets it
        tmp.close()
        env["PRECIS_CONFIG"] = tmp.name
    answers = {}
    errors = {}
    for q in questions:
        results, err = run_search(binary, q["question"], args.site_url, args.timeout, env)
        answers[q["id"]] = results
        if err:
            errors[q["id"]] = err
    ev = evaluate(questions, answers)
    ev["label"] = args.label
    ev["errors"] = errors
    ms = sorted(t * 1000 for t in TIMINGS)
    pick = lambda p: ms[min(len(ms) - 1, int(round(p / 100 * (len(ms) - 1))))] if ms else None
    ev["latency_ms"] = {"n": len(ms), "p50": pick(50), "p95": pick(95)}
    ev["searches_with_stderr"] = len(WARNED)
    if args.json:
        json.dump(ev, sys.stdout, indent=1)
        sys.stdout.write("\n")
    else:
        print_report(args.label, ev)
        for qid, err in list(errors.items())[:5]:
            sys.stderr.write("search-eval: %s: %s\n" % (qid, err))
    return 0 if len(errors) < len(questions) else 2


if __name__ == "__main__":
    sys.exit(main())
