#!/usr/bin/python3
"""readability-lxml timed in one Python process, for bench/extract-bench.sh.

  readability_lxml.py [-n REPS] FILE...   per page: median of REPS runs of
      Document(html).summary(); prints a summary line
  readability_lxml.py --once FILE         one extraction, HTML summary to stdout
      (what a whole-process run or a peak-RSS measurement times)

Run it with the system interpreter (/usr/bin/python3), where Debian's
python3-readability package installs the module.
"""
import statistics
import sys
import time

from readability import Document


def extract(html):
    return Document(html).summary()


def main(argv):
    reps = 3
    once = False
    files = []
    i = 0
    while i < len(argv):
        if argv[i] == "-n" and i + 1 < len(argv):
            reps = int(argv[i + 1])
            i += 2
            continue
        if argv[i] == "--once":
            once = True
        else:
            files.append(argv[i])
        i += 1
    if not files or reps < 1:
        sys.stderr.write("usage: readability_lxml.py [-n REPS] [--once] FILE...\n")
        return 1
    if once:
        with open(files[0], encoding="utf-8", errors="replace") as f:
            sys.stdout.write(extract(f.read()) + "\n")
        return 0
    # Load every page first so file reads are not timed.
    pages = []
    for path in files:
        with open(path, encoding="utf-8", errors="replace") as f:
            pages.append(f.read())
    per_page = []
    failed = 0
    for html in pages:
        try:
            extract(html)  # warm-up run, untimed
        except Exception:  # a peer failing on a page is counted, not fatal
            failed += 1
            continue
        times = []
        for _ in range(reps):
            t0 = time.perf_counter()
            extract(html)
            times.append((time.perf_counter() - t0) * 1000.0)
        per_page.append(statistics.median(times))
    total = sum(per_page)
    n = len(per_page)
    print("readability_lxml pages=%d total_ms=%.3f mean_ms=%.3f median_ms=%.3f "
          "not_extracted=%d" % (n, total, total / n if n else 0.0,
                                statistics.median(per_page) if n else 0.0, failed))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
