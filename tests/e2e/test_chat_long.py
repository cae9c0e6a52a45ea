"""A long scripted `precis chat` session (500 lines of mixed commands and questions):
it must end cleanly, and, under valgrind (when installed, on a non-sanitizer build)
or LeakSanitizer (the ASan build), lose no memory however many turns it runs."""
import os
import random
import shutil
import subprocess
import sys
import tempfile

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from chat_fixture import BIN, Docs, FakeOpenAI, model_env, run, text  # noqa: E402

DOCS = Docs()
FAKE = FakeOpenAI()


def script(n, save):
    rnd = random.Random(7)
    mixed = ["/toc", "/read 3", "/read pacing", "/links", "/follow 1", "/back", "/forward",
             "/back", "/search write barrier", "/sources", "/pages", "/open " + DOCS.tuning,
             "/close", "/summary", "/lang German", "/lang -", "/prompt tldr",
             "/prompt summarize", "/model", "/save " + save, "/nope", "/follow 2", "/clear",
             "/read", "/help"]
    questions = ["What does a write barrier do?", "How does pacing decide?",
                 "And the roots?", "What is GOGC?", "Why?"]
    lines = []
    while len(lines) < n:
        lines.append(rnd.choice(questions) if rnd.random() < 0.5 else rnd.choice(mixed))
    return lines


def session(prefix, n):
    save = tempfile.mktemp(suffix=".md")
    e = model_env(FAKE, {"PRECIS_HISTORY": "", "PRECIS_RETRY_BASE_MS": "10"})
    stdin = ("\n".join(script(n, save)) + "\n").encode()
    full = dict(os.environ)
    for k in ("OPENAI_API_KEY", "OPENAI_BASE_URL", "PRECIS_MODEL", "PRECIS_PROFILE"):
        full.pop(k, None)
    tmp = tempfile.mkdtemp(prefix="precis-chat-long-")
    full.update({"XDG_CACHE_HOME": tmp, "XDG_CONFIG_HOME": tmp, "XDG_DATA_HOME": tmp})
    full.update(e)
    p = subprocess.run(prefix + [BIN, "chat", DOCS.guide, "-m", "echo"], input=stdin,
                       capture_output=True, env=full, timeout=900)
    shutil.rmtree(tmp, ignore_errors=True)
    if os.path.exists(save):
        os.unlink(save)
    return p


def is_sanitized():
    with open(BIN, "rb") as f:
        return b"AddressSanitizer" in f.read()


def test_long_session_ends_cleanly():
    p = session([], 500)
    err = text(p.stderr)
    assert "Sanitizer" not in err and "leak" not in err.lower(), err[-2000:]
    out = text(p.stdout)
    assert out.count("ECHO: ") > 100, out[-500:]
    assert p.returncode in (0, 1, 2), p.returncode  # /nope and the 404 link fail on purpose


def test_valgrind_no_leak():
    if not shutil.which("valgrind") or is_sanitized():
        return
    vg = ["valgrind", "--leak-check=full", "--errors-for-leak-kinds=definite,indirect",
          "--error-exitcode=99", "--quiet"]
    p = session(vg, 500)
    err = text(p.stderr)
    assert p.returncode != 99, err[-3000:]
    assert "definitely lost" not in err and "Invalid" not in err, err[-3000:]


if __name__ == "__main__":
    from harness import run_tests
    try:
        run_tests(dict(globals()))
    finally:
        FAKE.stop()
        DOCS.stop()
