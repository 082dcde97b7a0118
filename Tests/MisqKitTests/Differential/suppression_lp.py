"""The attacker's intervals for suppressed two-way tables, by scipy's
linear programming (HiGHS), independent of misq's own simplex.

Reads JSON: a list of tables, each {"cells": [[n, ...], ...], "hidden":
[[bool, ...], ...], "rowHidden": [...], "columnHidden": [...],
"grandHidden": bool}. For every hidden cell (inner or total) writes
[low, high]: the least and greatest value it can take over non-negative
tables that agree with every published inner cell and total.
"""
import json
import sys

import numpy as np
from scipy.optimize import linprog


def intervals(t):
    cells = t["cells"]
    R, C = len(cells), len(cells[0])
    hid = t["hidden"]
    var = {}
    for i in range(R):
        for j in range(C):
            if hid[i][j]:
                var[(i, j)] = len(var)
    n = len(var)
    A, b = [], []

    def relation(members, value):
        row = np.zeros(n)
        known = 0
        for (i, j) in members:
            if (i, j) in var:
                row[var[(i, j)]] += 1
            else:
                known += cells[i][j]
        if row.any():
            A.append(row)
            b.append(value - known)

    for i in range(R):
        if not t["rowHidden"][i]:
            relation([(i, j) for j in range(C)], sum(cells[i]))
    for j in range(C):
        if not t["columnHidden"][j]:
            relation([(i, j) for i in range(R)], sum(cells[i][j] for i in range(R)))
    if not t["grandHidden"]:
        relation([(i, j) for i in range(R) for j in range(C)], sum(map(sum, cells)))

    def bounds(members):
        c = np.zeros(n)
        known = 0
        for (i, j) in members:
            if (i, j) in var:
                c[var[(i, j)]] += 1
            else:
                known += cells[i][j]
        if not c.any():
            return [known, known]
        out = []
        for sign in (1, -1):
            res = linprog(sign * c, A_eq=np.array(A) if A else None, b_eq=np.array(b) if b else None,
                          bounds=[(0, None)] * n, method="highs")
            if res.status == 3:
                out.append(None)
            else:
                assert res.status == 0, res.message
                out.append(known + sign * res.fun)
        return out

    result = {"cells": [], "rows": [], "columns": [], "grand": None}
    for i in range(R):
        for j in range(C):
            if hid[i][j]:
                result["cells"].append([i, j] + bounds([(i, j)]))
    for i in range(R):
        if t["rowHidden"][i]:
            result["rows"].append([i] + bounds([(i, j) for j in range(C)]))
    for j in range(C):
        if t["columnHidden"][j]:
            result["columns"].append([j] + bounds([(i, j) for i in range(R)]))
    if t["grandHidden"]:
        result["grand"] = bounds([(i, j) for i in range(R) for j in range(C)])
    return result


json.dump([intervals(t) for t in json.load(sys.stdin)], sys.stdout)
