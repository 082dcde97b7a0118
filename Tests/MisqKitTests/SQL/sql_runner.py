"""Runs the SQL misq sql wrote on DuckDB and SQLite over the same tables
(SQLExecutionTests). Reads JSON on stdin:
  {"tables": [{"name", "columns": [[name, type]], "csv"}],
   "queries": [{"target": "duckdb"|"sqlite", "sql"}]}
where each CSV holds the rows as misq reads them (dates ISO, yes/no, plain
numbers, an empty field for a missing value) and type is misq's: category,
number, date or boolean. Writes JSON: one answer per query, {"rows": [...]}
or {"error": "..."}; with "sqlite_file" (and no tables), SQLite queries
run on that file; dates as ISO text, booleans as yes/no."""
import csv
import datetime
import decimal
import json
import sqlite3
import sys

import duckdb

job = json.load(sys.stdin)
duck = duckdb.connect()
# "sqlite_file": a database misq export wrote, read as it is (no tables made here).
lite = sqlite3.connect(job.get("sqlite_file", ":memory:"))
DUCK_TYPES = {"category": "VARCHAR", "number": "DOUBLE", "date": "DATE", "boolean": "BOOLEAN"}
# SQLite: dates as ISO text (they compare in day order), booleans as 0/1.
LITE_TYPES = {"category": "TEXT", "number": "REAL", "date": "TEXT", "boolean": "INTEGER"}


def q(name):
    return '"' + name.replace('"', '""') + '"'


def lite_value(v, t):
    if v is None or v == "":
        return None
    if t == "number":
        return float(v)
    if t == "boolean":
        return 1 if v == "yes" else 0
    return v


for table in job.get("tables", []):
    cols = table["columns"]
    casts = []
    for name, t in cols:
        x = "NULLIF(%s, '')" % q(name)
        if t == "boolean":
            casts.append("CASE %s WHEN 'yes' THEN TRUE WHEN 'no' THEN FALSE END AS %s" % (x, q(name)))
        else:
            casts.append("CAST(%s AS %s) AS %s" % (x, DUCK_TYPES[t], q(name)))
    path = table["csv"].replace("'", "''")
    duck.execute("CREATE TABLE %s AS SELECT %s FROM read_csv('%s', header = true, all_varchar = true, auto_detect = false, columns = {%s})"
                 % (q(table["name"]), ", ".join(casts), path, ", ".join("'%s': 'VARCHAR'" % n.replace("'", "''") for n, _ in cols)))
    lite.execute("CREATE TABLE %s (%s)" % (q(table["name"]), ", ".join("%s %s" % (q(n), LITE_TYPES[t]) for n, t in cols)))
    with open(table["csv"], newline="", encoding="utf-8") as f:
        reader = csv.reader(f)
        next(reader)
        lite.executemany("INSERT INTO %s VALUES (%s)" % (q(table["name"]), ", ".join("?" * len(cols))),
                         ([lite_value(v, t) for v, (_, t) in zip(row, cols)] for row in reader))


def plain(v):
    if isinstance(v, bool):
        return "yes" if v else "no"
    if isinstance(v, decimal.Decimal):
        return float(v)
    if isinstance(v, (datetime.date, datetime.datetime)):
        return v.isoformat()[:10]
    return v


answers = []
for query in job["queries"]:
    try:
        con = duck if query["target"] == "duckdb" else lite
        rows = con.execute(query["sql"]).fetchall()
        answers.append({"rows": [[plain(v) for v in r] for r in rows]})
    except Exception as e:  # noqa: BLE001 - the test reports the query and the engine's words
        answers.append({"error": str(e)})
json.dump(answers, sys.stdout)
