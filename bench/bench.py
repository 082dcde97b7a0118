#!/usr/bin/env python3
"""Times misq and its peers on the same files; see bench/run.sh."""
import csv, io, json, os, platform, statistics, subprocess, sys, time

SIZES = {"100k": 100_000, "1m": 1_000_000, "10m": 10_000_000}
# run.sh builds misq as it would ship: the Swift runtime linked in.
MISQ = os.environ.get("MISQ", ".build/release/misq")
RUNS = 5
VAWG_SQL = ("(allegation_type IN ('Rape','Sexual assault','Abuse of position for a sexual purpose','Other sexual conduct') "
            "OR (allegation_type = 'Discreditable conduct' AND (sexual_element = 'yes' OR domestic_element = 'yes')))")
QUERIES = {
    "q1": "count allegations where vawg and period 2022-05..2023-05 by outcome",
    "q2": "count allegations by year(reported), outcome",
    "q3": "count distinct officer_id where suspended",
    # A join (issue 18): each allegation's officer's rank from a table of one
    # row per officer (officers.csv, made in prepare), counted by rank.
    "q4": "count allegations join officers on officer_id by officers.rank",
}

def sql(q, table, officers="o"):
    return {
        "q1": f"SELECT outcome, count(*) FROM {table} WHERE {VAWG_SQL} AND reported >= '2022-05-01' AND reported < '2023-05-01' GROUP BY 1",
        "q2": f"SELECT substr(CAST(reported AS VARCHAR), 1, 4), outcome, count(*) FROM {table} GROUP BY 1, 2",
        "q3": f"SELECT count(DISTINCT officer_id) FROM {table} WHERE suspended = 'yes'",
        "q4": f"SELECT o.rank, count(*) FROM {table} c JOIN {officers} o ON c.officer_id = o.officer_id GROUP BY 1",
    }[q]

POLARS = {
    "q1": """import polars as pl, sys
v = pl.col('allegation_type').is_in(['Rape','Sexual assault','Abuse of position for a sexual purpose','Other sexual conduct']) | ((pl.col('allegation_type') == 'Discreditable conduct') & ((pl.col('sexual_element') == 'yes') | (pl.col('domestic_element') == 'yes')))
r = pl.scan_csv(sys.argv[1], infer_schema_length=0).filter(v & (pl.col('reported') >= '2022-05-01') & (pl.col('reported') < '2023-05-01')).group_by('outcome').agg(pl.len()).collect()
for a, b in r.iter_rows(): print(f'{a},{b}')""",
    "q2": """import polars as pl, sys
r = pl.scan_csv(sys.argv[1], infer_schema_length=0).group_by(pl.col('reported').str.slice(0, 4), 'outcome').agg(pl.len()).collect()
for a, b, c in r.iter_rows(): print(f'{a},{b},{c}')""",
    "q3": """import polars as pl, sys
print(pl.scan_csv(sys.argv[1], infer_schema_length=0).filter(pl.col('suspended') == 'yes').select(pl.col('officer_id').n_unique()).collect().item())""",
    "q4": """import polars as pl, sys, os
o = pl.scan_csv(os.path.join(os.path.dirname(sys.argv[1]), 'officers.csv'), infer_schema_length=0)
r = pl.scan_csv(sys.argv[1], infer_schema_length=0).join(o, on='officer_id', how='inner').group_by('rank').agg(pl.len()).collect()
for a, b in r.iter_rows(): print(f'{a},{b}')""",
}

MLR_VAWG = ('($allegation_type == "Rape" || $allegation_type == "Sexual assault" || $allegation_type == "Abuse of position for a sexual purpose" '
            '|| $allegation_type == "Other sexual conduct" || ($allegation_type == "Discreditable conduct" && ($sexual_element == "yes" || $domestic_element == "yes")))')
MILLER = {
    "q1": ["filter", f'{MLR_VAWG} && $reported >= "2022-05-01" && $reported < "2023-05-01"', "then", "count", "-g", "outcome"],
    "q2": ["put", "$year = substr($reported, 0, 3)", "then", "count", "-g", "year,outcome"],
    "q3": ["filter", '$suspended == "yes"', "then", "count-distinct", "-f", "officer_id", "then", "count"],
    "q4": ["join", "-j", "officer_id", "-f", "OFFICERS", "then", "count", "-g", "rank"],
}

def run(cmd, env=None, memory=False):
    """Wall time, peak RSS (KB, with `memory`, else None) and stdout of one
    fresh process. Peak memory needs /usr/bin/time as the parent (a child
    of Python reports Python's own size at its exec); a timed run is the
    process alone, so the wrapper's start-up, about a millisecond, is not
    in its time."""
    t = time.perf_counter()
    p = subprocess.run((["/usr/bin/time", "-f", "%M"] if memory else []) + cmd, capture_output=True, text=True, env=env)
    wall = time.perf_counter() - t
    if p.returncode != 0:
        raise RuntimeError(f"{' '.join(cmd)[:200]} failed: {p.stderr[-500:]}")
    rss = int(p.stderr.strip().splitlines()[-1]) if memory else None
    return wall, rss, p.stdout

def rows(text, header=False):
    """A tool's answer as a sorted list of tuples of strings, numbers normalised.
    misq's CSV always has a header line; the peers here are run without one."""
    out = []
    for r in list(csv.reader(io.StringIO(text)))[1 if header else 0:]:
        if not r:
            continue
        out.append(tuple(str(int(float(x))) if x.replace(".", "", 1).isdigit() else x.strip() for x in r))
    return sorted(out)

def prepare(size):
    d = f"bench/data/{size}"
    os.makedirs(d, exist_ok=True)
    f = f"{d}/cases.csv"
    if not os.path.exists(f):
        subprocess.run([".build/release/misq-synth", "--rows", str(SIZES[size]), "--out", f], check=True)
    # One row per officer with a rank, for the join (q4): the same file for every tool.
    officers = f"{d}/officers.csv"
    if not os.path.exists(officers):
        subprocess.run(["duckdb", "-c", f"COPY (SELECT officer_id, ['Constable', 'Sergeant', 'Inspector', 'Chief Inspector', 'Police staff'][1 + CAST(hash(officer_id) % 5 AS BIGINT)] AS rank "
                        f"FROM (SELECT DISTINCT officer_id FROM read_csv('{f}', all_varchar=true)) WHERE officer_id IS NOT NULL ORDER BY officer_id) TO '{officers}' (HEADER)"], check=True)
    json.dump({"name": f"bench-{size}", "misq:definitions": ["../definitions.misq"], "resources": [{
        "name": "cases", "path": "cases.csv", "misq:synthetic": True, "misq:default": True, "misq:period": "reported",
        "misq:units": {"allegations": "rows", "cases": {"distinct": "case_id"}, "individuals": {"distinct": "officer_id"}}},
        {"name": "officers", "path": "officers.csv", "misq:synthetic": True}]},
        open(f"{d}/datapackage.json", "w"))
    with open("bench/data/definitions.misq", "w") as defs:
        defs.write(open("datasets/definitions.misq").read())
    db = f"{d}/cases.duckdb"
    if not os.path.exists(db):
        subprocess.run(["duckdb", db, "-c", f"CREATE TABLE t AS SELECT * FROM read_csv('{f}', all_varchar=true)"], check=True)
    subprocess.run(["duckdb", db, "-c", f"CREATE TABLE IF NOT EXISTS o AS SELECT * FROM read_csv('{officers}', all_varchar=true)"], check=True)
    lite = f"{d}/cases.sqlite"
    if not os.path.exists(lite):
        subprocess.run(["sqlite3", lite, "-cmd", ".mode csv", f".import {f} t"], check=True)
    if subprocess.run(["sqlite3", lite, "SELECT 1 FROM o LIMIT 1"], capture_output=True).returncode != 0:
        subprocess.run(["sqlite3", lite, "-cmd", ".mode csv", f".import {officers} o"], check=True)
    return d, f, db, lite

def commands(q, d, f, db, lite):
    return {
        "misq cold": ([MISQ, "--datasets", d, "--format", "csv", "-e", QUERIES[q]], {"MISQ_CACHE": "off"}),
        "misq warm": ([MISQ, "--datasets", d, "--format", "csv", "-e", QUERIES[q]], {}),
        "duckdb csv": (["duckdb", "-csv", "-noheader", "-c", sql(q, f"read_csv('{f}', all_varchar=true)", f"read_csv('{d}/officers.csv', all_varchar=true)")], {}),
        "duckdb db": (["duckdb", "-readonly", db, "-csv", "-noheader", "-c", sql(q, "t")], {}),
        "polars csv": (["python3", "-c", POLARS[q], f], {}),
        "sqlite3 db": (["sqlite3", "-csv", lite, sql(q, "t")], {}),
        "miller csv": (["mlr", "--icsv", "--ocsv", "--headerless-csv-output"] + [f"{d}/officers.csv" if a == "OFFICERS" else a for a in MILLER[q]] + [f], {}),
        "cat (floor)": (["sh", "-c", f"cat '{f}' > /dev/null"], {}),
    }

def main(sizes):
    results, lines = {}, []
    for size in sizes:
        d, f, db, lite = prepare(size)
        for q in QUERIES:
            cmds = commands(q, d, f, db, lite)
            # Correctness first: every peer must give misq's numbers.
            want = rows(run(cmds["misq warm"][0])[2], header=True)
            for name, (cmd, extra) in cmds.items():
                if name.startswith("cat"):
                    continue
                got = rows(run(cmd, env={**os.environ, **extra})[2], header=name.startswith("misq"))
                if got != want:
                    sys.exit(f"MISMATCH {size} {q} {name}:\n  misq: {want[:5]}\n  {name}: {got[:5]}")
            # One core: the same cold run pinned to CPU 0, for the scaling row.
            cmds["misq cold, 1 core"] = (["taskset", "-c", "0"] + cmds["misq cold"][0], cmds["misq cold"][1])
            envs = {name: {**os.environ, **extra} for name, (_, extra) in cmds.items()}
            # Miller takes ~35 s a run at 10M rows: three runs there, no
            # warm-up, the first of them also measuring memory (its
            # wrapper's millisecond is nothing next to half a minute).
            slow = {name for name in cmds if name.startswith("miller") and SIZES[size] > 1_000_000}
            times, mems = {name: [] for name in cmds}, {}
            for name, (cmd, _) in cmds.items():
                if name == "misq warm":
                    run(cmd, envs[name])  # make sure the cache exists
                wall, mems[name], _ = run(cmd, envs[name], memory=True)  # warm-up (page cache), and peak memory
                if name in slow:
                    times[name].append(wall)
            # Timed rounds, each running every tool once in turn: the machine
            # is shared, and a slow spell then falls on all of them alike
            # rather than on whichever tool's runs it happened to meet.
            for _ in range(RUNS):
                for name, (cmd, _) in cmds.items():
                    if name in slow and len(times[name]) >= 3:
                        continue
                    times[name].append(run(cmd, envs[name])[0])
            for name in cmds:
                results[(size, q, name)] = (statistics.median(times[name]), mems[name])
                print(f"{size} {q} {name:12} {statistics.median(times[name]):7.3f} s {mems[name] // 1024:6d} MB", flush=True)
    # Start-up: the shipped datasets, against DuckDB doing nothing.
    for name, cmd in {"misq -e 'count cases' (datasets/)": [MISQ, "-e", "count cases"],
                      "duckdb -c 'select 1'": ["duckdb", "-c", "select 1"]}.items():
        run(cmd)
        results[("startup", name)] = (statistics.median([run(cmd)[0] for _ in range(RUNS)]), 0)
    import suite  # bench/suite.py: 200 query files, 1,000 assertions
    results["suite"] = suite.main()
    import forms  # bench/forms.py: many groups, exports, the language's forms
    results["forms"] = forms.lines(sizes, forms.measure(sizes, runs=RUNS, prepare=prepare))
    write(sizes, results)

def write(sizes, results):
    names = ["misq cold", "misq warm", "duckdb csv", "duckdb db", "polars csv", "sqlite3 db", "miller csv", "cat (floor)"]
    cpu = next((l.split(":", 1)[1].strip() for l in open("/proc/cpuinfo") if l.startswith("model name")), platform.processor())
    mem = int(next(l.split()[1] for l in open("/proc/meminfo") if l.startswith("MemTotal"))) // 1024 // 1024
    out = ["# Benchmark results", "",
           f"Machine: {os.cpu_count()} cores, {cpu}, {mem} GiB memory; {platform.platform()}.",
           f"misq: `{MISQ}` (`swift build -c release --static-swift-stdlib -Xswiftc -Xclang-linker -Xswiftc -no-pie`, as a release would ship).",
           f"Run {time.strftime('%Y-%m-%d %H:%M UTC', time.gmtime())} by `bench/run.sh` with sizes {' '.join(sizes)}. "
           f"Median wall time of {RUNS} fresh processes after a warm-up (file in the page cache), each run on its own, "
           "in rounds that run every tool of a row once in turn (a slow spell of the shared machine falls on all alike); "
           "peak memory from the warm-up, run under `/usr/bin/time`. "
           "Every peer gave misq's numbers before timing. Data: `misq-synth --rows N` (SYNTHETIC).", "",
           "| size | query | " + " | ".join(names) + " |", "|---|---|" + "---:|" * len(names)]
    for size in sizes:
        for q in QUERIES:
            cells = [f"{results[(size, q, n)][0]:.3f} s / {results[(size, q, n)][1] // 1024} MB" for n in names]
            out.append(f"| {size} | {q} | " + " | ".join(cells) + " |")
    out += ["", "Ratios (misq time / peer time; below 1 means misq is faster):", "",
            "| size | query | cold / faster of DuckDB, polars (CSV) | warm / DuckDB db | warm / sqlite3 db |", "|---|---|---:|---:|---:|"]
    for size in sizes:
        for q in QUERIES:
            t = lambda n: results[(size, q, n)][0]
            out.append(f"| {size} | {q} | {t('misq cold') / min(t('duckdb csv'), t('polars csv')):.2f} | "
                       f"{t('misq warm') / t('duckdb db'):.2f} | {t('misq warm') / t('sqlite3 db'):.2f} |")
    out += ["", "Cores: misq cold on both cores against the same run pinned to one (`taskset -c 0`):", "",
            "| size | query | 1 core | 2 cores | speed-up |", "|---|---|---:|---:|---:|"]
    for size in sizes:
        for q in QUERIES:
            one, two = results[(size, q, "misq cold, 1 core")][0], results[(size, q, "misq cold")][0]
            out.append(f"| {size} | {q} | {one:.3f} s | {two:.3f} s | {one / two:.2f}x |")
    out += ["", "Start-up (median of fresh processes): " + "; ".join(
        f"{n}: {results[('startup', n)][0] * 1000:.0f} ms" for n in ["misq -e 'count cases' (datasets/)", "duckdb -c 'select 1'"]) + "."]
    out += ["", f"Test suite (`bench/suite.py`, shipped datasets): {results['suite']}."]
    if len(sizes) > 1:
        out += ["", "Growth: misq time and peak memory at each size, and the factor from the size before "
                "(rows grow 10x per step; linear growth is a factor of about 10 in time, less where start-up dominates):", "",
                "| query | run | " + " | ".join(sizes) + " |", "|---|---|" + "---:|" * len(sizes)]
        for q in QUERIES:
            for n in ["misq cold", "misq warm"]:
                cells, prev = [], None
                for size in sizes:
                    t, m = results[(size, q, n)]
                    cells.append(f"{t:.3f} s / {m // 1024} MB" + (f" ({t / prev[0]:.1f}x / {m / max(1, prev[1]):.1f}x)" if prev else ""))
                    prev = (t, m)
                out.append(f"| {q} | {n} | " + " | ".join(cells) + " |")
    if any(SIZES[s] > 1_000_000 for s in sizes):
        out += ["", "Miller at 10M rows: median of 3 runs without a warm-up (each takes about half a minute)."]
    out += ["", "Queries: " + "; ".join(f"{k}: `{v}`" for k, v in QUERIES.items()) + "."]
    out += results.get("forms", [])
    open("bench/RESULTS.md", "w").write("\n".join(out) + "\n")
    print("\n".join(out))

if __name__ == "__main__":
    main(sys.argv[1:] or ["100k", "1m"])
