#!/usr/bin/env python3
"""Bench rows beyond q1-q3 (issue 19): many groups, row exports, and the
language's forms (text matching, derived values, several measures, ratios
per group, percentiles), each against DuckDB and polars on the CSV. Every
peer must give misq's answer first: grouped rows compared as sorted tuples
(numbers to 6 decimals), exports byte-compared after sorting their lines
(JSON parsed, the table's cells read back). Used by bench.py; on its own:

    MISQ=.build/static/release/misq python3 bench/forms.py 1m
    python3 bench/forms.py 1m --rows many   # only the many-groups rows (issue 19, target 1)
"""
import csv, io, json, os, statistics, subprocess, sys

MISQ = os.environ.get("MISQ", ".build/release/misq")
DAYS = "define days_to_outcome = days(reported, finalised)\n"
SQL_DAYS = "(CAST(finalised AS DATE) - CAST(reported AS DATE))"
PL_DAYS = "(pl.col('finalised').str.to_date() - pl.col('reported').str.to_date()).dt.total_days()"
POLARS_HEAD = "import polars as pl, sys\nd = pl.scan_csv(sys.argv[1], infer_schema_length=0)\n"
POLARS_PRINT = "\nfor r in out.iter_rows(): print(','.join('' if v is None else str(v) for v in r))"

# name: (misq statement, misq format, DuckDB SQL over {t}, polars body making `out`, how to compare)
ROWS = {
    "officer×outcome": ("count cases by officer_id, outcome", "csv",
        "SELECT officer_id, outcome, count(DISTINCT case_id) FROM {t} GROUP BY 1, 2",
        "out = d.group_by('officer_id', 'outcome').agg(pl.col('case_id').n_unique()).collect()", "groups"),
    "distinct by officer": ("count distinct case_id by officer_id", "csv",
        "SELECT officer_id, count(DISTINCT case_id) FROM {t} GROUP BY 1",
        "out = d.group_by('officer_id').agg(pl.col('case_id').n_unique()).collect()", "groups"),
    "by allegation_id": ("count allegations by allegation_id", "csv",
        "SELECT allegation_id, count(*) FROM {t} GROUP BY 1",
        "out = d.group_by('allegation_id').agg(pl.len()).collect()", "groups"),
    "text match": ('count allegations where allegation_type starts with "Abuse" by outcome', "csv",
        "SELECT outcome, count(*) FROM {t} WHERE lower(allegation_type) LIKE 'abuse%' GROUP BY 1",
        "out = d.filter(pl.col('allegation_type').str.to_lowercase().str.starts_with('abuse')).group_by('outcome').agg(pl.len()).collect()",
        "groups"),
    "derived value": (DAYS + "median days_to_outcome by severity", "csv",
        f"SELECT severity, median({SQL_DAYS}) FROM {{t}} GROUP BY 1",
        f"out = d.group_by('severity').agg({PL_DAYS}.median()).collect()", "groups"),
    "several measures": ("count allegations, count cases, count individuals by outcome", "csv",
        "SELECT outcome, count(*), count(DISTINCT case_id), count(DISTINCT officer_id) FROM {t} GROUP BY 1",
        "out = d.group_by('outcome').agg(pl.len(), pl.col('case_id').n_unique(), pl.col('officer_id').n_unique()).collect()", "groups"),
    "ratio per group": ("count allegations / count cases by severity", "csv",
        "SELECT severity, count(*) / count(DISTINCT case_id) FROM {t} GROUP BY 1",
        "out = d.group_by('severity').agg(pl.len() / pl.col('case_id').n_unique()).collect()", "groups"),
    "percentile": (DAYS + "percentile 90 days_to_outcome by outcome", "csv",
        f"SELECT outcome, quantile_cont({SQL_DAYS}, 0.9) FROM {{t}} GROUP BY 1",
        f"out = d.group_by('outcome').agg({PL_DAYS}.quantile(0.9, interpolation='linear')).collect()", "groups"),
    "export limit 1000": ("show allegations limit 1000", "csv",
        "COPY (SELECT * FROM {t} LIMIT 1000) TO '/dev/stdout' (FORMAT csv, HEADER)",
        "d.head(1000).collect().write_csv('/dev/stdout')", "csv"),
    "export csv": ("show allegations", "csv",
        "COPY (SELECT * FROM {t}) TO '/dev/stdout' (FORMAT csv, HEADER)",
        "d.sink_csv('/dev/stdout')", "csv"),
    "export tsv": ("show allegations", "tsv",
        "COPY (SELECT * FROM {t}) TO '/dev/stdout' (FORMAT csv, HEADER, DELIMITER '\\t')",
        "d.sink_csv('/dev/stdout', separator='\\t')", "tsv"),
    "export json": ("show allegations", "json",
        "COPY (SELECT * FROM {t}) TO '/dev/stdout' (FORMAT json)",
        "d.sink_ndjson('/dev/stdout')", "json"),
    "export table": ("show allegations", "table",
        "COPY (SELECT * FROM {t}) TO '/dev/stdout' (FORMAT csv, HEADER)",
        "d.sink_csv('/dev/stdout')", "table"),
}


# The many-groups rows (issue 19, target 1): a group per officer and
# outcome, a distinct count per officer, a group per row.
MANY = ["officer×outcome", "distinct by officer", "by allegation_id"]


def run(cmd, env=None, memory=False):
    import bench
    return bench.run(cmd, env=env, memory=memory)


def norm(v):
    v = v.strip()
    if v == "NULL":  # DuckDB's CSV for no value; misq leaves the cell empty
        return ""
    try:
        f = float(v)
    except ValueError:
        return v
    return f"{f:.6f}"


def answer(text, how, header):
    """A tool's answer, in a form two tools can agree on."""
    if how == "groups":
        body = list(csv.reader(io.StringIO(text)))[1 if header else 0:]
        return sorted(tuple(norm(x) for x in r) for r in body if r)
    if how in ("csv", "tsv"):
        return sorted(text.splitlines())
    if how == "json":
        if text.lstrip().startswith("["):  # misq's run: an array of answers
            doc = json.loads(text)[0]
            return sorted(json.dumps(r, sort_keys=True) for r in doc["rows"])
        return sorted(json.dumps(json.loads(l), sort_keys=True) for l in text.splitlines() if l.strip())
    if how == "table":
        if "│" in text:  # misq's table: the cells between the bars
            lines = [l for l in text.splitlines() if l.startswith("│")]
            cells = [[c.strip() for c in l.split("│")[1:-1]] for l in lines]
            return sorted(",".join("" if c == "(missing)" else c for c in r) for r in cells)
        body = list(csv.reader(io.StringIO(text)))
        return sorted(",".join(r) for r in body)
    raise ValueError(how)


def commands(name, d, f):
    q, fmt, sql, pl, _ = ROWS[name]
    t = f"read_csv('{f}', all_varchar=true)"
    duck = sql.format(t=t)
    return {
        "misq cold": ([MISQ, "--datasets", d, "--format", fmt, "-e", q], {"MISQ_CACHE": "off"}),
        "misq warm": ([MISQ, "--datasets", d, "--format", fmt, "-e", q], {}),
        "duckdb csv": (["duckdb", "-csv", "-noheader", "-c", duck] if duck.startswith("SELECT") else ["duckdb", "-c", duck], {}),
        "polars csv": (["python3", "-c", POLARS_HEAD + pl + (POLARS_PRINT if pl.startswith("out =") else ""), f], {}),
    }


def check(name, cmds):
    """Every peer gives misq's answer, or the run stops."""
    how = ROWS[name][4]
    want = answer(run(cmds["misq warm"][0])[2], how, header=True)
    for tool, (cmd, extra) in cmds.items():
        got = answer(run(cmd, env={**os.environ, **extra})[2], how, header=tool.startswith("misq"))
        if how == "table" and not tool.startswith("misq"):
            got = answer(run(cmd)[2], "table", header=False)
        if got != want:
            sys.exit(f"MISMATCH {name} {tool}:\n  misq: {want[:3]}\n  {tool}: {got[:3]}")


def measure(sizes, runs=5, prepare=None, rows=None):
    """{(size, name, tool): (median seconds, peak KB)}, for `rows` (all by default)."""
    import bench
    prepare = prepare or bench.prepare
    results = {}
    for size in sizes:
        d, f, _, _ = prepare(size)
        for name in rows or ROWS:
            cmds = commands(name, d, f)
            check(name, cmds)
            envs = {tool: {**os.environ, **extra} for tool, (_, extra) in cmds.items()}
            times, mems = {tool: [] for tool in cmds}, {}
            for tool, (cmd, _) in cmds.items():
                _, mems[tool], _ = run(cmd, envs[tool], memory=True)
            big = bench.SIZES[size] >= 10_000_000 and name.startswith("export") and name != "export limit 1000"
            for _ in range(3 if big else runs):
                for tool, (cmd, _) in cmds.items():
                    times[tool].append(run(cmd, envs[tool])[0])
            for tool in cmds:
                results[(size, name, tool)] = (statistics.median(times[tool]), mems[tool])
                print(f"{size} {name:20} {tool:10} {results[(size, name, tool)][0]:7.3f} s {mems[tool] // 1024:6d} MB", flush=True)
    return results


def lines(sizes, results, rows=None):
    """The RESULTS.md section: times, ratios, growth."""
    names = rows or list(ROWS)
    tools = ["misq cold", "misq warm", "duckdb csv", "polars csv"]
    out = ["", "## Beyond q1-q3: many groups, exports, the language's forms", "",
           "Each misq statement printed with `--format` as shown (exports to a pipe: streamed); DuckDB `COPY (SELECT …) TO '/dev/stdout'` "
           "for exports, polars `sink_csv`/`sink_ndjson`. Every peer's answer matched misq's first (groups as sorted tuples, exports "
           "byte-compared after sorting lines, JSON parsed, the table's cells read back).", "",
           "| size | row | " + " | ".join(tools) + " | cold / faster peer | memory: misq cold / DuckDB |",
           "|---|---|" + "---:|" * (len(tools) + 2)]
    for size in sizes:
        for name in names:
            r = lambda t: results[(size, name, t)]
            cells = [f"{r(t)[0]:.3f} s / {r(t)[1] // 1024} MB" for t in tools]
            ratio = r("misq cold")[0] / min(r("duckdb csv")[0], r("polars csv")[0])
            mem = r("misq cold")[1] / max(1, r("duckdb csv")[1])
            out.append(f"| {size} | {name} | " + " | ".join(cells) + f" | {ratio:.2f} | {mem:.2f} |")
    if len(sizes) > 1:
        out += ["", "Growth (misq cold; factor from the size before, rows 10x a step; **flagged** above 12x in time):", "",
                "| row | " + " | ".join(sizes) + " |", "|---|" + "---:|" * len(sizes)]
        for name in names:
            cells, prev = [], None
            for size in sizes:
                t, m = results[(size, name, "misq cold")]
                if prev:
                    grow = t / prev[0]
                    flag = " **flagged**" if grow > 12 else ""
                    cells.append(f"{t:.3f} s / {m // 1024} MB ({grow:.1f}x / {m / max(1, prev[1]):.1f}x){flag}")
                else:
                    cells.append(f"{t:.3f} s / {m // 1024} MB")
                prev = (t, m)
            out.append(f"| {name} | " + " | ".join(cells) + " |")
    out += ["", "Statements: " + "; ".join(f"{k}: `{ROWS[k][0].replace(chr(10), '; ')}` ({ROWS[k][1]})" for k in names) + "."]
    return out


if __name__ == "__main__":
    args = sys.argv[1:]
    rows = None
    if "--rows" in args:
        i = args.index("--rows")
        pick = args[i + 1]
        rows = MANY if pick == "many" else [r.strip() for r in pick.split(",")]
        unknown = [r for r in rows if r not in ROWS]
        if unknown:
            sys.exit(f"unknown rows {unknown}; rows are: {', '.join(ROWS)}, or 'many'")
        del args[i:i + 2]
    sizes = args or ["1m"]
    sys.path.insert(0, os.path.dirname(__file__))
    print("\n".join(lines(sizes, measure(sizes, rows=rows), rows=rows)))
