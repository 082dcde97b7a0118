-- misq: count cases
-- target: postgres
WITH
  -- scan dataset allegations
  scanned AS (
    SELECT * FROM "allegations"
  )
SELECT COUNT(DISTINCT "case_id") AS "cases"
FROM scanned;

-- misq: count allegations by outcome
-- target: postgres
WITH
  -- scan dataset allegations
  scanned AS (
    SELECT * FROM "allegations"
  ),
  -- the group keys, labelled as misq labels them
  keyed AS (
    SELECT *, "outcome" AS "key outcome" FROM scanned
  ),
  -- each group, and each total measured over all its rows (never a sum of the groups)
  measured AS (
    SELECT "key outcome", COUNT(*) AS "allegations",
           CASE WHEN GROUPING("key outcome") = 0 THEN 'group' WHEN GROUPING("key outcome") = 1 THEN 'total' END AS misq_row
    FROM keyed
    GROUP BY GROUPING SETS (("key outcome"), ())
  ),
  -- order the groups
  ordered AS (
    SELECT *, ROW_NUMBER() OVER (PARTITION BY misq_row ORDER BY CASE WHEN "key outcome" IS NULL THEN 1 ELSE 0 END, LOWER("key outcome") COLLATE "C", "key outcome" COLLATE "C") AS misq_position FROM measured
  )
SELECT "key outcome" AS "outcome", "allegations", misq_row
FROM ordered
ORDER BY CASE misq_row WHEN 'group' THEN 0 WHEN 'total' THEN 1 END, misq_position;

-- misq: count cases where vawg by outcome with total
-- target: postgres
WITH
  -- scan dataset allegations
  scanned AS (
    SELECT * FROM "allegations"
  ),
  -- keep the rows the condition admits (periods as half-open day ranges)
  filtered AS (
    SELECT * FROM scanned
    WHERE ("allegation_type" IN ('Rape', 'Sexual assault', 'Abuse of position for a sexual purpose', 'Other sexual conduct')) OR (("allegation_type" = 'Discreditable conduct') AND ("sexual_element" = TRUE))
  ),
  -- the group keys, labelled as misq labels them
  keyed AS (
    SELECT *, "outcome" AS "key outcome" FROM filtered
  ),
  -- each group, and each total measured over all its rows (never a sum of the groups)
  measured AS (
    SELECT "key outcome", COUNT(DISTINCT "case_id") AS "cases",
           CASE WHEN GROUPING("key outcome") = 0 THEN 'group' WHEN GROUPING("key outcome") = 1 THEN 'total' END AS misq_row
    FROM keyed
    GROUP BY GROUPING SETS (("key outcome"), ())
  ),
  -- order the groups
  ordered AS (
    SELECT *, ROW_NUMBER() OVER (PARTITION BY misq_row ORDER BY CASE WHEN "key outcome" IS NULL THEN 1 ELSE 0 END, LOWER("key outcome") COLLATE "C", "key outcome" COLLATE "C") AS misq_position FROM measured
  )
SELECT "key outcome" AS "outcome", "cases", misq_row
FROM ordered
ORDER BY CASE misq_row WHEN 'group' THEN 0 WHEN 'total' THEN 1 END, misq_position;

-- misq: count cases where outcome in (dismissal_without_notice, "Written warning") by year
-- target: postgres
WITH
  -- scan dataset allegations
  scanned AS (
    SELECT * FROM "allegations"
  ),
  -- keep the rows the condition admits (periods as half-open day ranges)
  filtered AS (
    SELECT * FROM scanned
    WHERE "outcome" IN ('Dismissal without notice', 'Written warning')
  ),
  -- the group keys: labels, and the numbers each time bucket is made of
  keyed AS (
    SELECT *, CAST(EXTRACT(YEAR FROM "reported") AS INTEGER) AS "part year 1" FROM filtered
  ),
  -- each group, and each total measured over all its rows (never a sum of the groups)
  measured AS (
    SELECT "part year 1", COUNT(DISTINCT "case_id") AS "cases",
           CASE WHEN GROUPING("part year 1") = 0 THEN 'group' WHEN GROUPING("part year 1") = 1 THEN 'total' END AS misq_row
    FROM keyed
    GROUP BY GROUPING SETS (("part year 1"), ())
  ),
  -- each time bucket's label, made once for each group from its numbers
  labelled AS (
    SELECT *, CAST("part year 1" AS TEXT) AS "key year" FROM measured
  ),
  -- order the groups
  ordered AS (
    SELECT *, ROW_NUMBER() OVER (PARTITION BY misq_row ORDER BY CASE WHEN "key year" IS NULL THEN 1 ELSE 0 END, "key year" COLLATE "C") AS misq_position FROM labelled
  )
SELECT "key year" AS "year", "cases", misq_row
FROM ordered
ORDER BY CASE misq_row WHEN 'group' THEN 0 WHEN 'total' THEN 1 END, misq_position;

-- misq: count cases where not outcome = dismissal_without_notice
-- target: postgres
WITH
  -- scan dataset allegations
  scanned AS (
    SELECT * FROM "allegations"
  ),
  -- keep the rows the condition admits (periods as half-open day ranges)
  filtered AS (
    SELECT * FROM scanned
    WHERE NOT COALESCE("outcome" = 'Dismissal without notice', FALSE)
  )
SELECT COUNT(DISTINCT "case_id") AS "cases"
FROM filtered;

-- misq: count cases where outcome != dismissal_without_notice and reported in 2022
-- target: postgres
-- period: reported in [2022-01-01, 2023-01-01) (half-open: the first day in, the last day out)
WITH
  -- scan dataset allegations
  scanned AS (
    SELECT * FROM "allegations"
  ),
  -- keep the rows the condition admits (periods as half-open day ranges)
  filtered AS (
    SELECT * FROM scanned
    WHERE ((NOT COALESCE("outcome" = 'Dismissal without notice', FALSE)) AND (NOT COALESCE("outcome" IS NULL, FALSE))) AND ("reported" >= DATE '2022-01-01' AND "reported" < DATE '2023-01-01')
  )
SELECT COUNT(DISTINCT "case_id") AS "cases"
FROM filtered;

-- misq: count individuals where vawg across fy with percent
-- target: postgres
WITH
  -- scan dataset allegations
  scanned AS (
    SELECT * FROM "allegations"
  ),
  -- keep the rows the condition admits (periods as half-open day ranges)
  filtered AS (
    SELECT * FROM scanned
    WHERE ("allegation_type" IN ('Rape', 'Sexual assault', 'Abuse of position for a sexual purpose', 'Other sexual conduct')) OR (("allegation_type" = 'Discreditable conduct') AND ("sexual_element" = TRUE))
  ),
  -- the group keys: labels, and the numbers each time bucket is made of
  keyed AS (
    SELECT *, (CAST(EXTRACT(YEAR FROM "reported") AS INTEGER) - CASE WHEN CAST(EXTRACT(MONTH FROM "reported") AS INTEGER) < 4 THEN 1 ELSE 0 END) AS "part fy 1" FROM filtered
  ),
  -- each group, and each total measured over all its rows (never a sum of the groups)
  measured AS (
    SELECT "part fy 1", COUNT(DISTINCT "officer_id") AS "individuals",
           CASE WHEN GROUPING("part fy 1") = 0 THEN 'cell' WHEN GROUPING("part fy 1") = 1 THEN 'total' END AS misq_row
    FROM keyed
    GROUP BY GROUPING SETS (("part fy 1"), ())
  ),
  -- each time bucket's label, made once for each group from its numbers
  labelled AS (
    SELECT *, 'FY' || CAST("part fy 1" AS TEXT) || '/' || RIGHT(CAST("part fy 1" + 1 AS TEXT), 2) AS "key fy" FROM measured
  ),
  -- with percent: each value as a share of its total
  shared AS (
    SELECT *, 100.0 * "individuals" / NULLIF(MAX(CASE WHEN misq_row = 'cell' THEN "individuals" END) OVER (PARTITION BY "key fy"), 0) AS "percent" FROM labelled
  ),
  -- order the groups
  ordered AS (
    SELECT *, ROW_NUMBER() OVER (PARTITION BY misq_row ORDER BY CASE WHEN "key fy" IS NULL THEN 1 ELSE 0 END, "key fy" COLLATE "C") AS misq_position FROM shared
  )
SELECT "key fy" AS "fy", "individuals", "percent", misq_row
FROM ordered
ORDER BY CASE misq_row WHEN 'cell' THEN 0 WHEN 'total' THEN 1 END, misq_position;

-- misq: count allegations by officer_id top 3
-- target: postgres
WITH
  -- scan dataset allegations
  scanned AS (
    SELECT * FROM "allegations"
  ),
  -- the group keys, labelled as misq labels them
  keyed AS (
    SELECT *, "officer_id" AS "key officer_id" FROM scanned
  ),
  -- each group, and each total measured over all its rows (never a sum of the groups)
  measured AS (
    SELECT "key officer_id", COUNT(*) AS "allegations",
           CASE WHEN GROUPING("key officer_id") = 0 THEN 'group' WHEN GROUPING("key officer_id") = 1 THEN 'total' END AS misq_row
    FROM keyed
    GROUP BY GROUPING SETS (("key officer_id"), ())
  ),
  -- order the groups; top 3 keeps those ranked 3 or better, ties included
  ranked AS (
    SELECT *, ROW_NUMBER() OVER (PARTITION BY misq_row ORDER BY "allegations" DESC NULLS LAST, CASE WHEN "key officer_id" IS NULL THEN 1 ELSE 0 END, LOWER("key officer_id") COLLATE "C", "key officer_id" COLLATE "C") AS misq_position,
           RANK() OVER (PARTITION BY misq_row ORDER BY "allegations" DESC NULLS LAST) AS misq_rank FROM measured
  )
SELECT "key officer_id" AS "officer_id", "allegations", misq_row
FROM ranked
WHERE misq_row <> 'group' OR (misq_rank <= 3)
ORDER BY CASE misq_row WHEN 'group' THEN 0 WHEN 'total' THEN 1 END, misq_position;

-- misq: count cases by outcome order by count desc limit 2
-- target: postgres
WITH
  -- scan dataset allegations
  scanned AS (
    SELECT * FROM "allegations"
  ),
  -- the group keys, labelled as misq labels them
  keyed AS (
    SELECT *, "outcome" AS "key outcome" FROM scanned
  ),
  -- each group, and each total measured over all its rows (never a sum of the groups)
  measured AS (
    SELECT "key outcome", COUNT(DISTINCT "case_id") AS "cases",
           CASE WHEN GROUPING("key outcome") = 0 THEN 'group' WHEN GROUPING("key outcome") = 1 THEN 'total' END AS misq_row
    FROM keyed
    GROUP BY GROUPING SETS (("key outcome"), ())
  ),
  -- order the groups
  ordered AS (
    SELECT *, ROW_NUMBER() OVER (PARTITION BY misq_row ORDER BY "cases" DESC NULLS LAST, CASE WHEN "key outcome" IS NULL THEN 1 ELSE 0 END, LOWER("key outcome") COLLATE "C", "key outcome" COLLATE "C") AS misq_position FROM measured
  )
SELECT "key outcome" AS "outcome", "cases", misq_row
FROM ordered
WHERE misq_row <> 'group' OR (misq_position <= 2)
ORDER BY CASE misq_row WHEN 'group' THEN 0 WHEN 'total' THEN 1 END, misq_position;

-- misq: count cases where reported is missing
-- target: postgres
-- period: reported in no days (half-open: the first day in, the last day out), and rows with no reported
WITH
  -- scan dataset allegations
  scanned AS (
    SELECT * FROM "allegations"
  ),
  -- keep the rows the condition admits (periods as half-open day ranges)
  filtered AS (
    SELECT * FROM scanned
    WHERE "reported" IS NULL
  )
SELECT COUNT(DISTINCT "case_id") AS "cases"
FROM filtered;

-- misq: count cases where reported < 2022-05 or reported >= 2023
-- target: postgres
-- period: reported in […, 2022-05-01) or [2023-01-01, …) (half-open: the first day in, the last day out)
WITH
  -- scan dataset allegations
  scanned AS (
    SELECT * FROM "allegations"
  ),
  -- keep the rows the condition admits (periods as half-open day ranges)
  filtered AS (
    SELECT * FROM scanned
    WHERE ("reported" < DATE '2022-05-01') OR ("reported" >= DATE '2023-01-01')
  )
SELECT COUNT(DISTINCT "case_id") AS "cases"
FROM filtered;

-- misq: count allegations by quarter(reported) across outcome
-- target: postgres
WITH
  -- scan dataset allegations
  scanned AS (
    SELECT * FROM "allegations"
  ),
  -- the group keys: labels, and the numbers each time bucket is made of
  keyed AS (
    SELECT *, CAST(EXTRACT(YEAR FROM "reported") AS INTEGER) AS "part quarter(reported) 1", CASE WHEN CAST(EXTRACT(MONTH FROM "reported") AS INTEGER) <= 3 THEN 1 WHEN CAST(EXTRACT(MONTH FROM "reported") AS INTEGER) <= 6 THEN 2 WHEN CAST(EXTRACT(MONTH FROM "reported") AS INTEGER) <= 9 THEN 3 ELSE 4 END AS "part quarter(reported) 2", "outcome" AS "key outcome" FROM scanned
  ),
  -- each group, and each total measured over all its rows (never a sum of the groups)
  measured AS (
    SELECT "part quarter(reported) 1", "part quarter(reported) 2", "key outcome", COUNT(*) AS "allegations",
           CASE WHEN GROUPING("part quarter(reported) 1") = 0 AND GROUPING("part quarter(reported) 2") = 0 AND GROUPING("key outcome") = 0 THEN 'cell' WHEN GROUPING("part quarter(reported) 1") = 0 AND GROUPING("part quarter(reported) 2") = 0 AND GROUPING("key outcome") = 1 THEN 'row total' WHEN GROUPING("part quarter(reported) 1") = 1 AND GROUPING("part quarter(reported) 2") = 1 AND GROUPING("key outcome") = 0 THEN 'column total' WHEN GROUPING("part quarter(reported) 1") = 1 AND GROUPING("part quarter(reported) 2") = 1 AND GROUPING("key outcome") = 1 THEN 'total' END AS misq_row
    FROM keyed
    GROUP BY GROUPING SETS (("part quarter(reported) 1", "part quarter(reported) 2", "key outcome"), ("part quarter(reported) 1", "part quarter(reported) 2"), ("key outcome"), ())
  ),
  -- each time bucket's label, made once for each group from its numbers
  labelled AS (
    SELECT *, CAST("part quarter(reported) 1" AS TEXT) || '-Q' || CAST("part quarter(reported) 2" AS TEXT) AS "key quarter(reported)" FROM measured
  ),
  -- order the groups
  ordered AS (
    SELECT *, ROW_NUMBER() OVER (PARTITION BY misq_row ORDER BY CASE WHEN "key quarter(reported)" IS NULL THEN 1 ELSE 0 END, "key quarter(reported)" COLLATE "C", CASE WHEN "key outcome" IS NULL THEN 1 ELSE 0 END, LOWER("key outcome") COLLATE "C", "key outcome" COLLATE "C") AS misq_position FROM labelled
  )
SELECT "key quarter(reported)" AS "quarter(reported)", "key outcome" AS "outcome", "allegations", misq_row
FROM ordered
ORDER BY CASE misq_row WHEN 'cell' THEN 0 WHEN 'row total' THEN 1 WHEN 'column total' THEN 2 WHEN 'total' THEN 3 END, misq_position;

-- misq: count cases across reported in (2021-05..2022-05, 2022-05..2023-05)
-- target: postgres
-- period: reported in [2021-05-01, 2023-05-01) (half-open: the first day in, the last day out)
WITH
  -- scan dataset allegations
  scanned AS (
    SELECT * FROM "allegations"
  ),
  -- keep the rows the condition admits (periods as half-open day ranges)
  filtered AS (
    SELECT * FROM scanned
    WHERE ("reported" >= DATE '2021-05-01' AND "reported" < DATE '2022-05-01') OR ("reported" >= DATE '2022-05-01' AND "reported" < DATE '2023-05-01')
  ),
  -- the group keys, labelled as misq labels them
  keyed AS (
    SELECT *, CASE WHEN "reported" >= DATE '2021-05-01' AND "reported" < DATE '2022-05-01' THEN '2021-05-01 to 2022-04-30' WHEN "reported" >= DATE '2022-05-01' AND "reported" < DATE '2023-05-01' THEN '2022-05-01 to 2023-04-30' END AS "key reported" FROM filtered
  ),
  -- each group, and each total measured over all its rows (never a sum of the groups)
  measured AS (
    SELECT "key reported", COUNT(DISTINCT "case_id") AS "cases",
           CASE WHEN GROUPING("key reported") = 0 THEN 'cell' WHEN GROUPING("key reported") = 1 THEN 'total' END AS misq_row
    FROM keyed
    GROUP BY GROUPING SETS (("key reported"), ())
  ),
  -- order the groups
  ordered AS (
    SELECT *, ROW_NUMBER() OVER (PARTITION BY misq_row ORDER BY CASE WHEN "key reported" IS NULL THEN 1 ELSE 0 END, CASE "key reported" WHEN '2021-05-01 to 2022-04-30' THEN 0 WHEN '2022-05-01 to 2023-04-30' THEN 1 END) AS misq_position FROM measured
  )
SELECT "key reported" AS "reported", "cases", misq_row
FROM ordered
ORDER BY CASE misq_row WHEN 'cell' THEN 0 WHEN 'total' THEN 1 END, misq_position;

-- misq: count distinct officer_id by vawg
-- target: postgres
WITH
  -- scan dataset allegations
  scanned AS (
    SELECT * FROM "allegations"
  ),
  -- the group keys, labelled as misq labels them
  keyed AS (
    SELECT *, CASE WHEN ("allegation_type" IN ('Rape', 'Sexual assault', 'Abuse of position for a sexual purpose', 'Other sexual conduct')) OR (("allegation_type" = 'Discreditable conduct') AND ("sexual_element" = TRUE)) THEN 'yes' ELSE 'no' END AS "key vawg" FROM scanned
  ),
  -- each group, and each total measured over all its rows (never a sum of the groups)
  measured AS (
    SELECT "key vawg", COUNT(DISTINCT "officer_id") AS "distinct officer_id",
           CASE WHEN GROUPING("key vawg") = 0 THEN 'group' WHEN GROUPING("key vawg") = 1 THEN 'total' END AS misq_row
    FROM keyed
    GROUP BY GROUPING SETS (("key vawg"), ())
  ),
  -- order the groups
  ordered AS (
    SELECT *, ROW_NUMBER() OVER (PARTITION BY misq_row ORDER BY CASE WHEN "key vawg" IS NULL THEN 1 ELSE 0 END, CASE WHEN "key vawg" = 'yes' THEN 0 ELSE 1 END) AS misq_position FROM measured
  )
SELECT "key vawg" AS "vawg", "distinct officer_id", misq_row
FROM ordered
ORDER BY CASE misq_row WHEN 'group' THEN 0 WHEN 'total' THEN 1 END, misq_position;

-- misq: median days_open by outcome
-- target: postgres
WITH
  -- scan dataset allegations
  scanned AS (
    SELECT * FROM "allegations"
  ),
  -- the group keys, labelled as misq labels them
  keyed AS (
    SELECT *, "outcome" AS "key outcome" FROM scanned
  ),
  -- each group, and each total measured over all its rows (never a sum of the groups)
  measured AS (
    SELECT "key outcome", PERCENTILE_CONT(0.5) WITHIN GROUP (ORDER BY "days_open") AS "median days_open",
           CASE WHEN GROUPING("key outcome") = 0 THEN 'group' WHEN GROUPING("key outcome") = 1 THEN 'total' END AS misq_row
    FROM keyed
    GROUP BY GROUPING SETS (("key outcome"), ())
  ),
  -- order the groups
  ordered AS (
    SELECT *, ROW_NUMBER() OVER (PARTITION BY misq_row ORDER BY CASE WHEN "key outcome" IS NULL THEN 1 ELSE 0 END, LOWER("key outcome") COLLATE "C", "key outcome" COLLATE "C") AS misq_position FROM measured
  )
SELECT "key outcome" AS "outcome", "median days_open", misq_row
FROM ordered
ORDER BY CASE misq_row WHEN 'group' THEN 0 WHEN 'total' THEN 1 END, misq_position;

-- misq: max reported
-- target: postgres
WITH
  -- scan dataset allegations
  scanned AS (
    SELECT * FROM "allegations"
  )
SELECT MAX("reported") AS "max reported"
FROM scanned;

-- misq: show allegations where outcome = dismissal_without_notice order by reported desc limit 3
-- error: misq sql cannot compile show … limit for postgres: misq keeps the rows first in the file's order among rows that tie, and a database table has no row order

-- misq: count cases where recent and sexual_element by outcome
-- target: postgres
-- period: reported in [2022-05-01, …) (half-open: the first day in, the last day out)
WITH
  -- scan dataset allegations
  scanned AS (
    SELECT * FROM "allegations"
  ),
  -- keep the rows the condition admits (periods as half-open day ranges)
  filtered AS (
    SELECT * FROM scanned
    WHERE ("reported" >= DATE '2022-05-01') AND ("sexual_element" = TRUE)
  ),
  -- the group keys, labelled as misq labels them
  keyed AS (
    SELECT *, "outcome" AS "key outcome" FROM filtered
  ),
  -- each group, and each total measured over all its rows (never a sum of the groups)
  measured AS (
    SELECT "key outcome", COUNT(DISTINCT "case_id") AS "cases",
           CASE WHEN GROUPING("key outcome") = 0 THEN 'group' WHEN GROUPING("key outcome") = 1 THEN 'total' END AS misq_row
    FROM keyed
    GROUP BY GROUPING SETS (("key outcome"), ())
  ),
  -- order the groups
  ordered AS (
    SELECT *, ROW_NUMBER() OVER (PARTITION BY misq_row ORDER BY CASE WHEN "key outcome" IS NULL THEN 1 ELSE 0 END, LOWER("key outcome") COLLATE "C", "key outcome" COLLATE "C") AS misq_position FROM measured
  )
SELECT "key outcome" AS "outcome", "cases", misq_row
FROM ordered
ORDER BY CASE misq_row WHEN 'group' THEN 0 WHEN 'total' THEN 1 END, misq_position;

-- misq: count cases where last 6 months by command
-- target: postgres
-- period: reported in [2023-11-01, 2024-05-01) (half-open: the first day in, the last day out)
WITH
  -- scan dataset allegations
  scanned AS (
    SELECT * FROM "allegations"
  ),
  -- keep the rows the condition admits (periods as half-open day ranges)
  filtered AS (
    SELECT * FROM scanned
    WHERE "reported" >= DATE '2023-11-01' AND "reported" < DATE '2024-05-01'
  ),
  -- the group keys, labelled as misq labels them
  keyed AS (
    SELECT *, "command" AS "key command" FROM filtered
  ),
  -- each group, and each total measured over all its rows (never a sum of the groups)
  measured AS (
    SELECT "key command", COUNT(DISTINCT "case_id") AS "cases",
           CASE WHEN GROUPING("key command") = 0 THEN 'group' WHEN GROUPING("key command") = 1 THEN 'total' END AS misq_row
    FROM keyed
    GROUP BY GROUPING SETS (("key command"), ())
  ),
  -- order the groups
  ordered AS (
    SELECT *, ROW_NUMBER() OVER (PARTITION BY misq_row ORDER BY CASE WHEN "key command" IS NULL THEN 1 ELSE 0 END, LOWER("key command") COLLATE "C", "key command" COLLATE "C") AS misq_position FROM measured
  )
SELECT "key command" AS "command", "cases", misq_row
FROM ordered
ORDER BY CASE misq_row WHEN 'group' THEN 0 WHEN 'total' THEN 1 END, misq_position;

-- misq: percentile 90 days_open by outcome top 3
-- target: postgres
WITH
  -- scan dataset allegations
  scanned AS (
    SELECT * FROM "allegations"
  ),
  -- the group keys, labelled as misq labels them
  keyed AS (
    SELECT *, "outcome" AS "key outcome" FROM scanned
  ),
  -- each group, and each total measured over all its rows (never a sum of the groups)
  measured AS (
    SELECT "key outcome", PERCENTILE_CONT(0.9) WITHIN GROUP (ORDER BY "days_open") AS "percentile 90 days_open",
           CASE WHEN GROUPING("key outcome") = 0 THEN 'group' WHEN GROUPING("key outcome") = 1 THEN 'total' END AS misq_row
    FROM keyed
    GROUP BY GROUPING SETS (("key outcome"), ())
  ),
  -- order the groups; top 3 keeps those ranked 3 or better, ties included
  ranked AS (
    SELECT *, ROW_NUMBER() OVER (PARTITION BY misq_row ORDER BY "percentile 90 days_open" DESC NULLS LAST, CASE WHEN "key outcome" IS NULL THEN 1 ELSE 0 END, LOWER("key outcome") COLLATE "C", "key outcome" COLLATE "C") AS misq_position,
           RANK() OVER (PARTITION BY misq_row ORDER BY "percentile 90 days_open" DESC NULLS LAST) AS misq_rank FROM measured
  )
SELECT "key outcome" AS "outcome", "percentile 90 days_open", misq_row
FROM ranked
WHERE misq_row <> 'group' OR (misq_rank <= 3)
ORDER BY CASE misq_row WHEN 'group' THEN 0 WHEN 'total' THEN 1 END, misq_position;

-- misq: percentile 99.5 reported where severity = misconduct
-- target: postgres
WITH
  -- scan dataset allegations
  scanned AS (
    SELECT * FROM "allegations"
  ),
  -- keep the rows the condition admits (periods as half-open day ranges)
  filtered AS (
    SELECT * FROM scanned
    WHERE "severity" = 'Misconduct'
  )
SELECT PERCENTILE_DISC(0.995) WITHIN GROUP (ORDER BY "reported") AS "percentile 99.5 reported"
FROM filtered;

-- misq: count cases where outcome starts with "dismissal" by severity
-- target: postgres
WITH
  -- scan dataset allegations
  scanned AS (
    SELECT * FROM "allegations"
  ),
  -- keep the rows the condition admits (periods as half-open day ranges)
  filtered AS (
    SELECT * FROM scanned
    WHERE "outcome" IN ('Dismissal with notice', 'Dismissal without notice')
  ),
  -- the group keys, labelled as misq labels them
  keyed AS (
    SELECT *, "severity" AS "key severity" FROM filtered
  ),
  -- each group, and each total measured over all its rows (never a sum of the groups)
  measured AS (
    SELECT "key severity", COUNT(DISTINCT "case_id") AS "cases",
           CASE WHEN GROUPING("key severity") = 0 THEN 'group' WHEN GROUPING("key severity") = 1 THEN 'total' END AS misq_row
    FROM keyed
    GROUP BY GROUPING SETS (("key severity"), ())
  ),
  -- order the groups
  ordered AS (
    SELECT *, ROW_NUMBER() OVER (PARTITION BY misq_row ORDER BY CASE WHEN "key severity" IS NULL THEN 1 ELSE 0 END, LOWER("key severity") COLLATE "C", "key severity" COLLATE "C") AS misq_position FROM measured
  )
SELECT "key severity" AS "severity", "cases", misq_row
FROM ordered
ORDER BY CASE misq_row WHEN 'group' THEN 0 WHEN 'total' THEN 1 END, misq_position;

-- misq: count allegations where not allegation_type contains "sexual" and command not ends with "estate"
-- target: postgres
WITH
  -- scan dataset allegations
  scanned AS (
    SELECT * FROM "allegations"
  ),
  -- keep the rows the condition admits (periods as half-open day ranges)
  filtered AS (
    SELECT * FROM scanned
    WHERE (NOT COALESCE("allegation_type" IN ('Abuse of position for a sexual purpose', 'Other sexual conduct', 'Sexual assault'), FALSE)) AND ((NOT COALESCE("command" = 'Parliamentary estate', FALSE)) AND (NOT COALESCE("command" IS NULL, FALSE)))
  )
SELECT COUNT(*) AS "allegations"
FROM filtered;

-- misq: show case_id, outcome, command where vawg order by days_open desc limit 3
-- error: misq sql cannot compile show … limit for postgres: misq keeps the rows first in the file's order among rows that tie, and a database table has no row order

-- misq: median weeks_open by outcome
-- error: misq sql cannot compile the derived value 'round(days_open / 7, 1)' for postgres: only + - * / of numbers are compiled so far; round, date parts and date arithmetic are not

-- misq: count cases where month_reported in 2022 by fy(month_reported)
-- error: misq sql cannot compile the derived value 'date(year(reported), month(reported))' for postgres: only + - * / of numbers are compiled so far; round, date parts and date arithmetic are not

-- misq: median months(reported, 2024-04-30) by severity
-- error: misq sql cannot compile the derived value 'months(reported, 2024-04-30)' for postgres: only + - * / of numbers are compiled so far; round, date parts and date arithmetic are not

-- misq: show allegations where weeks_open > 10 order by weeks_open desc limit 3
-- error: misq sql cannot compile the derived value 'round(days_open / 7, 1)' for postgres: only + - * / of numbers are compiled so far; round, date parts and date arithmetic are not

-- misq: count cases where recent by outcome
-- target: postgres
-- period: reported in [2022-05-01, …) (half-open: the first day in, the last day out)
WITH
  -- scan dataset allegations
  scanned AS (
    SELECT * FROM "allegations"
  ),
  -- keep the rows the condition admits (periods as half-open day ranges)
  filtered AS (
    SELECT * FROM scanned
    WHERE "reported" >= DATE '2022-05-01'
  ),
  -- the group keys, labelled as misq labels them
  keyed AS (
    SELECT *, "outcome" AS "key outcome" FROM filtered
  ),
  -- each group, and each total measured over all its rows (never a sum of the groups)
  measured AS (
    SELECT "key outcome", COUNT(DISTINCT "case_id") AS "cases",
           CASE WHEN GROUPING("key outcome") = 0 THEN 'group' WHEN GROUPING("key outcome") = 1 THEN 'total' END AS misq_row
    FROM keyed
    GROUP BY GROUPING SETS (("key outcome"), ())
  ),
  -- order the groups
  ordered AS (
    SELECT *, ROW_NUMBER() OVER (PARTITION BY misq_row ORDER BY CASE WHEN "key outcome" IS NULL THEN 1 ELSE 0 END, LOWER("key outcome") COLLATE "C", "key outcome" COLLATE "C") AS misq_position FROM measured
  )
SELECT "key outcome" AS "outcome", "cases", misq_row
FROM ordered
ORDER BY CASE misq_row WHEN 'group' THEN 0 WHEN 'total' THEN 1 END, misq_position;

-- misq: sum half_weeks by command
-- error: misq sql cannot compile the derived value 'round(days_open / 7, 1)' for postgres: only + - * / of numbers are compiled so far; round, date parts and date arithmetic are not

-- misq: count allegations, count individuals, count cases by outcome with total
-- target: postgres
WITH
  -- scan dataset allegations
  scanned AS (
    SELECT * FROM "allegations"
  ),
  -- the group keys, labelled as misq labels them
  keyed AS (
    SELECT *, "outcome" AS "key outcome" FROM scanned
  ),
  -- each group, and each total measured over all its rows (never a sum of the groups)
  measured AS (
    SELECT "key outcome", COUNT(*) AS "allegations", COUNT(DISTINCT "officer_id") AS "individuals", COUNT(DISTINCT "case_id") AS "cases",
           CASE WHEN GROUPING("key outcome") = 0 THEN 'group' WHEN GROUPING("key outcome") = 1 THEN 'total' END AS misq_row
    FROM keyed
    GROUP BY GROUPING SETS (("key outcome"), ())
  ),
  -- order the groups
  ordered AS (
    SELECT *, ROW_NUMBER() OVER (PARTITION BY misq_row ORDER BY CASE WHEN "key outcome" IS NULL THEN 1 ELSE 0 END, LOWER("key outcome") COLLATE "C", "key outcome" COLLATE "C") AS misq_position FROM measured
  )
SELECT "key outcome" AS "outcome", "allegations", "individuals", "cases", misq_row
FROM ordered
ORDER BY CASE misq_row WHEN 'group' THEN 0 WHEN 'total' THEN 1 END, misq_position;

-- misq: percent(count cases where vawg, count cases) by year
-- target: postgres
WITH
  -- scan dataset allegations
  scanned AS (
    SELECT * FROM "allegations"
  ),
  -- the group keys: labels, and the numbers each time bucket is made of
  keyed AS (
    SELECT *, CAST(EXTRACT(YEAR FROM "reported") AS INTEGER) AS "part year 1" FROM scanned
  ),
  -- each group, and each total measured over all its rows (never a sum of the groups)
  measured AS (
    SELECT "part year 1", (100.0 * COUNT(DISTINCT CASE WHEN ("allegation_type" IN ('Rape', 'Sexual assault', 'Abuse of position for a sexual purpose', 'Other sexual conduct')) OR (("allegation_type" = 'Discreditable conduct') AND ("sexual_element" = TRUE)) THEN "case_id" END) / NULLIF(COUNT(DISTINCT "case_id"), 0)) AS "percent(count cases where vawg, count cases)",
           CASE WHEN GROUPING("part year 1") = 0 THEN 'group' WHEN GROUPING("part year 1") = 1 THEN 'total' END AS misq_row
    FROM keyed
    GROUP BY GROUPING SETS (("part year 1"), ())
  ),
  -- each time bucket's label, made once for each group from its numbers
  labelled AS (
    SELECT *, CAST("part year 1" AS TEXT) AS "key year" FROM measured
  ),
  -- order the groups
  ordered AS (
    SELECT *, ROW_NUMBER() OVER (PARTITION BY misq_row ORDER BY CASE WHEN "key year" IS NULL THEN 1 ELSE 0 END, "key year" COLLATE "C") AS misq_position FROM labelled
  )
SELECT "key year" AS "year", "percent(count cases where vawg, count cases)", misq_row
FROM ordered
ORDER BY CASE misq_row WHEN 'group' THEN 0 WHEN 'total' THEN 1 END, misq_position;

-- misq: count allegations / count allegations where suspended by command order by value desc
-- target: postgres
WITH
  -- scan dataset allegations
  scanned AS (
    SELECT * FROM "allegations"
  ),
  -- the group keys, labelled as misq labels them
  keyed AS (
    SELECT *, "command" AS "key command" FROM scanned
  ),
  -- each group, and each total measured over all its rows (never a sum of the groups)
  measured AS (
    SELECT "key command", (CAST(COUNT(*) AS DOUBLE PRECISION) / NULLIF(COUNT(CASE WHEN "suspended" = TRUE THEN 1 END), 0)) AS "count allegations / count allegations where suspended",
           CASE WHEN GROUPING("key command") = 0 THEN 'group' WHEN GROUPING("key command") = 1 THEN 'total' END AS misq_row
    FROM keyed
    GROUP BY GROUPING SETS (("key command"), ())
  ),
  -- order the groups
  ordered AS (
    SELECT *, ROW_NUMBER() OVER (PARTITION BY misq_row ORDER BY "count allegations / count allegations where suspended" DESC NULLS LAST, CASE WHEN "key command" IS NULL THEN 1 ELSE 0 END, LOWER("key command") COLLATE "C", "key command" COLLATE "C") AS misq_position FROM measured
  )
SELECT "key command" AS "command", "count allegations / count allegations where suspended", misq_row
FROM ordered
ORDER BY CASE misq_row WHEN 'group' THEN 0 WHEN 'total' THEN 1 END, misq_position;

-- misq: count allegations, count cases where vawg by outcome top 3
-- target: postgres
WITH
  -- scan dataset allegations
  scanned AS (
    SELECT * FROM "allegations"
  ),
  -- the group keys, labelled as misq labels them
  keyed AS (
    SELECT *, "outcome" AS "key outcome" FROM scanned
  ),
  -- each group, and each total measured over all its rows (never a sum of the groups)
  measured AS (
    SELECT "key outcome", COUNT(*) AS "allegations", COUNT(DISTINCT CASE WHEN ("allegation_type" IN ('Rape', 'Sexual assault', 'Abuse of position for a sexual purpose', 'Other sexual conduct')) OR (("allegation_type" = 'Discreditable conduct') AND ("sexual_element" = TRUE)) THEN "case_id" END) AS "cases where vawg",
           CASE WHEN GROUPING("key outcome") = 0 THEN 'group' WHEN GROUPING("key outcome") = 1 THEN 'total' END AS misq_row
    FROM keyed
    GROUP BY GROUPING SETS (("key outcome"), ())
  ),
  -- order the groups; top 3 keeps those ranked 3 or better, ties included
  ranked AS (
    SELECT *, ROW_NUMBER() OVER (PARTITION BY misq_row ORDER BY "allegations" DESC NULLS LAST, CASE WHEN "key outcome" IS NULL THEN 1 ELSE 0 END, LOWER("key outcome") COLLATE "C", "key outcome" COLLATE "C") AS misq_position,
           RANK() OVER (PARTITION BY misq_row ORDER BY "allegations" DESC NULLS LAST) AS misq_rank FROM measured
  )
SELECT "key outcome" AS "outcome", "allegations", "cases where vawg", misq_row
FROM ranked
WHERE misq_row <> 'group' OR (misq_rank <= 3)
ORDER BY CASE misq_row WHEN 'group' THEN 0 WHEN 'total' THEN 1 END, misq_position;

-- misq: count allegations, count cases
-- target: postgres
WITH
  -- scan dataset allegations
  scanned AS (
    SELECT * FROM "allegations"
  )
SELECT COUNT(*) AS "allegations", COUNT(DISTINCT "case_id") AS "cases"
FROM scanned;

-- misq: percent(count cases where outcome starts with "dismissal", count cases) by severity
-- target: postgres
WITH
  -- scan dataset allegations
  scanned AS (
    SELECT * FROM "allegations"
  ),
  -- the group keys, labelled as misq labels them
  keyed AS (
    SELECT *, "severity" AS "key severity" FROM scanned
  ),
  -- each group, and each total measured over all its rows (never a sum of the groups)
  measured AS (
    SELECT "key severity", (100.0 * COUNT(DISTINCT CASE WHEN "outcome" IN ('Dismissal with notice', 'Dismissal without notice') THEN "case_id" END) / NULLIF(COUNT(DISTINCT "case_id"), 0)) AS "percent(count cases where outcome starts with ""dismissal"", count cases)",
           CASE WHEN GROUPING("key severity") = 0 THEN 'group' WHEN GROUPING("key severity") = 1 THEN 'total' END AS misq_row
    FROM keyed
    GROUP BY GROUPING SETS (("key severity"), ())
  ),
  -- order the groups
  ordered AS (
    SELECT *, ROW_NUMBER() OVER (PARTITION BY misq_row ORDER BY CASE WHEN "key severity" IS NULL THEN 1 ELSE 0 END, LOWER("key severity") COLLATE "C", "key severity" COLLATE "C") AS misq_position FROM measured
  )
SELECT "key severity" AS "severity", "percent(count cases where outcome starts with ""dismissal"", count cases)", misq_row
FROM ordered
ORDER BY CASE misq_row WHEN 'group' THEN 0 WHEN 'total' THEN 1 END, misq_position;

-- misq: count allegations by officer_id top 12.5%
-- error: misq sql cannot compile top N% for postgres: a share of the groups is not compiled yet

-- misq: count allegations by officer_id
-- target: postgres
WITH
  -- scan dataset allegations
  scanned AS (
    SELECT * FROM "allegations"
  ),
  -- the group keys, labelled as misq labels them
  keyed AS (
    SELECT *, "officer_id" AS "key officer_id" FROM scanned
  ),
  -- each group, and each total measured over all its rows (never a sum of the groups)
  measured AS (
    SELECT "key officer_id", COUNT(*) AS "allegations",
           CASE WHEN GROUPING("key officer_id") = 0 THEN 'group' WHEN GROUPING("key officer_id") = 1 THEN 'total' END AS misq_row
    FROM keyed
    GROUP BY GROUPING SETS (("key officer_id"), ())
  ),
  -- order the groups
  ordered AS (
    SELECT *, ROW_NUMBER() OVER (PARTITION BY misq_row ORDER BY CASE WHEN "key officer_id" IS NULL THEN 1 ELSE 0 END, LOWER("key officer_id") COLLATE "C", "key officer_id" COLLATE "C") AS misq_position FROM measured
  )
SELECT "key officer_id" AS "officer_id", "allegations", misq_row
FROM ordered
ORDER BY CASE misq_row WHEN 'group' THEN 0 WHEN 'total' THEN 1 END, misq_position;

-- misq: sum allegations from per_officer top 10%
-- error: misq sql cannot compile a dataset made by let (per_officer) for postgres: it is a result kept in this session, not a table in the database

-- misq: count cases join per_officer on officer_id where per_officer.allegations > 1 by outcome
-- error: misq sql cannot compile join and per for postgres: joins are not compiled yet

-- misq: count cases left join per_officer on officer_id by per_officer.allegations
-- error: misq sql cannot compile join and per for postgres: joins are not compiled yet

-- misq: count allegations by command
-- target: postgres
WITH
  -- scan dataset allegations
  scanned AS (
    SELECT * FROM "allegations"
  ),
  -- the group keys, labelled as misq labels them
  keyed AS (
    SELECT *, "command" AS "key command" FROM scanned
  ),
  -- each group, and each total measured over all its rows (never a sum of the groups)
  measured AS (
    SELECT "key command", COUNT(*) AS "allegations",
           CASE WHEN GROUPING("key command") = 0 THEN 'group' WHEN GROUPING("key command") = 1 THEN 'total' END AS misq_row
    FROM keyed
    GROUP BY GROUPING SETS (("key command"), ())
  ),
  -- order the groups
  ordered AS (
    SELECT *, ROW_NUMBER() OVER (PARTITION BY misq_row ORDER BY CASE WHEN "key command" IS NULL THEN 1 ELSE 0 END, LOWER("key command") COLLATE "C", "key command" COLLATE "C") AS misq_position FROM measured
  )
SELECT "key command" AS "command", "allegations", misq_row
FROM ordered
ORDER BY CASE misq_row WHEN 'group' THEN 0 WHEN 'total' THEN 1 END, misq_position;

-- misq: count cases by command join per_command on command per 100 per_command.allegations
-- error: misq sql cannot compile join and per for postgres: joins are not compiled yet
