# Expected figures for PercentileTests.swift, from DuckDB on closures.csv:
#   python3 duckdb_expected.py
# prints the Swift table pasted into the test. P/100 is passed as the
# decimal literal (0.333 for P = 33.3), as misq reads it.
import duckdb
from decimal import Decimal

c = duckdb.connect()
c.sql("create table t as select * from read_csv('closures.csv', header=true)")

def cell(v):
    if v is None: return "nil"
    if isinstance(v, float): return repr(v)
    return '"%s"' % v.isoformat()

print("// DuckDB %s" % duckdb.__version__)
for p in ["0", "10", "25", "33.3", "50", "90", "99.5", "100"]:
    q = str(Decimal(p) / 100)
    rows = c.sql(f"select outcome, quantile_cont(days_to_close, {q}), quantile_disc(closed, {q}) from t group by all order by outcome").fetchall()
    overall = c.sql(f"select quantile_cont(days_to_close, {q}), quantile_disc(closed, {q}) from t").fetchall()[0]
    groups = ", ".join('"%s": (%s, %s)' % (o, cell(v), cell(d)) for o, v, d in rows)
    print('("%s", [%s], (%s, %s)),' % (p, groups, cell(overall[0]), cell(overall[1])))
for label, sql in [
    ("where", "select quantile_cont(days_to_close, 0.9) from t where outcome <> 'Upheld'"),
    ("top", "select outcome, quantile_cont(days_to_close, 0.75) v from t group by all order by v desc nulls last limit 2"),
    ("across", "select outcome, year(closed), quantile_cont(days_to_close, 0.5) from t where closed is not null group by all order by all"),
]:
    print("// %s: %s" % (label, c.sql(sql).fetchall()))
