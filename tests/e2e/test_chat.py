"""`precis chat` driven through stdin (not a terminal): every command, questions with
citations against the fake model and offline, and the failures (a link to a 404, a
model 500, a bad site)."""
import json
import os
import re
import sys
import tempfile

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from chat_fixture import Docs, FakeOpenAI, chat, model_env, run, text  # noqa: E402

DOCS = Docs()
FAKE = FakeOpenAI()


def chat_requests():
    return FAKE.requests()


def last_messages():
    return chat_requests()[-1]["body"]["messages"]


def test_help_and_a_site_that_is_not_indexed():
    p = run(["chat", "--help"])
    assert p.returncode == 0 and b"/follow" in p.stdout and b"--site" in p.stdout
    rc, out, err = chat([], ["--site", "go.dev"])
    assert rc == 1 and out == "", (rc, out)
    lines = err.strip().splitlines()
    assert len(lines) == 1 and "nothing indexed yet" in lines[0], err


def test_empty_session_no_prompt_no_banner():
    rc, out, err = chat(["/pages", "/help"])
    assert rc == 0, err
    assert out.startswith("(no page is open"), out
    assert "/follow N|URL" in out and "precis>" not in out and "\x1b" not in out
    assert err == ""
    rc, out, err = chat(["What is this?"])
    assert rc == 1 and "no page is open" in err


def test_toc_read_links():
    rc, out, err = chat(["/toc"], [DOCS.guide])
    assert rc == 0, err
    assert out.splitlines() == ["1. The garbage collector guide", "  2. Starting from the roots",
                                "  3. Write barriers", "    4. The cost of barriers",
                                "  5. Pacing"], out
    rc, out, err = chat(["/read 3"], [DOCS.guide])
    assert out.startswith("## Write barriers\n"), out
    assert "The cost of barriers" in out and "Pacing" not in out  # subsections included
    assert out.rstrip().endswith(DOCS.guide + "#barriers"), out
    rc, out, err = chat(["/read #pacing", "/read start", "/read cost of"], [DOCS.guide])
    assert "## Pacing" in out and "## Starting from the roots" in out
    assert "### The cost of barriers" in out, out
    rc, out, err = chat(["/read"], [DOCS.guide])
    assert out.startswith("# The garbage collector guide") and "## Pacing" in out
    rc, out, err = chat(["/read nothing like it", "/toc"], [DOCS.guide])
    assert rc == 1 and "no section matches 'nothing like it'" in err, err
    assert "5. Pacing" in out  # the next line ran
    rc, out, err = chat(["/links"], [DOCS.guide])
    assert rc == 0
    assert out.splitlines()[0] == "[1] %s  tuning page" % DOCS.tuning, out
    assert "/status/404" in out.splitlines()[1]


def test_follow_back_forward_and_404():
    lines = ["/follow 1", "/toc", "/back", "/toc", "/forward", "/pages", "/back", "/follow 2",
             "/pages", "/follow 3", "/follow 99", "/back", "/pages"]
    rc, out, err = chat(lines, [DOCS.guide])
    assert "1. Tuning the collector" in out, out
    assert out.count("1. The garbage collector guide") == 1, out
    pages = [l for l in out.splitlines() if l.startswith("* 1.")]
    assert pages[0].startswith("* 1. tuning") and pages[1].startswith("* 1. guide"), pages
    assert pages[2].startswith("* 1. guide"), pages
    errs = err.strip().splitlines()
    assert len(errs) == 4, err
    assert "404" in errs[0] and "404" in errs[1], errs  # the 404 links: one line each
    assert "no link 99" in errs[2], errs
    assert "no page to go back to" in errs[3], errs
    assert rc == 1  # the last failure: /back with nothing behind


def test_fetch_error_is_one_line_and_the_code_of_the_last_failure():
    rc, out, err = chat(["/open " + DOCS.base + "/missing.html"], [DOCS.guide])
    assert rc == 2, (rc, err)
    assert len(err.strip().splitlines()) == 1 and "404" in err
    rc, out, err = chat(["/open " + DOCS.base + "/missing.html", "/toc"], [DOCS.guide])
    assert rc == 2 and "5. Pacing" in out
    rc, out, err = chat(["/bogus", "/toc"], [DOCS.guide])
    assert rc == 1 and "unknown command /bogus" in err
    rc, out, err = chat(["/tco"], [DOCS.guide])
    assert "did you mean /toc?" in err, err


def test_open_pages_close():
    rc, out, err = chat(["/open " + DOCS.tuning, "/pages", "/close 1", "/pages", "/close 5",
                         "/close", "/pages"], [DOCS.guide])
    listing = out.split("(no page is open")[0].splitlines()
    assert "  1. guide  GC Guide  <%s>" % DOCS.guide in listing, listing
    assert "* 2. tuning  Tuning  <%s>" % DOCS.tuning in listing, listing
    assert "* 1. tuning  Tuning  <%s>" % DOCS.tuning in listing, listing
    assert "no page 5" in err and rc == 1  # the code of the last failure
    assert "(no page is open" in out


def test_search_pages_highlights_and_deep_links():
    rc, out, err = chat(["/open " + DOCS.tuning, "/search write barrier", "/search memory limit",
                         "/search zebra"], [DOCS.guide])
    assert rc == 0, err
    assert "1. **Write barriers** (page 1) — %s#barriers" % DOCS.guide in out, out
    assert "**write barrier**" in out.lower(), out
    assert "**The memory limit** (page 2) — %s#memlimit" % DOCS.tuning in out, out
    assert "no section of the open pages matches 'zebra'" in out


def test_offline_question_cites_sections():
    rc, out, err = chat(["What does a write barrier do?", "/sources"], [DOCS.guide, "--offline"])
    assert rc == 0 and err == "", err
    assert "**[1] Write barriers** — %s#barriers" % DOCS.guide in out, out
    src = out.split("Sources:\n")[1]
    assert src.startswith("[1] Write barriers — %s#barriers\n" % DOCS.guide), src
    # /sources repeats the list
    assert out.count("[1] Write barriers — %s#barriers" % DOCS.guide) == 2, out
    rc, out, err = chat(["/summary"], [DOCS.guide])
    assert rc == 0 and "garbage collector" in out.lower()


def test_no_model_configured_offline_answer():
    rc, out, err = chat(["How does pacing start a cycle?"], [DOCS.guide])
    assert rc == 0 and "#pacing" in out and err == "", (out, err)


def test_question_sends_sections_links_and_history():
    FAKE.reset()
    rc, out, err = chat(["What does a write barrier do?", "And what does it cost?", "/clear",
                         "Third?"], [DOCS.guide, "-m", "echo"], env=model_env(FAKE))
    assert rc == 0, err
    reqs = chat_requests()
    assert len(reqs) == 3, len(reqs)
    m0 = reqs[0]["body"]["messages"]
    assert [m["role"] for m in m0] == ["system", "user"]
    assert "Cite the sections you use by number" in m0[0]["content"]
    page = m0[1]["content"]
    assert "## [3] Write barriers\nLink: %s#barriers" % DOCS.guide in page, page
    assert "Question: What does a write barrier do?" in page
    m1 = reqs[1]["body"]["messages"]
    assert [m["role"] for m in m1] == ["system", "user", "assistant", "user"]
    assert m1[1]["content"] == "What does a write barrier do?"
    assert m1[2]["content"].startswith("ECHO: ")
    m2 = reqs[2]["body"]["messages"]
    assert [m["role"] for m in m2] == ["system", "user"], "cleared"
    # answers are followed by their sources and a blank line
    assert out.count("\nSources:\n[") == 3, out
    assert out.endswith("\n\n")


def test_answer_cites_and_sources_command():
    FAKE.reset()
    rc, out, err = chat(["/sources", "Why barriers?", "/sources"],
                        [DOCS.guide, "-m", "echo"], env=model_env(FAKE))
    assert out.startswith("(no sources yet"), out
    assert rc == 0
    # the echo cites nothing: the best matching sections are the sources
    assert "Write barriers — %s#barriers\n" % DOCS.guide in out.split("Sources:")[1], out
    assert out.count("Write barriers — %s#barriers\n" % DOCS.guide) == 2, out


def test_model_500_reports_and_goes_on():
    FAKE.reset()
    rc, out, err = chat(["Why?", "/toc"], [DOCS.guide, "-m", "500"], env=model_env(FAKE))
    assert rc == 4, (rc, err)
    lines = err.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("precis: ") and "500" in lines[0], err
    assert "5. Pacing" in out
    rc, out, err = chat(["Why?", "/model echo", "/model", "Why now?"], [DOCS.guide, "-m", "500"],
                        env=model_env(FAKE))
    assert rc == 4 and "model: echo" in out and "ECHO: " in out, (rc, out, err)


def test_lang_prompt_summary():
    FAKE.reset()
    rc, out, err = chat(["/lang German", "/lang", "Why?", "/prompt", "/prompt tldr", "/summary",
                         "/prompt no-such-template", "/lang -", "Why?"],
                        [DOCS.guide, "-m", "echo"], env=model_env(FAKE))
    assert "lang: German" in out and "prompt (for /summary): summarize" in out, out
    assert "tldr" in out
    reqs = chat_requests()
    assert "Answer in German" in reqs[0]["body"]["messages"][0]["content"]
    tldr = json.dumps(reqs[1]["body"]["messages"])
    assert "GC Guide" in tldr or "garbage collector guide" in tldr
    assert "Answer in German" not in reqs[2]["body"]["messages"][0]["content"]
    assert "no-such-template" in err and rc == 1  # the code of the last failure
    rc, out, err = chat(["/summary key-points"], [DOCS.guide, "-m", "echo"], env=model_env(FAKE))
    assert rc == 0 and "ECHO: " in out


def test_budget_drops_oldest_turns_and_says_so():
    FAKE.reset()
    cfg = tempfile.NamedTemporaryFile("w", suffix=".ini", delete=False)
    cfg.write("context_tokens = 3000\n")
    cfg.close()
    qs = ["Question number %d about barriers?" % i for i in range(6)]
    rc, out, err = chat(qs, [DOCS.guide, "-m", "big:2400"],
                        env=model_env(FAKE, {"PRECIS_CONFIG": cfg.name}))
    os.unlink(cfg.name)
    assert rc == 0, err
    assert "no longer fit the model's context" in err, err
    for r in chat_requests():
        msgs = r["body"]["messages"]
        total = sum(len(m["content"]) for m in msgs)
        assert total < 3000 * 4, total
        assert "## [3] Write barriers" in msgs[-1]["content"]  # the page text always stays
    assert len(chat_requests()[-1]["body"]["messages"]) < 2 + 2 * 5


def test_save_markdown():
    FAKE.reset()
    path = tempfile.mktemp(suffix=".md")
    rc, out, err = chat(["What does a write barrier do?", "/save " + path,
                         "/save /nonexistent/dir/x.md"], [DOCS.guide, "-m", "echo"],
                        env=model_env(FAKE))
    with open(path) as f:
        md = f.read()
    os.unlink(path)
    assert md.startswith("# precis chat: GC Guide\n"), md
    assert "\n## What does a write barrier do?\n\nECHO: " in md
    assert "- [Write barriers](%s#barriers)" % DOCS.guide in md, md
    assert rc == 1 and "cannot write /nonexistent/dir/x.md" in err


def test_continuation_edit_quit():
    FAKE.reset()
    editor = tempfile.NamedTemporaryFile("w", suffix=".sh", delete=False)
    editor.write("#!/bin/sh\nprintf 'Written in the editor?\\n' > \"$1\"\n")
    editor.close()
    os.chmod(editor.name, 0o755)
    rc, out, err = chat(["First line \\", "second line?", "/edit", "/quit", "/toc"],
                        [DOCS.guide, "-m", "echo"],
                        env=model_env(FAKE, {"VISUAL": editor.name}))
    os.unlink(editor.name)
    assert rc == 0, err
    reqs = chat_requests()
    assert len(reqs) == 2
    assert "Question: First line \nsecond line?" in reqs[0]["body"]["messages"][-1]["content"]
    assert "Question: Written in the editor?" in reqs[1]["body"]["messages"][-1]["content"]
    assert "Pacing" not in out  # /quit stopped before /toc


def test_escapes_neutralised():
    rc, out, err = chat(["Say it"], [DOCS.guide, "-m", "escape"], env=model_env(FAKE))
    assert "\x1b" not in out and "\x07" not in out and "\u241b" in out, repr(out)


def test_stdin_page():
    p = run(["chat", "-"], stdin=b"# Notes\n\nThe kettle boils at noon.\n")
    assert p.returncode == 0  # stdin was the page; no lines follow


def test_failed_start_page_then_eof():
    rc, out, err = chat([], [DOCS.base + "/missing.html"])
    assert rc == 2 and "404" in err


if __name__ == "__main__":
    from harness import run_tests
    try:
        run_tests(dict(globals()))
    finally:
        FAKE.stop()
        DOCS.stop()
