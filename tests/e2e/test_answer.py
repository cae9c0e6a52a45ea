"""Summaries and answers end to end: the real binary against the fake OpenAI server."""
import json
import os
import re
import signal
import subprocess
import sys
import tempfile
import time

sys.path.insert(0, os.path.join(os.path.dirname(__file__), "..", "lib"))
from harness import (BIN, REPO, FakeOpenAI, expect_one_error_line, run,  # noqa: E402
                     run_tests, text)

EXAMPLE = os.path.join(REPO, "examples", "tracing-gc.html")
KEY = "sk-test-SECRET-feedface-0123456789"
FAKE = FakeOpenAI()


def model_env(extra=None):
    e = {"OPENAI_BASE_URL": FAKE.url, "OPENAI_API_KEY": KEY, "PRECIS_RETRY_BASE_MS": "10"}
    e.update(extra or {})
    return e


def user_message(req):
    return [m["content"] for m in req["body"]["messages"] if m["role"] == "user"][-1]


def test_offline_default_without_model():
    p = run([EXAMPLE])
    assert p.returncode == 0, p.stderr
    out = text(p.stdout)
    assert out.startswith("# How a tracing garbage collector"), out
    assert len(out.splitlines()) >= 4
    assert "**How a tracing" not in out  # the title is not repeated as a section label
    expect_one_error_line(p, ["no model configured"])
    p = run(["--offline", "--length", "short", EXAMPLE], env=model_env())
    assert p.returncode == 0 and p.stderr == b""
    assert len(text(p.stdout)) < len(out)
    p = run(["--offline", "--json", EXAMPLE])
    o = json.loads(p.stdout)
    assert o["model"] == "offline" and o["answer"] == out and o["site_name"] == "Runtime Notes"


def test_summary_streams_and_sends_the_page():
    FAKE.reset()
    p = run(["-m", "echo", EXAMPLE], env=model_env())
    assert p.returncode == 0, p.stderr
    assert text(p.stdout).startswith("ECHO: "), p.stdout
    reqs = FAKE.requests()
    assert len(reqs) == 1
    body = reqs[0]["body"]
    assert body["model"] == "echo" and body["stream"] is True
    assert "temperature" not in body
    assert reqs[0]["headers"]["authorization"] == "Bearer " + KEY
    u = user_message(reqs[0])
    assert "<page>" in u and "write barrier" in u and "```python" in u
    assert "We use cookies" not in u


def test_ask_multiple_pages_one_request():
    FAKE.reset()
    with tempfile.NamedTemporaryFile("w", suffix=".html", delete=False) as f:
        f.write("<html><head><title>Second page</title></head><body><article><p>"
                "Arenas free many objects at once when a phase of the program ends, "
                "which makes allocation cheap.</p></article></body></html>")
    p = run(["ask", EXAMPLE, f.name, "-q", "What does a write barrier do?", "-m", "echo"],
            env=model_env())
    os.unlink(f.name)
    assert p.returncode == 0, p.stderr
    reqs = FAKE.requests()
    assert len(reqs) == 1
    u = user_message(reqs[0])
    assert "What does a write barrier do?" in u
    assert "[1] How a tracing garbage collector" in u and "[2] Second page" in u
    assert "Arenas free many objects" in u
    sysmsg = reqs[0]["body"]["messages"][0]["content"]
    assert "untrusted" in sysmsg


def test_ask_without_question_or_model():
    p = run(["ask", EXAMPLE], env=model_env())
    assert p.returncode == 1
    expect_one_error_line(p, ["question"])
    p = run(["ask", EXAMPLE, "-q", "why?"])
    assert p.returncode == 1
    expect_one_error_line(p, ["needs a model"])


def long_page(words):
    vocab = ("collector heap marking sweep barrier pacing roots pointer object cycle "
             "memory allocation generation nursery tenured finalizer").split()
    parts = ["<html><head><title>A very long page</title></head><body><article>"]
    n = 0
    sec = 0
    while n < words:
        sec += 1
        parts.append("<h2 id='s%d'>Section %d</h2>" % (sec, sec))
        for _ in range(5):
            sent = " ".join(vocab[(n + i) % len(vocab)] for i in range(40))
            parts.append("<p>Paragraph %d says %s.</p>" % (n, sent))
            n += 42
    parts.append("</article></body></html>")
    f = tempfile.NamedTemporaryFile("w", suffix=".html", delete=False)
    f.write("".join(parts))
    f.close()
    return f.name


def test_map_reduce_sends_every_part_once_in_parallel():
    page = long_page(20000)
    cfgdir = tempfile.mkdtemp()
    os.makedirs(os.path.join(cfgdir, "precis"))
    with open(os.path.join(cfgdir, "precis", "config"), "w") as f:
        f.write("[profile small]\nbase_url = %s\nmodel = latency:200\ncontext_tokens = 4000\n"
                % FAKE.url)
    FAKE.reset()
    env = model_env({"XDG_CONFIG_HOME": cfgdir, "PRECIS_PROFILE": "small"})
    env.pop("OPENAI_BASE_URL")
    p = run([page, "--jobs", "4"], env=env, timeout=120)
    assert p.returncode == 0, p.stderr
    reqs = FAKE.requests()
    maps = [r for r in reqs if "part " in user_message(r) and " of " in user_message(r)
            and "<page>" in user_message(r) and "partial" not in
            r["body"]["messages"][0]["content"]]
    assert len(maps) >= 4, len(maps)
    assert len(reqs) == len(maps) + 1, (len(reqs), len(maps))
    # every part of the page went out exactly once, in order
    extracted = text(run(["extract", page]).stdout)
    pieces = []
    for r in sorted(maps, key=lambda r: int(re.search(r"part (\d+) of", user_message(r)).group(1))):
        u = user_message(r)
        pieces.append(u[u.index("<page>\n") + 7:u.rindex("\n</page>")])
    assert "".join(pieces).strip() == extracted.strip()
    assert FAKE.stats()["max_inflight"] >= 3
    assert "ECHO: " in text(p.stdout)
    os.unlink(page)


def test_api_errors_one_line_exit_4_key_never_shown():
    for scenario, words in (("401", ["401"]), ("404", ["404"]), ("429-quota", ["quota"]),
                            ("429-always", ["429"]), ("500", ["500"]),
                            ("502-html", ["502"]), ("html-200", []), ("empty", []),
                            ("overflow-openai", ["context"])):
        p = run(["-m", scenario, EXAMPLE], env=model_env({"PRECIS_RETRY_BASE_MS": "1"}),
                timeout=60)
        assert p.returncode == 4, (scenario, p.returncode, p.stderr)
        assert KEY not in text(p.stderr) and KEY[-12:] not in text(p.stderr)
        lines = [l for l in text(p.stderr).splitlines() if l.strip()]
        assert all(l.startswith("precis: ") for l in lines), (scenario, lines)
        assert "model API error" in lines[-1], (scenario, lines)
        for w in words:
            assert w in lines[-1], (scenario, w, lines[-1])
        if scenario != "overflow-openai":  # that one reports its re-splitting progress
            assert len(lines) == 1, (scenario, lines)


def test_unreachable_endpoint():
    import socket
    sock = socket.socket()
    sock.bind(("127.0.0.1", 0))
    port = sock.getsockname()[1]
    sock.close()  # nothing listens there now
    p = run(["-m", "ok", EXAMPLE], env=model_env({
        "OPENAI_BASE_URL": "http://127.0.0.1:%d/v1" % port, "PRECIS_RETRY_BASE_MS": "1"}),
        timeout=60)
    assert p.returncode == 4, p.stderr
    assert p.stdout == b""
    expect_one_error_line(p, ["127.0.0.1:%d" % port])


def test_partial_answer_kept_and_marked():
    p = run(["-m", "midstream-error", EXAMPLE], env=model_env())
    assert p.returncode == 4
    out = text(p.stdout)
    assert out.startswith("Partial ") and "[answer cut short" in out
    expect_one_error_line(p, ["server had an error"])
    p = run(["-m", "length", EXAMPLE], env=model_env())
    assert p.returncode == 4 and "[answer cut short" in text(p.stdout)
    expect_one_error_line(p, ["token limit"])
    for scenario in ("drop", "openrouter-error", "llama-error-field"):
        p = run(["-m", scenario, EXAMPLE], env=model_env({"PRECIS_RETRY_BASE_MS": "1"}))
        assert p.returncode == 4, (scenario, p.returncode)
        out = text(p.stdout)
        if out:  # text shown before the failure stays, marked
            assert out.startswith("Partial ") and "[answer cut short" in out, (scenario, out)
        expect_one_error_line(p)


def test_json_output():
    p = run(["--json", "-m", "ok", EXAMPLE], env=model_env())
    assert p.returncode == 0, p.stderr
    o = json.loads(p.stdout)
    assert o["answer"] == "Hello, world." and o["finish_reason"] == "stop"
    assert o["title"].startswith("How a tracing") and o["usage"]["total_tokens"] == 12
    assert o["timings"]["total_s"] > 0 and o["requests"] == 1


def test_no_stream_verbose_and_reasoning():
    p = run(["--no-stream", "-v", "-m", "ok", EXAMPLE], env=model_env())
    assert p.returncode == 0 and text(p.stdout).strip() == "Hello, world."
    assert "prompt" in text(p.stderr) and "tokens" in text(p.stderr)
    p = run(["-m", "reasoning-content", EXAMPLE], env=model_env())
    assert p.returncode == 0
    hidden_out, hidden_err = text(p.stdout), text(p.stderr)
    p = run(["--reasoning", "-m", "reasoning-content", EXAMPLE], env=model_env())
    assert p.returncode == 0 and text(p.stdout) == hidden_out
    assert len(text(p.stderr)) > len(hidden_err)


def test_ctrl_c_keeps_text_exit_130():
    e = dict(os.environ)
    e.update(model_env())
    e["XDG_CACHE_HOME"] = tempfile.mkdtemp()
    e["XDG_DATA_HOME"] = tempfile.mkdtemp()  # the answer log stays out of $HOME
    proc = subprocess.Popen([BIN, "-m", "stall:8000", EXAMPLE], stdout=subprocess.PIPE,
                            stderr=subprocess.PIPE, env=e)
    first = proc.stdout.read(3)
    assert first == b"Hel", first
    t0 = time.time()
    proc.send_signal(signal.SIGINT)
    out, err = proc.communicate(timeout=10)
    assert proc.returncode == 130, (proc.returncode, err)
    assert time.time() - t0 < 3
    assert b"interrupted" in err


def test_idle_timeout_applies_to_model():
    t0 = time.time()
    p = run(["--idle-timeout", "1", "-m", "stall:6000", EXAMPLE], env=model_env(), timeout=30)
    assert p.returncode == 4, p.stderr
    assert time.time() - t0 < 5
    assert text(p.stdout).startswith("Hel")


def test_overflow_error_resplits_the_page():
    FAKE.reset()
    p = run(["-m", "overflow-above:3000", EXAMPLE], env=model_env(), timeout=60)
    assert p.returncode == 0, p.stderr
    reqs = FAKE.requests()
    assert len(reqs) >= 3, len(reqs)
    assert len(user_message(reqs[0])) > 3000
    assert all(len(user_message(r)) <= 3000 for r in reqs[1:])
    assert "ECHO: " in text(p.stdout)


def test_escape_sequences_from_the_model_are_neutralised():
    p = run(["-m", "escape", EXAMPLE], env=model_env())
    assert p.returncode == 0, p.stderr
    for bad in (b"\x1b", b"\x07", b"\xc2\x9b", b"\r"):
        assert bad not in p.stdout, (bad, p.stdout)
    assert b"Clear " in p.stdout and b"**bold**" in p.stdout


def pty_run(args, env_extra):
    import pty
    e = dict(os.environ)
    e.update(model_env())
    e.update({"TERM": "xterm-256color", "XDG_CACHE_HOME": tempfile.mkdtemp(),
              "XDG_DATA_HOME": tempfile.mkdtemp()})
    e.pop("NO_COLOR", None)
    e.update(env_extra)
    master, slave = pty.openpty()
    proc = subprocess.Popen([BIN] + args, stdout=slave, stderr=subprocess.PIPE, env=e)
    os.close(slave)
    out = b""
    while True:
        try:
            chunk = os.read(master, 65536)
        except OSError:
            break
        if not chunk:
            break
        out += chunk
    proc.wait(timeout=30)
    os.close(master)
    return proc.returncode, out


def test_terminal_rendering_respects_no_color():
    rc, out = pty_run(["-m", "escape", EXAMPLE], {})
    assert rc == 0
    assert b"\x1b[" in out                      # styled: headings, bold
    assert b"**bold**" not in out              # rendered, not raw
    assert b"\x1b[2J" not in out and b"\x1b]52" not in out
    rc, out = pty_run(["-m", "escape", EXAMPLE], {"NO_COLOR": "1"})
    assert rc == 0 and b"\x1b[" not in out and b"**bold**" in out
    rc, out = pty_run(["--color", "never", "-m", "escape", EXAMPLE], {})
    assert rc == 0 and b"\x1b[" not in out


def test_prompt_length_lang_and_user_templates():
    FAKE.reset()
    p = run(["-p", "tldr", "--lang", "German", "--length", "short", "-m", "ok", EXAMPLE],
            env=model_env())
    assert p.returncode == 0, p.stderr
    req = FAKE.requests()[0]
    sysmsg = req["body"]["messages"][0]["content"]
    allmsg = sysmsg + user_message(req)
    assert "German" in allmsg
    with open(os.path.join(REPO, "prompts", "tldr.md")) as f:
        tldr_words = [w for w in f.read().split() if w.isalpha() and len(w) > 6][:3]
    assert any(w in allmsg for w in tldr_words), tldr_words
    # a template file given by path, and a user template overriding a shipped one
    cfg = tempfile.mkdtemp()
    os.makedirs(os.path.join(cfg, "precis", "prompts"))
    own = os.path.join(cfg, "mine.md")
    with open(own, "w") as f:
        f.write("<!-- description: mine -->\n## system\nSYSTEM-MINE\n## user\n"
                "USER-MINE {{title}}\n<page>\n{{content}}\n</page>\n")
    with open(os.path.join(cfg, "precis", "prompts", "summarize.md"), "w") as f:
        f.write("<!-- description: my summary -->\n## system\nSYSTEM-OVERRIDE\n## user\n"
                "<page>\n{{content}}\n</page>\n")
    FAKE.reset()
    p = run(["-p", own, "-m", "ok", EXAMPLE], env=model_env({"XDG_CONFIG_HOME": cfg}))
    assert p.returncode == 0, p.stderr
    req = FAKE.requests()[0]
    assert req["body"]["messages"][0]["content"].strip() == "SYSTEM-MINE"
    assert user_message(req).startswith("USER-MINE How a tracing")
    FAKE.reset()
    p = run(["-m", "ok", EXAMPLE], env=model_env({"XDG_CONFIG_HOME": cfg}))
    assert p.returncode == 0
    assert FAKE.requests()[0]["body"]["messages"][0]["content"].strip() == "SYSTEM-OVERRIDE"
    p = run(["prompts"], env={"XDG_CONFIG_HOME": cfg})
    assert "my summary" in text(p.stdout)
    p = run(["-p", "no-such-template", "-m", "ok", EXAMPLE], env=model_env())
    assert p.returncode == 1, p.returncode
    expect_one_error_line(p, ["no-such-template"])


def test_models_prompts_config():
    p = run(["models"], env=model_env())
    assert p.returncode == 0 and "fake-model" in text(p.stdout), p.stderr
    p = run(["prompts"])
    out = text(p.stdout)
    assert p.returncode == 0
    for name in ("summarize", "tldr", "key-points", "explain", "ask"):
        assert re.search(r"^%s\s+\S" % name, out, re.M), name
    p = run(["config"], env=model_env())
    out = text(p.stdout)
    assert p.returncode == 0 and FAKE.url in out
    assert KEY not in out and "OPENAI_API_KEY" in out


if __name__ == "__main__":
    try:
        run_tests(dict(globals()))
    finally:
        FAKE.stop()
