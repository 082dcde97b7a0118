#!/usr/bin/env python3
"""The test-suite benchmark: `misq test` over 200 query files holding 1,000
assertions on the shipped datasets (datasets/), as an FOI team's regression
suite would. The expected figures are computed by DuckDB on the same CSV,
not by misq, so every assertion can fail; the script first checks that all
1,000 pass, then times `misq test` as a fresh process.

    pip install duckdb && swift build -c release && python3 bench/suite.py

Writes the files to bench/data/suite/ (generated, never committed) and
prints one line: files, assertions, and the median seconds of 5 runs after a
warm-up, with misq's cache and without it.
"""
import os, shutil, statistics, subprocess, sys, time
from crosscheck import connect  # the same DuckDB table and definitions

MISQ = os.environ.get("MISQ", ".build/release/misq")
CSV = "datasets/centurion_synthetic.csv"
OUT = "bench/data/suite"
FILES, PER_FILE, RUNS = 200, 5, 5

con = connect(CSV)


def one(sql):
    return con.execute(sql).fetchone()[0]


def values(column):
    return [r[0] for r in con.execute(f"select distinct {column} from t where {column} is not null order by 1").fetchall()]


def word(label):
    """A category label as misq's bare word: lower case, underscores."""
    return "".join(c if c.isalnum() else "_" for c in label.lower()).strip("_").replace("__", "_")


UNITS = {"allegations": "count(*)", "cases": "count(distinct case_id)", "individuals": "count(distinct officer_id)"}
YEARS = range(2012, 2025)
CONDITIONS = [("vawg", "vawg"), ("suspended", "suspended"), ("domestic_element", "domestic_element"),
              ("criminal_allegation", "criminal_allegation"), ("not daso_unit", "not daso_unit")]
for column in ["outcome", "source", "severity", "role", "command"]:
    CONDITIONS += [(f"{column} = {word(v)}", f"{column} = '{v}'") for v in values(column)]


def assertions():
    """Endless distinct (misq, SQL) assertion pairs: unit × condition × year,
    with quarters and financial years mixed in."""
    k = 0
    while True:
        unit = list(UNITS)[k % 3]
        cond_misq, cond_sql = CONDITIONS[(k // 3) % len(CONDITIONS)]
        y = YEARS[(k // 7) % len(YEARS)]
        kind = k % 4
        if kind == 0:
            period, lo, hi = f"{y}", f"{y}-01-01", f"{y + 1}-01-01"
        elif kind == 1:
            q = (k // 4) % 4 + 1
            period, lo, hi = f"{y}-Q{q}", f"{y}-{3 * q - 2:02d}-01", (f"{y}-{3 * q + 1:02d}-01" if q < 4 else f"{y + 1}-01-01")
        elif kind == 2:
            period, lo, hi = f"FY{y}/{(y + 1) % 100:02d}", f"{y}-04-01", f"{y + 1}-04-01"
        else:
            period, lo, hi = f"{y}-05..{y + 1}-05", f"{y}-05-01", f"{y + 1}-05-01"
        figure = one(f"select {UNITS[unit]} from t where ({cond_sql}) and reported >= '{lo}' and reported < '{hi}'")
        yield f"assert count {unit} where {cond_misq} and period {period} = {figure}"
        k += 1


def generate():
    shutil.rmtree(OUT, ignore_errors=True)
    os.makedirs(OUT)
    gen = assertions()
    for f in range(FILES):
        lines = [f"-- SYNTHETIC benchmark suite file {f + 1} of {FILES}: figures computed by DuckDB (bench/suite.py)."]
        lines += [next(gen) for _ in range(PER_FILE)]
        with open(f"{OUT}/suite_{f + 1:03d}.misq", "w") as out:
            out.write("\n".join(lines) + "\n")


def run(env=None):
    t = time.perf_counter()
    p = subprocess.run([MISQ, "test", OUT], capture_output=True, text=True, env=env)
    return time.perf_counter() - t, p


def main():
    generate()
    _, p = run()
    last = p.stdout.strip().splitlines()[-1] if p.stdout.strip() else ""
    want = f"{FILES * PER_FILE} assertions in {FILES} files: {FILES * PER_FILE} passed, 0 failed"
    if p.returncode != 0 or last != want:
        sys.exit(f"suite check FAILED: misq and DuckDB disagree\n{p.stdout[-3000:]}{p.stderr[-2000:]}")
    warm = statistics.median([run()[0] for _ in range(RUNS)])
    cold = statistics.median([run(dict(os.environ, MISQ_CACHE="off"))[0] for _ in range(RUNS)])
    line = (f"{FILES} files, {FILES * PER_FILE} assertions (figures from DuckDB), all pass; `misq test` median "
            f"{warm:.3f} s with its cache, {cold:.3f} s with `MISQ_CACHE=off`")
    print("suite: " + line)
    return line


if __name__ == "__main__":
    main()
