#!/usr/bin/env python3
"""Spreadsheet load speed: a 1M-row XLSX read by misq, by python-calamine,
and the same rows as CSV read by misq (issue 22).

    MISQ=.build/release/misq python3 bench/sheets.py [ROWS] [OUTDIR]

The rows are datasets/centurion_synthetic.csv's, repeated with fresh ids
to ROWS (default 1,000,000). The XLSX is written here (zipfile, deflate):
text as shared strings (as Excel and LibreOffice write it), dates as
serials with a date style, yes/no as booleans. "Load" is what `misq
describe` needs, every column typed, with the cache off; for calamine,
`to_python()` of the sheet. Best of 3 wall-clock runs each; prints a
Markdown table for bench/RESULTS.md.
"""
import csv
import datetime
import os
import subprocess
import sys
import time
import zipfile
from xml.sax.saxutils import escape

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
EPOCH = datetime.date(1899, 12, 30)


def rows_of(n):
    with open(os.path.join(ROOT, "datasets", "centurion_synthetic.csv"), newline="") as f:
        r = csv.reader(f)
        header = next(r)
        base = list(r)
    out = []
    for k in range(n):
        row = list(base[k % len(base)])
        row[0] = "A%07d" % (k + 1)
        row[1] = "C%07d" % (k * 10 // 13 + 1)
        out.append(row)
    return header, out


def col(c):
    s = ""
    c += 1
    while c:
        c, r = divmod(c - 1, 26)
        s = chr(65 + r) + s
    return s


def write_xlsx(path, header, rows):
    dates = {k for k, h in enumerate(header) if h in ("reported", "finalised")}
    bools = {k for k, h in enumerate(header) if all(r[k] in ("yes", "no", "") for r in rows[:5000])}
    strings, index = [], {}

    def sst(s):
        if s not in index:
            index[s] = len(strings)
            strings.append(s)
        return index[s]

    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as z:
        z.writestr("[Content_Types].xml", '<?xml version="1.0"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
                   '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
                   '<Default Extension="xml" ContentType="application/xml"/>'
                   '<Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/>'
                   '<Override PartName="/xl/worksheets/sheet1.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/>'
                   '<Override PartName="/xl/sharedStrings.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sharedStrings+xml"/>'
                   '<Override PartName="/xl/styles.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.styles+xml"/></Types>')
        z.writestr("_rels/.rels", '<?xml version="1.0"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
                   '<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="xl/workbook.xml"/></Relationships>')
        z.writestr("xl/workbook.xml", '<?xml version="1.0"?><workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" '
                   'xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"><sheets><sheet name="cases" sheetId="1" r:id="rId1"/></sheets></workbook>')
        z.writestr("xl/_rels/workbook.xml.rels", '<?xml version="1.0"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
                   '<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" Target="worksheets/sheet1.xml"/>'
                   '<Relationship Id="rId2" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/sharedStrings" Target="sharedStrings.xml"/>'
                   '<Relationship Id="rId3" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/styles" Target="styles.xml"/></Relationships>')
        z.writestr("xl/styles.xml", '<?xml version="1.0"?><styleSheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
                   '<cellXfs count="2"><xf numFmtId="0"/><xf numFmtId="14" applyNumberFormat="1"/></cellXfs></styleSheet>')
        with z.open("xl/worksheets/sheet1.xml", "w", force_zip64=True) as f:
            f.write(b'<?xml version="1.0"?><worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData>')
            for r, row in enumerate([header] + rows):
                cells = []
                for c, v in enumerate(row):
                    ref = f"{col(c)}{r + 1}"
                    if v == "":
                        continue
                    if r > 0 and c in dates:
                        d = datetime.date.fromisoformat(v)
                        cells.append(f'<c r="{ref}" s="1"><v>{(d - EPOCH).days}</v></c>')
                    elif r > 0 and c in bools:
                        cells.append(f'<c r="{ref}" t="b"><v>{1 if v == "yes" else 0}</v></c>')
                    else:
                        cells.append(f'<c r="{ref}" t="s"><v>{sst(v)}</v></c>')
                f.write(f'<row r="{r + 1}">{"".join(cells)}</row>'.encode())
            f.write(b"</sheetData></worksheet>")
        with z.open("xl/sharedStrings.xml", "w", force_zip64=True) as f:
            f.write(f'<?xml version="1.0"?><sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" uniqueCount="{len(strings)}">'.encode())
            for s in strings:
                f.write(f"<si><t>{escape(s)}</t></si>".encode())
            f.write(b"</sst>")


def best(cmd, env=None, runs=3):
    times = []
    for _ in range(runs):
        t = time.perf_counter()
        subprocess.run(cmd, check=True, stdout=subprocess.DEVNULL, env=env)
        times.append(time.perf_counter() - t)
    return min(times)


def main():
    n = int(sys.argv[1]) if len(sys.argv) > 1 else 1_000_000
    out = sys.argv[2] if len(sys.argv) > 2 else "/tmp/misq-bench-sheets"
    os.makedirs(out, exist_ok=True)
    csv_path, xlsx_path = os.path.join(out, f"cases_{n}.csv"), os.path.join(out, f"cases_{n}.xlsx")
    if not os.path.exists(xlsx_path):
        header, rows = rows_of(n)
        with open(csv_path, "w", newline="") as f:
            w = csv.writer(f, lineterminator="\n")
            w.writerow(header)
            w.writerows(rows)
        write_xlsx(xlsx_path, header, rows)
    misq = os.environ.get("MISQ", os.path.join(ROOT, ".build", "release", "misq"))
    env = dict(os.environ, MISQ_CACHE="off")
    t_xlsx = best([misq, "--data", xlsx_path, "describe", f"cases_{n}"], env)
    t_csv = best([misq, "--data", csv_path, "describe", f"cases_{n}"], env)
    t_cal = best([sys.executable, "-c", "import sys; from python_calamine import CalamineWorkbook as W; "
                  "W.from_path(sys.argv[1]).get_sheet_by_index(0).to_python()", xlsx_path])
    mb = os.path.getsize(xlsx_path) / 1e6
    print(f"| rows | XLSX MB | misq XLSX s | python-calamine s | misq CSV s | XLSX / calamine | XLSX / CSV |")
    print(f"|---:|---:|---:|---:|---:|---:|---:|")
    print(f"| {n:,} | {mb:.1f} | {t_xlsx:.2f} | {t_cal:.2f} | {t_csv:.2f} | {t_xlsx / t_cal:.2f} | {t_xlsx / t_csv:.1f} |")


if __name__ == "__main__":
    main()
