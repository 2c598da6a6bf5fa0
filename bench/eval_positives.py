#!/usr/bin/env python3
"""OpenSanctions UN positives: batch inputs and scoring (bench/README.md).

Standard library only. Two commands:

  eval_positives.py make-input TREATED.csv OUT.csv [--name-only] [--repeat K]
      Write a CSV for `embargo batch`: header id,name,birthDate,nationality
      (id,name with --name-only). id = 1-based data row of TREATED.csv,
      name = full_name, birthDate = date_of_birth, nationality = nationality,
      values passed on unchanged. --repeat K writes the rows K times (ids
      stay unique: row, then row#2, row#3, ...) for throughput runs.

  eval_positives.py report TRUTH.csv TREATED.csv MISSES.txt
                    LABEL RANKED.jsonl ATTHR.jsonl [LABEL RANKED.jsonl ATTHR.jsonl ...]
      RANKED.jsonl: batch output with --threshold 0 --limit 10 (ranking);
      ATTHR.jsonl: batch output with the default threshold (match flags).
      Prints one markdown table row per LABEL and writes the top-1 misses of
      every run to MISSES.txt.

  eval_positives.py throughput TRIALS LABEL CMD [ARG ...]
      Runs an `embargo batch` command TRIALS times (stdout discarded) and
      prints one markdown row: queries/s from batch's summary line (median,
      range), median wall seconds, median CPU seconds (user + sys of the
      child) and CPU / wall (how many cores were busy on average).
"""
import csv
import json
import re
import resource
import statistics
import subprocess
import sys
import time


def make_input(argv):
    name_only, repeat, files = False, 1, []
    it = iter(argv)
    for a in it:
        if a == "--name-only":
            name_only = True
        elif a == "--repeat":
            repeat = int(next(it))
        else:
            files.append(a)
    if len(files) != 2 or repeat < 1:
        sys.stderr.write(__doc__)
        return 2
    src, dst = files
    with open(src, newline="", encoding="utf-8") as f:
        rows = list(csv.DictReader(f))
    with open(dst, "w", newline="", encoding="utf-8") as out:
        w = csv.writer(out, lineterminator="\n")
        w.writerow(["id", "name"] if name_only else ["id", "name", "birthDate", "nationality"])
        for k in range(repeat):
            for i, r in enumerate(rows, start=1):
                rid = str(i) if k == 0 else f"{i}#{k + 1}"
                if name_only:
                    w.writerow([rid, r["full_name"]])
                else:
                    w.writerow([rid, r["full_name"], r["date_of_birth"], r["nationality"]])
    return 0


def read_jsonl(path):
    out = {}
    with open(path, encoding="utf-8") as f:
        for line in f:
            line = line.strip()
            if line:
                rec = json.loads(line)
                out[str(rec.get("id"))] = rec
    return out


def pct(n, d):
    return f"{n} ({100.0 * n / d:.1f}%)" if d else str(n)


def report(argv):
    truth_path, treated_path, misses_path = argv[:3]
    runs = argv[3:]
    if not runs or len(runs) % 3:
        sys.stderr.write(__doc__)
        return 2
    truth = {}
    with open(truth_path, newline="", encoding="utf-8") as f:
        for r in csv.DictReader(f):
            truth[r["row"]] = (r["reference"], r["name"])
    with open(treated_path, newline="", encoding="utf-8") as f:
        treated = {str(i): r for i, r in enumerate(csv.DictReader(f), start=1)}

    print("| input columns | rows | errors | with truth | top-1 | top-5 | top-10 "
          "| at threshold 0.80 | truth not in top 10 |")
    print("|---|---:|---:|---:|---:|---:|---:|---:|---:|")
    misses, below = [], []
    for j in range(0, len(runs), 3):
        label, ranked_path, thr_path = runs[j:j + 3]
        ranked, atthr = read_jsonl(ranked_path), read_jsonl(thr_path)
        nerr = sum(1 for r in ranked.values() if "error" in r)
        n = top1 = top5 = top10 = hit_thr = 0
        for rid, (ref, untreated_name) in sorted(truth.items(), key=lambda kv: int(kv[0])):
            rec = ranked.get(rid)
            if rec is None:
                continue
            n += 1
            res = rec.get("results", [])
            refs = [x["reference"] for x in res]
            rank = refs.index(ref) + 1 if ref in refs else 0
            top1 += rank == 1
            top5 += 1 <= rank <= 5
            top10 += 1 <= rank <= 10
            t = atthr.get(rid, {}).get("results", [])
            ok_thr = bool(t) and t[0]["reference"] == ref and t[0]["match"] is True
            hit_thr += ok_thr
            if rank == 1 and not ok_thr:
                below.append(f"{label}\trow {rid}\t{treated.get(rid, {}).get('full_name', '?')}\t"
                             f"[listed as: {untreated_name}]\ttruth {ref}\tscore {res[0]['score']}\t"
                             f"{res[0]['reason']}")
            if rank != 1:
                q = treated.get(rid, {}).get("full_name", "?")
                if "error" in rec:
                    got = "ERROR " + rec["error"]
                elif res:
                    got = f"{res[0]['reference']} {res[0]['score']} ({res[0]['matched_name']})"
                else:
                    got = "no result"
                tr = f"truth rank {rank} score {res[rank - 1]['score']}" if rank else "truth not in top 10"
                misses.append(f"{label}\trow {rid}\t{q}\t[listed as: {untreated_name}]\t"
                              f"truth {ref}\tgot {got}\t{tr}")
        print(f"| {label} | {len(ranked)} | {nerr} | {n} | {pct(top1, n)} | {pct(top5, n)} "
              f"| {pct(top10, n)} | {pct(hit_thr, n)} | {n - top10} |")
    with open(misses_path, "w", encoding="utf-8") as f:
        f.write("# top-1 misses: run, row, query (treated), untreated name, truth ref, "
                "first result (ref score matched-name), where the truth ranked\n")
        for m in misses:
            f.write(m + "\n")
        f.write("\n# ranked first but below the default threshold: run, row, query, untreated name, "
                "truth ref, score, reason\n")
        for m in below:
            f.write(m + "\n")
    return 0


SUMMARY = re.compile(r"embargo batch: (\d+) queries, .* ([0-9.]+) s \(([0-9.]+) queries/s, (\d+) thread")


def throughput(argv):
    """throughput TRIALS LABEL CMD...: run CMD (stdout to /dev/null) TRIALS times."""
    trials, label, cmd = int(argv[0]), argv[1], argv[2:]
    qps, walls, cpus, rows = [], [], [], None
    for _ in range(trials):
        r0 = resource.getrusage(resource.RUSAGE_CHILDREN)
        t0 = time.monotonic()
        p = subprocess.run(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
        wall = time.monotonic() - t0
        r1 = resource.getrusage(resource.RUSAGE_CHILDREN)
        m = SUMMARY.search(p.stderr)
        if p.returncode != 0 or not m:
            sys.stderr.write(f"eval_positives: {' '.join(cmd)}: failed\n{p.stderr}")
            return 1
        rows = int(m.group(1))
        qps.append(float(m.group(3)))
        walls.append(wall)
        cpus.append((r1.ru_utime - r0.ru_utime) + (r1.ru_stime - r0.ru_stime))
    w, c = statistics.median(walls), statistics.median(cpus)
    print(f"| {label} | {rows} | {trials} | {statistics.median(qps):.0f} "
          f"| {min(qps):.0f} – {max(qps):.0f} | {w:.2f} | {c:.2f} | {c / w:.2f} |")
    return 0


def main(argv):
    if len(argv) < 2:
        sys.stderr.write(__doc__)
        return 2
    cmd, rest = argv[1], argv[2:]
    if cmd == "make-input" and len(rest) >= 2:
        return make_input(rest)
    if cmd == "report" and len(rest) >= 6:
        return report(rest)
    if cmd == "throughput" and len(rest) >= 3:
        return throughput(rest)
    sys.stderr.write(__doc__)
    return 2


if __name__ == "__main__":
    sys.exit(main(sys.argv))
