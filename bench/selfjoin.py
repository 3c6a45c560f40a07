"""DuckDB's answer to crosscheck's core question, for bench/scale.sh: same-year disjoint ranges
on the same subject, property and scope, a self-join over `crosscheck export --format jsonl`.

usage: python bench/selfjoin.py CLAIMS.jsonl
prints key=value lines: rows, load_seconds, query_seconds, pairs
"""

import sys
import time

import duckdb

QUERY = """
SELECT count(*) FROM claims a JOIN claims b
  ON a.subject = b.subject AND a.property = b.property AND a.scope = b.scope
 AND year(a.period_first) = year(b.period_first)
 AND a.id < b.id
WHERE a.type = 'quantity' AND b.type = 'quantity'
  AND (a.high < b.low OR b.high < a.low)
"""


def main() -> None:
    path = sys.argv[1]
    con = duckdb.connect()
    start = time.perf_counter()
    con.execute(
        "CREATE TABLE claims AS SELECT id, subject, property, scope, type, low, high, "
        "CAST(period_first AS DATE) AS period_first "
        "FROM read_json_auto(?, format = 'newline_delimited')",
        [path],
    )
    rows = con.execute("SELECT count(*) FROM claims").fetchone()[0]
    load = time.perf_counter() - start
    start = time.perf_counter()
    pairs = con.execute(QUERY).fetchone()[0]
    query = time.perf_counter() - start
    print(f"rows={rows}")
    print(f"load_seconds={load:.4f}")
    print(f"query_seconds={query:.4f}")
    print(f"pairs={pairs}")


if __name__ == "__main__":
    main()
