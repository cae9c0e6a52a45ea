"""The command line as a user meets it: help, version, usage errors, exit codes."""
import os
import sys

sys.path.insert(0, os.path.join(os.path.dirname(__file__), "..", "lib"))
from harness import BIN, REPO, expect_one_error_line, run, run_tests, text  # noqa: E402

EXAMPLE = os.path.join(REPO, "examples", "tracing-gc.html")


def test_help_and_version():
    p = run(["--help"])
    assert p.returncode == 0 and b"Usage: precis" in p.stdout
    p = run(["extract", "--help"])
    assert p.returncode == 0 and b"Usage: precis extract" in p.stdout
    assert b"--format" in p.stdout
    p = run(["--version"])
    assert p.returncode == 0 and text(p.stdout).startswith("precis ")


def test_unknown_option_is_usage_error():
    p = run(["extract", "--frobnicate", EXAMPLE])
    assert p.returncode == 1
    expect_one_error_line(p, ["--frobnicate"])
    assert p.stdout == b""


def test_bad_option_values():
    for args, word in ((["--format", "pdf"], "--format"),
                       (["--idle-timeout", "soon"], "--idle-timeout"),
                       (["--max-bytes", "-5"], "--max-bytes"),
                       (["--max-bytes", "12Q"], "--max-bytes")):
        p = run(["extract"] + args + [EXAMPLE])
        assert p.returncode == 1, (args, p.returncode)
        expect_one_error_line(p, [word])


def test_missing_value_and_missing_source():
    p = run(["extract", "--format"])
    assert p.returncode == 1
    expect_one_error_line(p, ["--format"])
    p = run(["extract"])
    assert p.returncode == 1
    expect_one_error_line(p, ["no page given"])


def test_missing_file_is_fetch_error():
    p = run(["extract", "/nonexistent/page.html"])
    assert p.returncode == 2
    expect_one_error_line(p, ["/nonexistent/page.html"])


def test_extract_example_formats():
    p = run(["extract", EXAMPLE])
    assert p.returncode == 0, p.stderr
    md = text(p.stdout)
    assert "# How a tracing garbage collector decides what to free" in md
    assert "```python" in md and "    work = list(roots)" in md
    assert "| GOGC=50 |" in md.replace("  ", " ")
    for junk in ("We use cookies", "Related notes", "Privacy", "All notes"):
        assert junk not in md, junk
    p = run(["extract", "--format", "text", EXAMPLE])
    assert p.returncode == 0 and "```" not in text(p.stdout)
    p = run(["extract", "--format=json", EXAMPLE])
    import json
    doc = json.loads(p.stdout)
    assert doc["title"].startswith("How a tracing garbage collector")
    assert doc["lang"] == "en" and doc["site_name"] == "Runtime Notes"
    assert any(h["anchor"] == "pacing" for h in doc["headings"])
    assert doc["word_count"] > 500


def test_stdin_and_links():
    with open(EXAMPLE, "rb") as f:
        html = f.read()
    p = run(["extract", "--format", "text", "-"], stdin=html)
    assert p.returncode == 0 and b"write barrier" in p.stdout
    p = run(["extract", "--links", EXAMPLE])
    assert p.returncode == 0


def interrupt(args, stdin=None):
    """Starts precis, sends SIGINT after 1 s; returns (rc, seconds after the signal, stderr)."""
    import signal
    import subprocess
    import tempfile
    import time
    env = dict(os.environ, XDG_CACHE_HOME=tempfile.mkdtemp(), XDG_DATA_HOME=tempfile.mkdtemp())
    proc = subprocess.Popen([BIN] + args, stdin=stdin, stdout=subprocess.PIPE,
                            stderr=subprocess.PIPE, env=env)
    time.sleep(1)
    t0 = time.time()
    proc.send_signal(signal.SIGINT)
    _, err = proc.communicate(timeout=20)
    return proc.returncode, time.time() - t0, text(err)


def test_ctrl_c_during_a_stalled_fetch_and_a_stdin_read():
    import subprocess
    sys.path.insert(0, os.path.join(os.path.dirname(__file__), "..", "pages"))
    from pagekit import Server
    server = Server()
    try:
        rc, secs, err = interrupt(["extract", "--idle-timeout", "60", server.url("/stall")])
        assert rc == 130 and secs < 3, (rc, secs, err)
        assert err.count("\n") == 1 and "interrupted" in err, err
    finally:
        server.proc.terminate()
    r, w = os.pipe()  # stdin that never ends
    rc, secs, err = interrupt(["extract", "-"], stdin=r)
    os.close(w)
    os.close(r)
    assert rc == 130 and secs < 3, (rc, secs, err)
    assert "stdin: interrupted" in err, err


if __name__ == "__main__":
    run_tests(dict(globals()))
