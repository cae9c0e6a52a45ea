#!/usr/bin/env python3
"""Golden-file tests: run the real binary on tests/golden/<case>/input.html and
compare with expected.md (--format markdown) and expected.txt (--format text).

A case may also hold forbidden.txt: lines that must appear in no output format
(markdown, text, json, links), e.g. hidden text a page tries to smuggle in.
Comparison ignores trailing whitespace on lines and trailing blank lines.
Set PRECIS_GOLDEN_CASE=name to run one case."""
import difflib
import os
import subprocess
import sys
from pathlib import Path

GOLDEN = Path(__file__).resolve().parent.parent / "golden"
FORMATS = (("expected.md", "markdown"), ("expected.txt", "text"))


def normalise(text):
    lines = [line.rstrip() for line in text.splitlines()]
    while lines and not lines[-1]:
        lines.pop()
    return lines


def run(binary, fmt, path):
    args = [binary, "extract", "--no-cache"]
    args += ["--links"] if fmt == "links" else ["--format", fmt]
    proc = subprocess.run(args + [str(path)], capture_output=True, timeout=60)
    if proc.returncode != 0:
        return None, "exit %d: %s" % (proc.returncode, proc.stderr.decode(errors="replace"))
    return proc.stdout.decode("utf-8", errors="replace"), None


def check_expected(binary, case, expected_name, fmt):
    want = normalise((case / expected_name).read_text(encoding="utf-8"))
    out, err = run(binary, fmt, case / "input.html")
    if err:
        print("FAIL %s [%s]: %s" % (case.name, fmt, err))
        return False
    got = normalise(out)
    if got == want:
        print("ok   %s [%s]" % (case.name, fmt))
        return True
    print("FAIL %s [%s]: output differs from %s" % (case.name, fmt, expected_name))
    for line in difflib.unified_diff(want, got, "expected", "got", lineterm=""):
        print("    " + line)
    return False


def check_forbidden(binary, case):
    forbidden = [l for l in (case / "forbidden.txt").read_text(encoding="utf-8").splitlines() if l]
    ok = True
    for fmt in ("markdown", "text", "json", "links"):
        out, err = run(binary, fmt, case / "input.html")
        if err:
            print("FAIL %s [%s]: %s" % (case.name, fmt, err))
            ok = False
            continue
        for needle in forbidden:
            if needle.lower() in out.lower():
                print("FAIL %s [%s]: forbidden text %r in output" % (case.name, fmt, needle))
                ok = False
    if ok:
        print("ok   %s [forbidden text absent]" % case.name)
    return ok


def main():
    binary = os.environ.get("PRECIS_BIN")
    if not binary or not os.access(binary, os.X_OK):
        print("PRECIS_BIN must name the precis binary")
        print("0 passed, 1 failed")
        return 1
    only = os.environ.get("PRECIS_GOLDEN_CASE")
    passed = failed = 0
    cases = sorted(p for p in GOLDEN.iterdir() if (p / "input.html").is_file())
    if not cases:
        print("no golden cases found under %s" % GOLDEN)
        failed += 1
    for case in cases:
        if only and case.name != only:
            continue
        checks = [(n, f) for n, f in FORMATS if (case / n).is_file()]
        if not checks:
            print("FAIL %s: no expected.md or expected.txt" % case.name)
            failed += 1
        for name, fmt in checks:
            if check_expected(binary, case, name, fmt):
                passed += 1
            else:
                failed += 1
        if (case / "forbidden.txt").is_file():
            if check_forbidden(binary, case):
                passed += 1
            else:
                failed += 1
    print("%d passed, %d failed" % (passed, failed))
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
