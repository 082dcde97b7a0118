"""The attacker of several published tables over the same records, by
scipy's linear programming (HiGHS), independent of misq's own model.

Reads JSON {"records": CSV path, "tables": [{"keys": [column, ...],
"across": column or null, "where": {column: label, ...} or absent, "csv":
the table as misq --format csv prints it}]}. A table with "where" counts
only the records with those labels. The unknowns are the counts of
records in every combination of the labels of all the tables' key and
where columns (the attacker knows the labels, not which combinations are
empty); every published figure of every table (inner cells, Total row and
column) is an equation. For every [c] cell,
writes {"table", "cell", "value" (its true count, from the records),
"low", "high"}: the least and greatest value it can take.
"""
import csv
import io
import itertools
import json
import sys

import numpy as np
from scipy.optimize import linprog

job = json.load(sys.stdin)
with open(job["records"], newline="") as f:
    records = list(csv.DictReader(f))
columns = []
for t in job["tables"]:
    for k in t["keys"] + ([t["across"]] if t["across"] else []) + list(t.get("where", {})):
        if k not in columns:
            columns.append(k)
labels = [sorted({r[c] for r in records}) for c in columns]
atoms = list(itertools.product(*labels))
place = {a: i for i, a in enumerate(atoms)}
truth = np.zeros(len(atoms))
for r in records:
    truth[place[tuple(r[c] for c in columns)]] += 1

figures = []  # (table, name, members, published value or None)
for ti, t in enumerate(job["tables"]):
    rows = list(csv.reader(io.StringIO(t["csv"])))
    header, body = rows[0], rows[1:]
    nk = len(t["keys"])
    value_columns = header[nk:]

    def members(row_labels, column):
        want = {columns.index(c): v for c, v in t.get("where", {}).items()}
        for k, v in zip(t["keys"], row_labels):
            if v is not None:
                want[columns.index(k)] = v
        if t["across"] and column is not None:
            want[columns.index(t["across"])] = column
        return [i for i, a in enumerate(atoms) if all(a[p] == v for p, v in want.items())]

    for row in body:
        is_total = row[0] == "Total"
        row_labels = [None] * nk if is_total else row[:nk]
        for name, text in zip(value_columns, row[nk:]):
            if name == "Total" or not t["across"]:
                column = None
            else:
                column = name
            ms = members(row_labels, column)
            value = None if text == "[c]" else float(text.replace(",", ""))
            label = "Total" if is_total else ", ".join(row[:nk])
            figures.append((ti, label + ("" if column is None and t["across"] else "") + (f" | {name}" if t["across"] else ""), ms, value))

A, b = [], []
for _, _, ms, v in figures:
    if v is not None:
        row = np.zeros(len(atoms))
        row[ms] = 1
        A.append(row)
        b.append(v)
A, b = np.array(A), np.array(b)
out = []
for ti, name, ms, v in figures:
    if v is not None:
        continue
    c = np.zeros(len(atoms))
    c[ms] = 1
    bounds = []
    for sign in (1, -1):
        res = linprog(sign * c, A_eq=A, b_eq=b, bounds=[(0, None)] * len(atoms), method="highs")
        assert res.status == 0, res.message
        bounds.append(round(sign * res.fun, 6))
    out.append({"table": ti, "cell": name, "value": float(truth[ms].sum()), "low": bounds[0], "high": bounds[1]})
json.dump(out, sys.stdout)
