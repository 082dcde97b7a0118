#!/usr/bin/env python3
"""Re-creates, in the shape of a published statistics table, the NPCC VAWG
figures already transcribed in ../npcc_vawg_2023.csv, and has LibreOffice
save it as npcc_vawg_2023_recreated.ods.

THIS IS NOT THE PUBLISHER'S SPREADSHEET. The Home Office's police workforce
and misconduct ODS tables could not be fetched on the machine that made
this (no network but package registries), so misq ships no publisher's
workbook yet. This file exists to exercise the spreadsheet reader on the
published-table shape (title and notes rows, a two-row header with merged
cells, a `[x]` marker, a source line below) with figures that the seeds
vouch for, and its every figure is checked against the CSV
(SpreadsheetShippedTests).

    python3 datasets/spreadsheets/make_recreation.py     (needs openpyxl, soffice)
"""
import csv
import datetime
import os
import shutil
import subprocess
import tempfile

import openpyxl

HERE = os.path.dirname(os.path.abspath(__file__))


def figures():
    rows = {}
    with open(os.path.join(HERE, "..", "npcc_vawg_2023.csv"), newline="") as f:
        for r in csv.DictReader(f):
            if not r["period_start"]:
                continue
            key = (r["force"], r["period_start"], r["period_end"])
            rows.setdefault(key, {})[(r["source"], r["measure"])] = float(r["value"])
    return rows


def main():
    columns = [("All sources", "cases", "Cases"), ("All sources", "allegations", "Allegations"),
               ("Internal conduct", "cases", "Cases"), ("Internal conduct", "individuals", "Individuals"),
               ("Public complaint", "cases", "Cases"), ("Public complaint", "individuals", "Individuals"),
               ("All sources", "workforce_percent", "Percent")]
    wb = openpyxl.Workbook()
    cover = wb.active
    cover.title = "Cover sheet"
    cover.append(["Police-perpetrated violence against women and girls: cases and allegations (RE-CREATION)"])
    cover.append(["Not the publisher's file: re-created by misq from figures transcribed in datasets/npcc_vawg_2023.csv"])
    ws = wb.create_sheet("Table 1")
    ws.append(["Table 1: Police-perpetrated VAWG cases, allegations and individuals, by area and period [RE-CREATION, not the NPCC's spreadsheet]"])
    ws.append(["This worksheet contains one table. [x] marks a figure the statement does not give."])
    top = ["Area", "Period start", "Period end", "All sources", None, "Internal conduct", None, "Public complaint", None, "Workforce"]
    ws.append(top)
    ws.merge_cells("D3:E3")
    ws.merge_cells("F3:G3")
    ws.merge_cells("H3:I3")
    ws.append([None, None, None] + [c[2] for c in columns])
    for (force, start, end), vals in sorted(figures().items(), key=lambda kv: (kv[0][1], kv[0][0] != "National")):
        row = [force + (" (update)" if start != "2021-10-01" else ""),
               datetime.date.fromisoformat(start), datetime.date.fromisoformat(end)]
        for source, measure, _ in columns:
            v = vals.get((source, measure))
            row.append("[x]" if v is None else (int(v) if v == int(v) else v))
        ws.append(row)
    for r in ws.iter_rows(min_row=5, min_col=2, max_col=3):
        for c in r:
            c.number_format = "dd/mm/yyyy"
    ws.append([])
    ws.append(["Source: re-created by misq from datasets/npcc_vawg_2023.csv (Metropolitan Police Service statement on the NPCC VAWG report); not the publisher's spreadsheet"])
    ws.append(["Note: workforce is the percentage of the police workforce, as the statement gives it"])
    with tempfile.TemporaryDirectory() as tmp:
        xlsx = os.path.join(tmp, "npcc_vawg_2023_recreated.xlsx")
        wb.save(xlsx)
        soffice = shutil.which("soffice") or shutil.which("libreoffice")
        subprocess.run([soffice, f"-env:UserInstallation=file://{tmp}/profile", "--headless", "--convert-to", "ods",
                        "--outdir", HERE, xlsx], check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, timeout=300)


if __name__ == "__main__":
    main()
