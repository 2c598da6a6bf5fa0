#!/usr/bin/env python3
"""Precision/recall against the threshold, from a finished eval/run.py output
folder: no engine run of its own.

    python3 eval/threshold.py [OUT]        # OUT defaults to eval/out/full

For each threshold t from 0.60 to 0.95 it prints, per targeted category, the
recall at t (the first result is the expected entry and scores >= t: the
same rule as run.py) and, per negatives category, the false-positive rate at
t (the first result scores >= t). Ranked outputs (--threshold 0 --limit 10)
give positive scores; thresholded outputs (cutoff 0.50) give negative scores,
so thresholds below 0.50 cannot be read for negatives. Disputed negatives
(a listed name in disguise, see run.py) are left out as run.py does.
This is how the default threshold (EMB_DEFAULT_THRESHOLD) was chosen; see
docs/internals/SCORING.md.
"""
import csv
import glob
import json
import os
import sys

POSITIVE_GROUPS = [
    ("1 OS positives untreated", lambda c: c["category"] == "os_pos" and c["sub"] == "untreated"),
    ("1 OS positives treated", lambda c: c["category"] == "os_pos" and c["sub"] == "treated"),
    ("2 LOAO variants", lambda c: c["category"] == "loao" and c["sub"].startswith("variant")),
    ("3a original present", lambda c: c["category"] == "orig" and c["sub"] == "present"),
    ("4 Korean", lambda c: c["category"] == "korean"),
    ("5 perturbations", lambda c: c["category"] == "perturb"),
]
NEGATIVE_GROUPS = [
    ("6a OS negatives", lambda c: c["category"] == "neg_os"),
    ("6b common names", lambda c: c["category"] == "neg_common"),
    ("6c OFAC-only", lambda c: c["category"] == "neg_ofac"),
]


def load_cases(out):
    cases = {}
    with open(os.path.join(out, "cases_full.tsv"), encoding="utf-8") as f:
        for row in csv.DictReader(f, delimiter="\t"):
            cases[row["id"]] = row
    return cases


def disputed(out):
    path = os.path.join(out, "disputed_neg_os.tsv")
    keys = set()
    if os.path.exists(path):
        with open(path, encoding="utf-8") as f:
            for row in csv.DictReader(f, delimiter="\t"):
                keys.add(row["name"])
    return keys


def first_results(pattern):
    top = {}
    for path in sorted(glob.glob(pattern)):
        with open(path, encoding="utf-8") as f:
            for line in f:
                d = json.loads(line)
                r = d.get("results") or []
                top[d.get("id")] = (r[0]["reference"], r[0]["score"]) if r else (None, 0.0)
    return top


def main():
    out = sys.argv[1] if len(sys.argv) > 1 else "eval/out/full"
    cases = load_cases(out)
    skip = disputed(out)
    ranked = first_results(os.path.join(out, "batch", "*.ranked.jsonl"))
    thr = first_results(os.path.join(out, "batch", "*.thr.jsonl"))
    pos = []
    for name, pred in POSITIVE_GROUPS:
        rows = [(ranked.get(i, (None, 0.0)), c["expected"]) for i, c in cases.items() if pred(c)]
        pos.append((name, rows))
    neg = []
    for name, pred in NEGATIVE_GROUPS:
        rows = [thr.get(i, (None, 0.0)) for i, c in cases.items()
                if pred(c) and c["query"] not in skip]
        neg.append((name, rows))
    head = ["t"] + [n for n, _ in pos] + [n for n, _ in neg]
    print("| " + " | ".join(head) + " |")
    print("|" + "---:|" * len(head))
    for k in range(60, 96):
        t = k / 100.0
        cells = [f"{t:.2f}"]
        for _, rows in pos:
            hit = sum(1 for (ref, s), exp in rows if ref == exp and s >= t - 1e-9)
            cells.append(f"{100.0 * hit / max(len(rows), 1):.1f} %")
        for _, rows in neg:
            fp = sum(1 for ref, s in rows if ref is not None and s >= t - 1e-9)
            cells.append(f"{100.0 * fp / max(len(rows), 1):.3f} %")
        print("| " + " | ".join(cells) + " |")


if __name__ == "__main__":
    main()
