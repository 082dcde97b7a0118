#!/usr/bin/env python3
"""Writes the spreadsheet corpus the differential tests read
(SpreadsheetDifferentialTests): workbooks made by openpyxl, the same
converted by LibreOffice (`soffice --headless --convert-to`, which also
calculates formulas and stores their values, and writes ODS's repeated rows
and columns), and ODS files with huge repeats written by odfpy.

    make_corpus.py OUTDIR

Nothing here is committed output: the corpus is made afresh each run.
Needs openpyxl and odfpy; LibreOffice is used when `soffice` is on PATH.
"""
import datetime
import os
import shutil
import subprocess
import sys

import openpyxl
from openpyxl.utils.datetime import CALENDAR_MAC_1904


def types_book(path, epoch1904=False):
    wb = openpyxl.Workbook()
    if epoch1904:
        wb.epoch = CALENDAR_MAC_1904
    ws = wb.active
    ws.title = "Types"
    ws.append(["id", "count", "ratio", "when", "stamp", "flag", "note"])
    rows = [
        ["007", 1131, 0.5, datetime.date(2023, 3, 31), datetime.datetime(2021, 1, 2, 12, 30), True, "plain"],
        ["008", -4, 1e-7, datetime.date(1904, 1, 2), datetime.datetime(1999, 12, 31, 0, 0), False, "ünïcødé ✓"],
        ["009", 12345678901, 3.141592653589793, datetime.date(2000, 2, 29), None, True, "1,131"],
        ["010", 0, -0.25, datetime.date(1970, 1, 1), datetime.datetime(2024, 2, 29, 23, 59, 59), None, "  spaced  "],
        ["011", None, 2.5, None, None, False, "line\nbreak"],
    ]
    for r in rows:
        ws.append(r)
    for row in ws.iter_rows(min_row=2, min_col=4, max_col=4):
        for c in row:
            c.number_format = "dd/mm/yyyy"
    ws2 = wb.create_sheet("Second")
    ws2.append(["k", "v"])
    ws2.append(["a", 1])
    # Times of day and durations under a day (LibreOffice writes both as
    # ODS time values; python-calamine reads an ODS duration past 24 hours
    # as its text, so none is here), a date format on a fraction of a day.
    ws3 = wb.create_sheet("Times")
    ws3.append(["clock", "seconds", "elapsed", "dated"])
    for t, s, e, d in [(datetime.time(9, 30), datetime.time(23, 59, 59), datetime.timedelta(minutes=45), 0.25),
                       (datetime.time(0, 0), datetime.time(12, 0, 1), datetime.timedelta(hours=23, minutes=1), 0.5)]:
        ws3.append([t, s, e, d])
    for row in ws3.iter_rows(min_row=2):
        row[0].number_format = "h:mm"
        row[1].number_format = "h:mm:ss"
        row[2].number_format = "[h]:mm"
        row[3].number_format = "dd/mm/yyyy"
    wb.save(path)


def formulas_book(path):
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "Formulas"
    ws.append(["a", "b", "sum", "text", "div", "isbig"])
    for k in range(1, 6):
        ws.append([k, k * 10, f"=A{k+1}+B{k+1}", f'="x"&A{k+1}', f"=B{k+1}/(A{k+1}-3)", f"=B{k+1}>25"])
    wb.save(path)


def merged_book(path):
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "Merged"
    ws.append(["Region", "2022", None, "2023", None])
    ws.merge_cells("B1:C1")
    ws.merge_cells("D1:E1")
    ws.append([None, "Officers", "Staff", "Officers", "Staff"])
    ws.append(["North", 100, 50, 110, 55])
    ws.append(["South", 200, 80, 210, 82])
    ws.merge_cells("A5:A6")
    ws.append(["East", 1, 2, 3, 4])
    ws.append([None, 5, 6, 7, 8])
    wb.save(path)


def published_book(path):
    wb = openpyxl.Workbook()
    cover = wb.active
    cover.title = "Cover sheet"
    cover.append(["Police workforce tables (corpus, not real figures)"])
    ws = wb.create_sheet("Table 3")
    ws.append(["Table 3: Officers by force, 31 March 2022 and 2023 [note 1]"])
    ws.append(["This worksheet contains one table. Some cells refer to notes which can be found in the notes worksheet."])
    ws.append(["Force", "2022", None, "2023", None])
    ws.merge_cells("B3:C3")
    ws.merge_cells("D3:E3")
    ws.append([None, "Officers", "Staff", "Officers", "Staff"])
    ws.append(["Avon", 3000, 2000, 3100, "[c]"])
    ws.append(["Bedford", 1200, "[x]", 1300, 900])
    ws.append(["Cleveland", 1400, 800, "..", 810])
    ws.append(["Dorset", "[z]", 700, 1500, "-"])
    ws.append([])
    ws.append(["Source: corpus generator, not the Home Office"])
    ws.append(["Note 1: figures are full-time equivalent"])
    wb.save(path)


def repeats_ods(path):
    """An ODS whose sheet claims a million empty rows and 16,384 columns."""
    from odf.opendocument import OpenDocumentSpreadsheet
    from odf.table import Table, TableRow, TableCell
    from odf.text import P
    doc = OpenDocumentSpreadsheet()
    t = Table(name="Repeats")
    def row(values, repeat=None):
        tr = TableRow() if repeat is None else TableRow(numberrowsrepeated=repeat)
        for v in values:
            if v is None:
                tr.addElement(TableCell())
            elif isinstance(v, tuple):
                value, rep = v
                c = TableCell(valuetype="float", value=value, numbercolumnsrepeated=rep)
                c.addElement(P(text=str(value)))
                tr.addElement(c)
            elif isinstance(v, str):
                c = TableCell(valuetype="string")
                c.addElement(P(text=v))
                tr.addElement(c)
            else:
                c = TableCell(valuetype="float", value=v)
                c.addElement(P(text=str(v)))
                tr.addElement(c)
        tr.addElement(TableCell(numbercolumnsrepeated=16380))
        t.addElement(tr)
    row(["a", "b", "c"])
    row([1, 2, 3])
    row([(7, 3)], repeat=4)
    row([4, 5, 6])
    empty = TableRow(numberrowsrepeated=1048000)
    empty.addElement(TableCell(numbercolumnsrepeated=16384))
    t.addElement(empty)
    doc.spreadsheet.addElement(t)
    doc.save(path)


def libreoffice(src, fmt, outdir):
    soffice = shutil.which("soffice") or shutil.which("libreoffice")
    if not soffice:
        return
    os.makedirs(outdir, exist_ok=True)
    profile = "file://" + os.path.abspath(os.path.join(outdir, ".profile"))
    subprocess.run([soffice, f"-env:UserInstallation={profile}", "--headless", "--convert-to", fmt, "--outdir", outdir, src],
                   check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, timeout=300)


def main():
    out = sys.argv[1]
    os.makedirs(out, exist_ok=True)
    made = []
    for name, make in [("types.xlsx", types_book), ("formulas.xlsx", formulas_book), ("merged.xlsx", merged_book),
                       ("published.xlsx", published_book)]:
        make(os.path.join(out, name))
        made.append(name)
    types_book(os.path.join(out, "types1904.xlsx"), epoch1904=True)
    made.append("types1904.xlsx")
    repeats_ods(os.path.join(out, "repeats.ods"))
    lo = os.path.join(out, "lo")
    for name in made:
        for fmt in ("ods", "xlsx"):
            libreoffice(os.path.join(out, name), fmt, lo)


if __name__ == "__main__":
    main()
