#!/usr/bin/env python3
"""Per-page changes between two score-extract.py CSVs of the same page set.

    score-diff.py KIND BASE.csv NEW.csv [--limit N]

KIND is readability (per-page shingle F1) or trafilatura (per-page snippet counts:
tp = article snippets found, fp = boilerplate snippets found). Prints the pages
whose score changed, worst regressions first, then the totals of what moved.
"""

import argparse
import csv
import sys


def load(path):
    with open(path, newline="", encoding="utf-8") as f:
        return {row["id"]: row for row in csv.DictReader(f)}


def page_f1(row):
    """F1 of one trafilatura page from its snippet counts (1.0 when it has none)."""
    tp, fp, fn = (int(row[k]) for k in ("tp", "fp", "fn"))
    if tp + fp + fn == 0:
        return 1.0
    return 2 * tp / (2 * tp + fp + fn)


def readability_changes(base, new):
    rows = []
    for pid in sorted(set(base) & set(new)):
        b, n = base[pid], new[pid]
        delta = float(n["f1"]) - float(b["f1"])
        if abs(delta) >= 0.0005 or b["status"] != n["status"]:
            rows.append((delta, pid, f"{float(b['f1']):.3f}", f"{float(n['f1']):.3f}",
                         f"P {float(b['precision']):.3f}->{float(n['precision']):.3f}  "
                         f"R {float(b['recall']):.3f}->{float(n['recall']):.3f}"))
    return rows


def trafilatura_changes(base, new):
    rows = []
    for pid in sorted(set(base) & set(new)):
        b, n = base[pid], new[pid]
        dtp = int(n["tp"]) - int(b["tp"])
        dfp = int(n["fp"]) - int(b["fp"])
        if dtp or dfp or b["status"] != n["status"]:
            delta = page_f1(n) - page_f1(b)
            rows.append((delta, pid, f"{page_f1(b):.3f}", f"{page_f1(n):.3f}",
                         f"article {dtp:+d}  boilerplate {dfp:+d}"))
    return rows


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("kind", choices=["readability", "trafilatura"])
    ap.add_argument("base")
    ap.add_argument("new")
    ap.add_argument("--limit", type=int, default=40, help="rows printed (0: all)")
    args = ap.parse_args(argv)
    base, new = load(args.base), load(args.new)
    if set(base) != set(new):
        print(f"score-diff: the two CSVs hold different pages "
              f"({len(base)} and {len(new)})", file=sys.stderr)
    changes = (readability_changes if args.kind == "readability"
               else trafilatura_changes)(base, new)
    changes.sort(key=lambda r: (r[0], r[1]))
    better = sum(1 for r in changes if r[0] > 0)
    worse = sum(1 for r in changes if r[0] < 0)
    print(f"{args.kind}: {len(changes)} pages changed: {better} better, {worse} worse, "
          f"{len(changes) - better - worse} even")
    if args.kind == "trafilatura":
        moved = [sum(int(new[p][k]) - int(base[p][k]) for p in set(base) & set(new))
                 for k in ("tp", "fp")]
        print(f"  article snippets found {moved[0]:+d}, boilerplate snippets found {moved[1]:+d}")
    shown = changes if args.limit == 0 else changes[:args.limit]
    if shown:
        width = max(len(r[1]) for r in shown)
        print(f"  {'page':<{width}}  before  after  change")
        for delta, pid, before, after, note in shown:
            print(f"  {pid:<{width}}  {before}  {after}  {note}")
    if len(shown) < len(changes):
        print(f"  ... {len(changes) - len(shown)} more (--limit 0 shows all)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
