"""tau-argus (PyPI pytauargus, its C++ core with HiGHS) against misq's
suppression, for TauArgusDifferentialTests.

Reads JSON on stdin: a list of two-way count tables, each
  {"cells": [[n, ...], ...], "threshold": n,
   "status": {"cells": [[s, ...], ...], "rows": [s, ...], "columns": [s, ...], "grand": s}}
with s one of "published", "primary", "secondary": misq's pattern.

Each table is made into microdata (one record per unit counted, a response
of 1), so tau-argus counts the same table, with the frequency rule
FREQ(threshold, 10): a cell of 1 to threshold-1 units is unsafe, as misq's
`under N`. tau-argus's empty cells are structural zeros a reader knows,
so the tables given here have none; and so its reader knows every cell
holds at least 1, where misq's knows only that none is negative.

For each table, writes JSON on stdout:
  "audit":  tau-argus's own audit (the port of intervalle, `AR+` in
            WRITETABLE) of misq's pattern, given as an a-priori file: each
            hidden cell with tau-argus's status (U primary, M secondary)
            and the realized interval [lower, upper] a reader can work out,
            as [row, column, status, lower, upper, lower protection level,
            upper protection level] (-1 for a total);
  "modular": tau-argus's modular method (HiTaS, MOD) on the same table
            from scratch: the cells it hides, primary and secondary, as
            [row, column, status, value].
"""
import json
import os
import shutil
import sys
import tempfile

import pytauargus.engine as engine
from pytauargus import protect
from pytauargus.engine import run_batch

# The a-priori bounds tau-argus's reader has of each cell, as the audit's
# input file (JJ format) states them: kept from the audit_jj call.
_jj_cells = []
_audit_jj = engine.audit_jj


def _keeping_bounds(path):
    _jj_cells.clear()
    with open(path, encoding="utf-8") as fh:
        lines = fh.read().splitlines()
    for line in lines[2:2 + int(lines[1])]:
        f = line.split()
        _jj_cells.append((float(f[4]), float(f[5])))
    return _audit_jj(path)


engine.audit_jj = _keeping_bounds


def microdata(cells):
    data = {"r": [], "c": [], "one": []}
    for i, row in enumerate(cells):
        for j, v in enumerate(row):
            for _ in range(int(v)):
                # Codes of one width: tau-argus pads codes to the variable's length.
                data["r"].append("r%02d" % i)
                data["c"].append("c%02d" % j)
                data["one"].append(1)
    return data


def place(code):
    """A .tab code back to an index; -1 for the total."""
    code = code.strip().strip('"')
    return -1 if code == "Total" else int(code[1:])


def read_tab(path):
    out = []
    with open(path, encoding="utf-8") as fh:
        for line in fh:
            f = line.rstrip("\n").split(";")
            if len(f) < 8:
                continue
            out.append(f)
    return out


def audit(t, work):
    """misq's pattern, audited by tau-argus."""
    rule = "FREQ(%d,10)" % t["threshold"]
    res = protect(microdata(t["cells"]), tables=["r", "c"], response="one",
                  safety_rules=rule, workdir=work, run=False)
    s = t["status"]
    lines = []
    R, C = len(t["cells"]), len(t["cells"][0])
    # The secondary cells as misq hid them; the primary ones tau-argus's
    # own rule marks (the test checks it marks the same ones).
    for i in range(R):
        for j in range(C):
            if s["cells"][i][j] == "secondary":
                lines.append("r%02d;c%02d;M" % (i, j))
    for i in range(R):
        if s["rows"][i] == "secondary":
            lines.append("r%02d;Total;M" % i)
    for j in range(C):
        if s["columns"][j] == "secondary":
            lines.append("Total;c%02d;M" % j)
    if s["grand"] == "secondary":
        lines.append("Total;Total;M")
    arb = open(res.files["arb"]).read()
    tab = os.path.join(work, "audit.tab")
    # The generated batch, without its suppression (protect's default is
    # OPT) and its output: misq's pattern is the one audited.
    body = "".join(l for l in arb.splitlines(True)
                   if not l.startswith(("<SUPPRESS>", "<WRITETABLE>")))
    if lines:
        apri = os.path.join(work, "apriori.txt")
        with open(apri, "w") as fh:
            fh.write("\n".join(lines) + "\n")
        body += '<APRIORY> "%s",1,";"\n' % apri
    body += '<WRITETABLE> (1,5,AR+SO+,"%s")\n' % tab
    path = os.path.join(work, "audit.arb")
    with open(path, "w") as fh:
        fh.write(body)
    run_batch(path)
    out, bounds = [], []
    # The .tab file lists the cells in the order the JJ file numbers them.
    for k, f in enumerate(read_tab(tab)):
        # codes; value; freq; cost; ...; status; lpl; upl; rlower; rupper; width; ...
        status = f[6]
        if status in ("U", "M"):
            out.append([place(f[0]), place(f[1]), status, float(f[9]), float(f[10]),
                        float(f[7]), float(f[8])])
        if k < len(_jj_cells):
            bounds.append([place(f[0]), place(f[1]), _jj_cells[k][0], _jj_cells[k][1]])
    return out, bounds


def modular(t, work):
    rule = "FREQ(%d,10)" % t["threshold"]
    res = protect(microdata(t["cells"]), tables=["r", "c"], response="one",
                  safety_rules=rule, suppress="MOD(1)", workdir=work)
    out = []
    for r in res.tables[0].rows:
        if r["status"] in ("U", "M"):
            out.append([place(r["r"]), place(r["c"]), r["status"], r["one"]])
    return out


def main():
    tables = json.load(sys.stdin)
    answers = []
    # The modular method writes its logs (HiTaS.log, JJUit.dat, …) into
    # the working directory: a scratch one, not the caller's.
    scratch = tempfile.mkdtemp(prefix="misq-tauargus-")
    os.chdir(scratch)
    for t in tables:
        with tempfile.TemporaryDirectory() as a, tempfile.TemporaryDirectory() as m:
            found, bounds = audit(t, a)
            answers.append({"audit": found, "bounds": bounds, "modular": modular(t, m)})
    json.dump(answers, sys.stdout)
    shutil.rmtree(scratch, ignore_errors=True)


if __name__ == "__main__":
    main()
