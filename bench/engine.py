#!/usr/bin/env python3
"""misq --engine duckdb: against DuckDB running hand-written SQL on the same
database file (issue 23's performance line; bench/RESULTS.md, the
`--engine duckdb:` section).

    python3 bench/engine.py [--runs N] [--data DIR] 1m 10m

For each size: `misq-synth --rows N` (as bench.py makes it), `misq export
--to duckdb:` of it, then for q1-q3 the answers compared (misq's CSV
against DuckDB's, rows sorted), then timed rounds that run misq and the
hand SQL in turn, so a slow spell of the shared machine falls on both.
Both start the real DuckDB program: PyPI's `duckdb-cli` puts a python
wrapper on PATH that costs ~0.5 s a start, which misq follows to the
program it runs (Engine/DuckDBProgram.swift) and this script finds the
same way (DUCKDB overrides). Prints medians and ranges, and the load
average before and after.
"""
import csv, glob, io, json, os, statistics, subprocess, sys, time

MISQ = os.environ.get("MISQ", ".build/release/misq")
SYNTH = os.environ.get("MISQ_SYNTH", ".build/release/misq-synth")
SIZES = {"100k": 100_000, "1m": 1_000_000, "10m": 10_000_000}
QUERIES = {
    "q1": "count allegations where vawg and period 2022-05..2023-05 by outcome",
    "q2": "count allegations by year(reported), outcome",
    "q3": "count distinct officer_id where suspended",
}
# The bench's q1-q3 (bench.py) written for the table misq export writes:
# dates as DATE, yes/no as BOOLEAN.
VAWG = ("(allegation_type IN ('Rape','Sexual assault','Abuse of position for a sexual purpose','Other sexual conduct') "
        "OR (allegation_type = 'Discreditable conduct' AND (sexual_element OR domestic_element)))")
HAND = {
    "q1": f"SELECT outcome, count(*) FROM cases WHERE {VAWG} AND reported >= DATE '2022-05-01' AND reported < DATE '2023-05-01' GROUP BY 1",
    "q2": "SELECT year(reported), outcome, count(*) FROM cases GROUP BY 1, 2",
    "q3": "SELECT count(DISTINCT officer_id) FROM cases WHERE suspended",
}


def duckdb_program():
    if os.environ.get("DUCKDB"):
        return os.environ["DUCKDB"]
    import duckdb_cli  # PyPI's duckdb-cli: the program ships beside its wrapper
    return os.path.join(os.path.dirname(duckdb_cli.__file__), "duckdb")


def prepare(data, size):
    d = os.path.join(data, size)
    os.makedirs(d, exist_ok=True)
    f = os.path.join(d, "cases.csv")
    if not os.path.exists(f):
        subprocess.run([SYNTH, "--rows", str(SIZES[size]), "--out", f], check=True)
    json.dump({"name": f"bench-{size}", "misq:definitions": ["definitions.misq"], "resources": [{
        "name": "cases", "path": "cases.csv", "misq:synthetic": True, "misq:default": True, "misq:period": "reported",
        "misq:units": {"allegations": "rows", "cases": {"distinct": "case_id"}, "individuals": {"distinct": "officer_id"}}}]},
        open(os.path.join(d, "datapackage.json"), "w"))
    # vawg, used by q1, is in the shipped definitions.
    with open(os.path.join(d, "definitions.misq"), "w") as out:
        out.write(open("datasets/definitions.misq").read())
    db = os.path.join(d, "cases.misq.duckdb")
    if not os.path.exists(db):
        subprocess.run([MISQ, "export", "--datasets", d, "--to", "duckdb:" + db], check=True)
    return d, db


def rows(text, header):
    out = []
    for r in list(csv.reader(io.StringIO(text)))[1 if header else 0:]:
        if r:
            out.append(tuple(str(int(float(x))) if x.replace(".", "", 1).isdigit() else x.strip() for x in r))
    return sorted(out)


def run(cmd, env=None):
    t = time.perf_counter()
    p = subprocess.run(cmd, capture_output=True, text=True, env=env)
    wall = time.perf_counter() - t
    if p.returncode != 0:
        raise RuntimeError(f"{' '.join(cmd)[:200]} failed: {p.stderr[-500:]}")
    return wall, p.stdout


def main(argv):
    runs, data, sizes = 7, "bench/data", []
    it = iter(argv)
    for a in it:
        if a == "--runs":
            runs = int(next(it))
        elif a == "--data":
            data = next(it)
        else:
            sizes.append(a)
    duck = duckdb_program()
    env = {**os.environ, "MISQ_DUCKDB": duck}
    print(f"load before: {open('/proc/loadavg').read().split()[:3]} on {os.cpu_count()} cores; duckdb: {duck}", flush=True)
    for size in sizes or ["1m"]:
        d, db = prepare(data, size)
        for q in QUERIES:
            misq = [MISQ, "--engine", "duckdb:" + db, "--format", "csv", "-e", QUERIES[q]]
            hand = [duck, "-readonly", db, "-csv", "-noheader", "-c", HAND[q]]
            got, want = rows(run(misq, env)[1], True), rows(run(hand)[1], False)
            if got != want:
                sys.exit(f"MISMATCH {size} {q}:\n  misq: {got[:5]}\n  hand: {want[:5]}")
            t = {"misq": [], "hand": []}
            for _ in range(runs):
                t["misq"].append(run(misq, env)[0])
                t["hand"].append(run(hand)[0])
            m, h = statistics.median(t["misq"]), statistics.median(t["hand"])
            print(f"{size} {q} answers equal ({len(want)} rows); misq {m:.3f} s ({min(t['misq']):.3f}-{max(t['misq']):.3f}), "
                  f"hand SQL {h:.3f} s ({min(t['hand']):.3f}-{max(t['hand']):.3f}), ratio {m / h:.2f}", flush=True)
    print(f"load after: {open('/proc/loadavg').read().split()[:3]}")


if __name__ == "__main__":
    main(sys.argv[1:])
