#!/usr/bin/env python3
"""SalesKPI against the tools a RevOps analyst would pick instead: DuckDB, and a plain SQLite database.

One generated bundle (10 million events with the defaults) is loaded into each tool; each answers the same
department scorecard query for one quarter -- per rep: deals won, revenue, win rate, average deal, calls,
meetings held, proposals sent, lead -> deal conversion; the script checks that all three agree on every
number, then prints the time to load, the cold start (open the loaded database and answer once) and the
warm time per query of each tool, with the ratios against SalesKPI, all measured in this one run.

    python3 benchmarks/compare.py                       # generates the bundle (1000 people, 365 days)
    python3 benchmarks/compare.py --reps 100            # a tenth of it, for a quick look
    python3 benchmarks/compare.py --bundle DIR --work DIR --saleskpi .build-release/release/saleskpi

Needs: pip install duckdb pandas; a release build of saleskpi
(swift build -c release --scratch-path .build-release --product saleskpi).

The SQL is the definition an analyst would write from the KPI catalog (docs/kpis.md): a deal is won or
lost by its latest closing stage change, on that change's day; revenue is the amount of that change, else
the deal's; times in the bundle are the company's local time, so the quarter is a range of local times.
"""
import argparse, csv, json, os, shutil, sqlite3, subprocess, sys, time
from pathlib import Path

import duckdb
import pandas as pd

TABLES = ["reps", "leads", "deals", "deal_stages", "activities"]  # what the query reads
ALL_FILES = ["teams", "reps", "accounts", "leads", "deals", "deal_stages", "activities", "invoices", "payments",
             "surveys", "evaluations", "reviews", "tasks", "expenses", "plans"]

# The same query for DuckDB and SQLite. Money in kopecks as integers; :lo / :hi are local times.
QUERY = """
WITH closes AS (
    SELECT s.deal_id, s.stage, s.changed_at, s.amount,
           ROW_NUMBER() OVER (PARTITION BY s.deal_id ORDER BY s.changed_at DESC, s.line DESC) AS latest
    FROM deal_stages s WHERE s.stage IN ('won', 'lost')),
final AS (
    SELECT d.owner_id AS rep, c.stage, COALESCE(c.amount, d.amount) AS amount
    FROM closes c JOIN deals d ON d.external_id = c.deal_id
    WHERE c.latest = 1 AND c.changed_at >= :lo AND c.changed_at < :hi),
won AS (
    SELECT rep, SUM(CASE WHEN stage = 'won' THEN 1 ELSE 0 END) AS won, SUM(CASE WHEN stage = 'lost' THEN 1 ELSE 0 END) AS lost,
           SUM(CASE WHEN stage = 'won' THEN amount ELSE 0 END) AS revenue
    FROM final GROUP BY rep),
acts AS (
    SELECT rep_id AS rep, SUM(CASE WHEN type = 'call' THEN 1 ELSE 0 END) AS calls,
           SUM(CASE WHEN type = 'meeting_held' THEN 1 ELSE 0 END) AS meetings,
           SUM(CASE WHEN type = 'proposal_sent' THEN 1 ELSE 0 END) AS proposals
    FROM activities WHERE "at" >= :lo AND "at" < :hi GROUP BY rep_id),
leads_in AS (SELECT owner_id AS rep, COUNT(*) AS leads FROM leads WHERE created_at >= :lo AND created_at < :hi GROUP BY owner_id)
SELECT r.external_id AS rep,
       COALESCE(w.won, 0) AS deals_won,
       COALESCE(w.revenue, 0) AS revenue,
       CASE WHEN COALESCE(w.won, 0) + COALESCE(w.lost, 0) > 0 THEN 100.0 * w.won / (w.won + w.lost) END AS win_rate,
       CASE WHEN COALESCE(w.won, 0) > 0 THEN 1.0 * w.revenue / w.won END AS avg_deal_size,
       COALESCE(a.calls, 0) AS calls, COALESCE(a.meetings, 0) AS meetings_held, COALESCE(a.proposals, 0) AS proposals_sent,
       CASE WHEN COALESCE(l.leads, 0) > 0 THEN 100.0 * COALESCE(w.won, 0) / l.leads END AS lead_to_deal_conversion
FROM reps r LEFT JOIN won w ON w.rep = r.external_id LEFT JOIN acts a ON a.rep = r.external_id
LEFT JOIN leads_in l ON l.rep = r.external_id
ORDER BY r.external_id
"""
COLUMNS = ["deals_won", "revenue", "win_rate", "avg_deal_size", "calls", "meetings_held", "proposals_sent", "lead_to_deal_conversion"]


def quarter_bounds(label):
    year, q = label.split("-Q")
    start_month = 3 * (int(q) - 1) + 1
    lo = f"{year}-{start_month:02d}-01T00:00:00"
    end_year, end_month = (int(year) + 1, 1) if start_month == 10 else (int(year), start_month + 3)
    return lo, f"{end_year}-{end_month:02d}-01T00:00:00"


def kopecks(text):
    return None if text == "" else int(round(float(text) * 100))


def timed(body):
    t = time.perf_counter()
    result = body()
    return result, time.perf_counter() - t


# --- loading -------------------------------------------------------------------------------------

def load_duckdb(bundle, path):
    """Every CSV file into a DuckDB table, money in kopecks, each row's line number kept (for ties)."""
    if path.exists():
        path.unlink()
    con = duckdb.connect(str(path))
    for name in ALL_FILES:
        f = bundle / f"{name}.csv"
        con.execute(f"CREATE TABLE {name} AS SELECT *, row_number() OVER () AS line FROM read_csv('{f}', header=true, all_varchar=true)")
    # Types for what the query reads: money as integers, times stay ISO text (they compare in order).
    con.execute("ALTER TABLE deals ALTER amount TYPE BIGINT USING CAST(round(CAST(amount AS DOUBLE) * 100) AS BIGINT)")
    con.execute("ALTER TABLE deal_stages ALTER amount TYPE BIGINT USING CAST(round(CAST(NULLIF(amount, '') AS DOUBLE) * 100) AS BIGINT)")
    con.close()


def load_sqlite(bundle, path):
    """Every CSV file into a plain SQLite table (no constraints), money in kopecks, with indexes the query wants."""
    if path.exists():
        path.unlink()
    con = sqlite3.connect(str(path))
    con.execute("PRAGMA journal_mode = OFF")
    con.execute("PRAGMA synchronous = OFF")
    for name in ALL_FILES:
        with open(bundle / f"{name}.csv", newline="", encoding="utf-8") as fh:
            rows = csv.reader(fh)
            header = next(rows)
            cols = header + ["line"]
            con.execute(f"CREATE TABLE {name} ({', '.join(cols)})")
            money = {i for i, c in enumerate(header) if c == "amount" and name in ("deals", "deal_stages")}

            def typed():
                for n, row in enumerate(rows, 1):
                    yield [kopecks(v) if i in money else (None if v == "" else v) for i, v in enumerate(row)] + [n]
            con.executemany(f"INSERT INTO {name} VALUES ({', '.join('?' * len(cols))})", typed())
    con.execute("CREATE INDEX deals_ext ON deals(external_id)")
    con.execute("CREATE INDEX activities_at ON activities(at)")
    con.execute("CREATE INDEX leads_created ON leads(created_at)")
    con.commit()
    con.close()


# --- querying ------------------------------------------------------------------------------------

def run_duckdb(path, lo, hi, repeats):
    sql = QUERY.replace(":lo", f"'{lo}'").replace(":hi", f"'{hi}'")

    def cold():
        con = duckdb.connect(str(path), read_only=True)
        return con, con.execute(sql).fetchdf()
    (con, df), cold_s = timed(cold)
    warm = sorted(timed(lambda: con.execute(sql).fetchdf())[1] for _ in range(repeats))
    con.close()
    return df, cold_s, warm[len(warm) // 2]


def run_sqlite(path, lo, hi, repeats):
    def cold():
        con = sqlite3.connect(str(path))
        return con, pd.read_sql_query(QUERY, con, params={"lo": lo, "hi": hi})
    (con, df), cold_s = timed(cold)
    warm = sorted(timed(lambda: pd.read_sql_query(QUERY, con, params={"lo": lo, "hi": hi}))[1] for _ in range(repeats))
    con.close()
    return df, cold_s, warm[len(warm) // 2]


def run_saleskpi(binary, store, quarter, repeats):
    out = subprocess.run([binary, "bench", "--query-store", str(store), "--period", quarter, "--repeats", str(repeats), "--json"],
                         check=True, capture_output=True, text=True).stdout
    result = json.loads(out)
    df = pd.DataFrame(result["rows"]).sort_values("rep").reset_index(drop=True)
    df["revenue"] = (df["revenue"] * 100).round().astype("int64")        # roubles -> kopecks
    df["avg_deal_size"] = df["avg_deal_size"] * 100
    return df, result["cold_start_s"], result["warm_query_s_median"], result


# --- agreement -----------------------------------------------------------------------------------

def agree(name, a, b):
    """Every number equal (ratios to 1e-9 relative), every rep present in both."""
    a = a.set_index("rep")[COLUMNS].sort_index()
    b = b.set_index("rep")[COLUMNS].sort_index()
    assert list(a.index) == list(b.index), f"{name}: different reps"
    problems = []
    for col in COLUMNS:
        for rep, x, y in zip(a.index, a[col], b[col]):
            xn, yn = pd.isna(x), pd.isna(y)
            if xn != yn or (not xn and abs(float(x) - float(y)) > 1e-9 * max(1.0, abs(float(x)))):
                problems.append(f"{rep} {col}: {x} vs {y}")
    if problems:
        sys.exit(f"{name} disagree on {len(problems)} numbers, e.g. " + "; ".join(problems[:5]))
    return len(a) * len(COLUMNS)


def main():
    here = Path(__file__).resolve().parent.parent
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--saleskpi", default=str(here / ".build-release/release/saleskpi"))
    p.add_argument("--work", default="/tmp/saleskpi-compare")
    p.add_argument("--bundle", help="an existing bundle (default: generate one in --work)")
    p.add_argument("--reps", type=int, default=1000)
    p.add_argument("--days", type=int, default=365)
    p.add_argument("--quarter", default="2026-Q3")
    p.add_argument("--repeats", type=int, default=20, help="warm runs per tool (SalesKPI runs 100 times as many)")
    args = p.parse_args()

    work = Path(args.work)
    work.mkdir(parents=True, exist_ok=True)
    bundle = Path(args.bundle) if args.bundle else work / "bundle"
    if not args.bundle:
        shutil.rmtree(bundle, ignore_errors=True)
        print(f"generating {args.reps} people x {args.days} days ...", flush=True)
        subprocess.run([args.saleskpi, "generate", "--reps", str(args.reps), "--days", str(args.days), "--seed", "1",
                        "--end", "2026-09-30", "--out", str(bundle)], check=True, capture_output=True)
    events = sum(sum(1 for _ in open(bundle / f"{n}.csv", encoding="utf-8")) - 1 for n in ALL_FILES)
    lo, hi = quarter_bounds(args.quarter)
    print(f"bundle: {events:,} events; query: {args.quarter} [{lo}, {hi})", flush=True)

    store = work / "saleskpi.sqlite"
    for f in [store, Path(str(store) + "-wal"), Path(str(store) + "-shm"), Path(str(store) + ".engine")]:
        f.unlink(missing_ok=True)
    print("loading into SalesKPI ...", flush=True)
    _, load_kpi = timed(lambda: subprocess.run([args.saleskpi, "import", "--db", str(store), str(bundle), "--lang", "en"],
                                               check=True, capture_output=True))
    print("loading into DuckDB ...", flush=True)
    _, load_duck = timed(lambda: load_duckdb(bundle, work / "duck.duckdb"))
    print("loading into SQLite ...", flush=True)
    _, load_lite = timed(lambda: load_sqlite(bundle, work / "plain.sqlite"))

    kpi, cold_kpi, warm_kpi, raw = run_saleskpi(args.saleskpi, store, args.quarter, args.repeats * 100)
    duck, cold_duck, warm_duck = run_duckdb(work / "duck.duckdb", lo, hi, args.repeats)
    lite, cold_lite, warm_lite = run_sqlite(work / "plain.sqlite", lo, hi, max(3, args.repeats // 5))
    n = agree("SalesKPI and DuckDB", kpi, duck)
    agree("SalesKPI and SQLite", kpi, lite)
    won = int(kpi["deals_won"].sum())
    print(f"\nall three agree on {n} numbers ({len(kpi)} reps x {len(COLUMNS)}; {won} deals won, "
          f"{int(kpi['calls'].sum()):,} calls in the quarter); SalesKPI engine: {raw['engine']}\n")

    def ratio(x, base):
        return f"{x / base:,.1f}x"
    print(f"{'':34}{'load, s':>10}{'cold start, s':>15}{'warm query, ms':>16}{'warm vs SalesKPI':>18}{'cold vs SalesKPI':>18}")
    for name, load, cold, warm in [("SalesKPI (SQLite store + engine)", load_kpi, cold_kpi, warm_kpi),
                                   ("DuckDB " + duckdb.__version__, load_duck, cold_duck, warm_duck),
                                   ("SQLite " + sqlite3.sqlite_version + " (plain tables)", load_lite, cold_lite, warm_lite)]:
        print(f"{name:34}{load:>10.1f}{cold:>15.3f}{warm * 1000:>16.3f}{ratio(warm, warm_kpi):>18}{ratio(cold, cold_kpi):>18}")
    print(f"\nSalesKPI's warm query is {warm_duck / warm_kpi:,.0f}x faster than DuckDB's (goal: >= 100x); "
          f"its cold start is {cold_duck / cold_kpi:,.2f}x DuckDB's speed (goal: >= 1).")


if __name__ == "__main__":
    main()
