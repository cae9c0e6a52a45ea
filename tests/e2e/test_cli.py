"""The command line as a user meets it: help, version, usage errors, exit codes."""
import os
import sys

sys.path.insert(0, os.path.join(os.path.dirname(__file__), "..", "lib"))
from harness import REPO, expect_one_error_line, run, run_tests, text  # noqa: E402

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


if __name__ == "__main__":
    run_tests(dict(globals()))
