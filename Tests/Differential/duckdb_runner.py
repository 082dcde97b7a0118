"""DuckDB's side of the differential test (DifferentialTests.swift).

Reads JSON from standard input: {"setup": [SQL, ...], "queries": [SQL, ...]}.
Runs the setup statements (views over the generated CSVs), then each query,
and prints one JSON array with an entry per query: {"rows": [[cell, ...], ...]}
or {"error": "..."}. Dates print as ISO text (2022-05-01), booleans as JSON
booleans, NULL as null, DECIMAL and HUGEINT as numbers, NaN and infinity
as text; nothing is rounded.
"""
import datetime
import decimal
import json
import math
import sys

import duckdb


def cell(v):
    if isinstance(v, float) and not math.isfinite(v):
        return str(v)  # JSON has no NaN or infinity; as text it shows in a mismatch
    if v is None or isinstance(v, (bool, int, float, str)):
        return v
    if isinstance(v, decimal.Decimal):
        return float(v)
    if isinstance(v, (datetime.date, datetime.datetime)):
        return v.isoformat()
    return str(v)


def main():
    job = json.load(sys.stdin)
    con = duckdb.connect()
    for sql in job["setup"]:
        con.execute(sql)
    out = []
    for sql in job["queries"]:
        try:
            rows = con.execute(sql).fetchall()
            out.append({"rows": [[cell(v) for v in row] for row in rows]})
        except Exception as e:  # reported per query, so one bad SQL names itself
            out.append({"error": str(e)})
    json.dump(out, sys.stdout, allow_nan=False)


if __name__ == "__main__":
    main()
