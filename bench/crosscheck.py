#!/usr/bin/env python3
"""Cross-check misq against DuckDB on the same CSV: each pair is a misq query
and the SQL a careful analyst would write for it. Exits 1 on any difference.

    pip install duckdb && swift build -c release && python3 bench/crosscheck.py
"""
import csv, io, subprocess, sys
import duckdb

MISQ = ".build/release/misq"  # or the first argument
CSV = "datasets/centurion_synthetic.csv"

def connect(path=CSV):
    """DuckDB over the CSV, with misq's shipped definitions as columns (see
    datasets/definitions.misq). Also used by bench/suite.py."""
    con = duckdb.connect()
    con.execute(f"""
    create table t as select *,
      (allegation_type in ('Rape','Sexual assault','Abuse of position for a sexual purpose','Other sexual conduct')
       or (allegation_type = 'Discreditable conduct' and (sexual_element or domestic_element))) as vawg,
      (allegation_type in ('Rape','Sexual assault','Abuse of position for a sexual purpose','Other sexual conduct') or sexual_element) as sexual_misconduct,
      (severity = 'Gross misconduct' and outcome in ('Dismissal with notice','Dismissal without notice','Would have been dismissed')) as gm_dismissal
    from read_csv('{path}', header=true)
    """)
    return con

FY = "case when month(reported) >= 4 then year(reported) else year(reported) - 1 end"
PAIRS = [
    ("count allegations", "select count(*) from t"),
    ("count cases", "select count(distinct case_id) from t"),
    ("count individuals", "select count(distinct officer_id) from t"),
    ("count distinct command", "select count(distinct command) from t"),
    ("count cases where vawg", "select count(distinct case_id) from t where vawg"),
    ("count cases where vawg and period 2022-05..2023-05 by outcome",
     "select outcome, count(distinct case_id) from t where vawg and reported >= '2022-05-01' and reported < '2023-05-01' group by 1"),
    ("count allegations by year",
     "select year(reported), count(*) from t group by 1"),
    ("count allegations by fy", f"select 'FY' || ({FY}) || '/' || lpad((({FY}) + 1) % 100 || '', 2, '0'), count(*) from t group by 1"),
    ("count cases by source, severity",
     "select source, severity, count(distinct case_id) from t group by 1, 2"),
    ("count individuals where suspended by role",
     "select role, count(distinct officer_id) from t where suspended group by 1"),
    ("count distinct officer_id where suspended", "select count(distinct officer_id) from t where suspended"),
    ("count allegations where outcome != pending", "select count(*) from t where outcome <> 'Pending'"),
    ("count allegations where not outcome = pending", "select count(*) from t where outcome is distinct from 'Pending'"),
    ("count allegations where finalised is missing", "select count(*) from t where finalised is null"),
    ("count allegations where proceeding is not missing by proceeding",
     "select proceeding, count(*) from t where proceeding is not null group by 1"),
    ("count allegations where outcome in (dismissal_with_notice, dismissal_without_notice) by year(finalised)",
     "select year(finalised), count(*) from t where outcome in ('Dismissal with notice','Dismissal without notice') group by 1"),
    ("count cases where vawg and period FY2022/23 by quarter",
     "select year(reported) || '-Q' || quarter(reported), count(distinct case_id) from t where vawg and reported between '2022-04-01' and '2023-03-31' group by 1"),
    ("count allegations where (domestic_element or sexual_misconduct) and role = officer and period 2017-01 through 2022-06 by year",
     "select year(reported), count(*) from t where (domestic_element or sexual_misconduct) and role = 'Officer' and reported between '2017-01-01' and '2022-06-30' group by 1"),
    ("count individuals where vawg and period 2021-10..2022-04 by source",
     "select source, count(distinct officer_id) from t where vawg and reported >= '2021-10-01' and reported < '2022-04-01' group by 1"),
    ("count cases where daso_unit and reported in 2023-05..2024-05",
     "select count(distinct case_id) from t where daso_unit and reported >= '2023-05-01' and reported < '2024-05-01'"),
    ("count individuals where gm_dismissal and finalised in 2023-05..2024-05 by daso_unit",
     "select daso_unit, count(distinct officer_id) from t where gm_dismissal and finalised >= '2023-05-01' and finalised < '2024-05-01' group by 1"),
    ("count allegations where reported < 2015", "select count(*) from t where reported < '2015-01-01'"),
    ("count allegations where reported >= 2023-Q3", "select count(*) from t where reported >= '2023-07-01'"),
    ("count allegations where reported <= 2012", "select count(*) from t where reported <= '2012-12-31'"),
    ("count cases by command across source",
     "select command, source, count(distinct case_id) from t group by 1, 2"),
    ("count allegations by channel across year(reported)",
     "select channel, year(reported), count(*) from t group by 1, 2"),
    ("count allegations by allegation_type order by count desc top 5",
     "select allegation_type, count(*) from t group by 1 order by 2 desc limit 5"),
    ("count cases where channel = internal_anonymous_reporting and source = internal_conduct by year",
     "select year(reported), count(distinct case_id) from t where channel = 'Internal anonymous reporting' and source = 'Internal conduct' group by 1"),
    ("count individuals where vawg and finalised is not missing and still_serving and reported in 2012-04 through 2022-04",
     "select count(distinct officer_id) from t where vawg and finalised is not null and still_serving and reported between '2012-04-01' and '2022-04-30'"),
    ("count allegations where command = parliamentary_estate and criminal_allegation by suspended, restricted",
     "select suspended, restricted, count(*) from t where command = 'Parliamentary estate' and criminal_allegation group by 1, 2"),
    ("count cases where linked_criminal_investigation and not criminal_allegation",
     "select count(distinct case_id) from t where linked_criminal_investigation and not criminal_allegation"),
    ("count individuals by sex, gender", "select sex, gender, count(distinct officer_id) from t group by 1, 2"),
    ("count cases where vawg by month(reported) order by count desc top 3",
     "select strftime(reported, '%Y-%m'), count(distinct case_id) from t where vawg group by 1 order by 2 desc, 1 limit 3"),
    ("count allegations where outcome not in (pending, discontinued) and severity = gross_misconduct",
     "select count(*) from t where outcome not in ('Pending','Discontinued') and severity = 'Gross misconduct'"),
]

def norm(v):
    if v is None or v == "" or v == "(missing)":
        return "(missing)"
    if isinstance(v, bool):
        return "yes" if v else "no"
    s = str(v)
    try:
        f = float(s)
        return str(int(f)) if f == int(f) else f"{f:.6f}"
    except ValueError:
        return s

def misq_rows(query):
    out = subprocess.run([MISQ, "--format", "csv", "-e", query], capture_output=True, text=True)
    if out.returncode != 0:
        raise RuntimeError(out.stderr)
    rows = list(csv.reader(io.StringIO(out.stdout)))
    header, body = rows[0], rows[1:]
    return header, body

def main():
    global MISQ
    MISQ = sys.argv[1] if len(sys.argv) > 1 else MISQ
    con = connect()
    failures = 0
    for query, sql in PAIRS:
        header, body = misq_rows(query)
        duck = con.execute(sql).fetchall()
        if " across " in query:
            # misq pivots; unpivot its cells (zero cells are absent groups in SQL).
            keys = 1
            flat = []
            for r in body:
                for label, cell in zip(header[keys:], r[keys:]):
                    if cell not in ("0", ""):
                        flat.append(tuple(norm(x) for x in (r[0], label, cell)))
            got = sorted(flat)
        else:
            got = sorted(tuple(norm(x) for x in r) for r in body)
        want = sorted(tuple(norm(x) for x in r) for r in duck)
        ok = got == want
        failures += not ok
        print(("ok   " if ok else "DIFF ") + query + ("" if ok else f"\n  misq:   {got[:6]}\n  duckdb: {want[:6]}"))
    print(f"{len(PAIRS) - failures} passed, {failures} failed")
    sys.exit(1 if failures else 0)


if __name__ == "__main__":
    main()
