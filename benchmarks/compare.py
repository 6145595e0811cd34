#!/usr/bin/env python3
"""SalesKPI against the tools a RevOps analyst would pick instead: DuckDB, and a plain SQLite database.

One generated bundle (10 million events with the defaults) is loaded into each tool; each answers the same
department scorecard query for one quarter -- per rep: deals won, revenue, win rate, average deal, calls,
meetings held, proposals sent, lead -> deal conversion; the script checks that every tool agrees with SalesKPI
on every number (and exits non-zero if one does not), then prints the time to load, the cold start (open the
loaded database and answer once) and the warm time per query of each tool, with the ratios against SalesKPI,
all measured in this one run. DuckDB is measured three ways, each using all cores (its default):

  all varchar   every CSV file as text (read_csv all_varchar), money cast to kopecks, times compared as ISO
                text -- the first thing one would try, kept for continuity with earlier runs;
  typed         only the five tables the query reads and only the columns it reads, with types: times as
                TIMESTAMP, money as BIGINT kopecks, ids and enums as VARCHAR, deal_stages' row number in
                its file (for ties); activities and leads stored in time order; the same SQL, TIMESTAMP bounds;
  daily rollup  the typed tables plus a table built from them at load time (timed as "build"): per rep and
                local day, deals won and lost, won revenue, calls, meetings held, proposals sent, leads
                created; the query sums the quarter's days and derives the ratios from the sums.

The goals, printed at the end as met or not: SalesKPI's warm query at least 100x as fast as DuckDB typed and
20x as fast as DuckDB on the rollup; its cold start no slower than DuckDB typed's. --json FILE writes every
figure. The exit status is non-zero only if a tool disagrees with SalesKPI.

    python3 benchmarks/compare.py                       # generates the bundle (1000 people, 365 days)
    python3 benchmarks/compare.py --reps 100            # a tenth of it, for a quick look
    python3 benchmarks/compare.py --bundle DIR --work DIR --saleskpi .build-release/release/saleskpi
    python3 benchmarks/compare.py --reps 100 --json figures.json   # every figure, machine-readable, too

Needs: pip install duckdb pandas; a release build of saleskpi
(swift build -c release --scratch-path .build-release --product saleskpi).

The SQL is the definition an analyst would write from the KPI catalog (docs/kpis.md): a deal is won or
lost by its latest closing stage change, on that change's day; revenue is the amount of that change, else
the deal's; times in the bundle are the company's local time, so the quarter is a range of local times
(and, as it starts and ends at midnight, a range of local days for the rollup).
"""
import argparse, csv, json, os, shutil, sqlite3, subprocess, sys, time
from dataclasses import dataclass
from pathlib import Path

import duckdb
import pandas as pd

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
    SELECT rep, SUM(CASE WHEN stage = 'won' THEN 1 ELSE 0 END) AS won,
           SUM(CASE WHEN stage = 'lost' THEN 1 ELSE 0 END) AS lost,
           SUM(CASE WHEN stage = 'won' THEN amount ELSE 0 END) AS revenue
    FROM final GROUP BY rep),
acts AS (
    SELECT rep_id AS rep, SUM(CASE WHEN type = 'call' THEN 1 ELSE 0 END) AS calls,
           SUM(CASE WHEN type = 'meeting_held' THEN 1 ELSE 0 END) AS meetings,
           SUM(CASE WHEN type = 'proposal_sent' THEN 1 ELSE 0 END) AS proposals
    FROM activities WHERE "at" >= :lo AND "at" < :hi GROUP BY rep_id),
leads_in AS (
    SELECT owner_id AS rep, COUNT(*) AS leads FROM leads
    WHERE created_at >= :lo AND created_at < :hi GROUP BY owner_id)
SELECT r.external_id AS rep,
       COALESCE(w.won, 0) AS deals_won,
       COALESCE(w.revenue, 0) AS revenue,
       CASE WHEN COALESCE(w.won, 0) + COALESCE(w.lost, 0) > 0 THEN 100.0 * w.won / (w.won + w.lost) END AS win_rate,
       CASE WHEN COALESCE(w.won, 0) > 0 THEN 1.0 * w.revenue / w.won END AS avg_deal_size,
       COALESCE(a.calls, 0) AS calls, COALESCE(a.meetings, 0) AS meetings_held,
       COALESCE(a.proposals, 0) AS proposals_sent,
       CASE WHEN COALESCE(l.leads, 0) > 0 THEN 100.0 * COALESCE(w.won, 0) / l.leads END AS lead_to_deal_conversion
FROM reps r LEFT JOIN won w ON w.rep = r.external_id LEFT JOIN acts a ON a.rep = r.external_id
LEFT JOIN leads_in l ON l.rep = r.external_id
ORDER BY r.external_id
"""
COLUMNS = ["deals_won", "revenue", "win_rate", "avg_deal_size", "calls", "meetings_held", "proposals_sent",
           "lead_to_deal_conversion"]

# DuckDB typed: the tables and columns the query (and the rollup) reads. MONEY is read as a decimal and kept as
# BIGINT kopecks; TIMESTAMP columns are the bundle's local ISO times (TIME_FORMAT), with no time zone attached.
TYPED = {
    "reps": {"external_id": "VARCHAR"},
    "leads": {"owner_id": "VARCHAR", "created_at": "TIMESTAMP"},
    "deals": {"external_id": "VARCHAR", "owner_id": "VARCHAR", "amount": "MONEY"},
    "deal_stages": {"deal_id": "VARCHAR", "stage": "VARCHAR", "changed_at": "TIMESTAMP", "amount": "MONEY"},
    "activities": {"rep_id": "VARCHAR", "type": "VARCHAR", "at": "TIMESTAMP"},
}
TIME_FORMAT = "%Y-%m-%dT%H:%M:%S"  # e.g. 2026-07-01T09:30:00
# Stored in time order, so that DuckDB's zone maps skip the row groups outside the quarter (about 15 % off the
# warm query at 100 reps). deal_stages keeps file order: the query ranks every deal's closes, whenever they were.
TIME_ORDER = {"leads": "created_at", "activities": "at"}

# The daily per-rep rollup, from the typed tables. Closes are counted as in QUERY (a deal's latest closing change,
# ties broken by the later line in the file), on that change's local day; an empty cell in the rollup is a zero.
# Stored in (day, rep) order so that, once it spans several row groups, zone maps skip the days outside the quarter.
ROLLUP_BUILD = """
CREATE OR REPLACE TABLE rep_day AS
WITH closes AS (
    SELECT s.deal_id, s.stage, s.changed_at, s.amount,
           ROW_NUMBER() OVER (PARTITION BY s.deal_id ORDER BY s.changed_at DESC, s.line DESC) AS latest
    FROM deal_stages s WHERE s.stage IN ('won', 'lost')),
closed AS (
    SELECT d.owner_id AS rep, CAST(c.changed_at AS DATE) AS day,
           COUNT(*) FILTER (WHERE c.stage = 'won') AS won, COUNT(*) FILTER (WHERE c.stage = 'lost') AS lost,
           SUM(COALESCE(c.amount, d.amount)) FILTER (WHERE c.stage = 'won') AS won_revenue
    FROM closes c JOIN deals d ON d.external_id = c.deal_id
    WHERE c.latest = 1 GROUP BY ALL),
acts AS (
    SELECT rep_id AS rep, CAST("at" AS DATE) AS day, COUNT(*) FILTER (WHERE type = 'call') AS calls,
           COUNT(*) FILTER (WHERE type = 'meeting_held') AS meetings_held,
           COUNT(*) FILTER (WHERE type = 'proposal_sent') AS proposals_sent
    FROM activities WHERE type IN ('call', 'meeting_held', 'proposal_sent') GROUP BY ALL),
leads_in AS (SELECT owner_id AS rep, CAST(created_at AS DATE) AS day, COUNT(*) AS leads_created FROM leads GROUP BY ALL)
SELECT rep, day,
       CAST(COALESCE(SUM(won), 0) AS INTEGER) AS won, CAST(COALESCE(SUM(lost), 0) AS INTEGER) AS lost,
       CAST(COALESCE(SUM(won_revenue), 0) AS BIGINT) AS won_revenue,
       CAST(COALESCE(SUM(calls), 0) AS INTEGER) AS calls,
       CAST(COALESCE(SUM(meetings_held), 0) AS INTEGER) AS meetings_held,
       CAST(COALESCE(SUM(proposals_sent), 0) AS INTEGER) AS proposals_sent,
       CAST(COALESCE(SUM(leads_created), 0) AS INTEGER) AS leads_created
FROM (SELECT * FROM closed UNION ALL BY NAME SELECT * FROM acts UNION ALL BY NAME SELECT * FROM leads_in)
GROUP BY rep, day
ORDER BY day, rep
"""

# The scorecard from the rollup: the quarter's days summed per rep, the ratios derived as QUERY derives them.
# :lo / :hi are local days. A rep with no row in the quarter gets zeros and no ratios, as in QUERY.
ROLLUP_QUERY = """
WITH q AS (
    SELECT rep, SUM(won) AS won, SUM(lost) AS lost, SUM(won_revenue) AS revenue, SUM(calls) AS calls,
           SUM(meetings_held) AS meetings, SUM(proposals_sent) AS proposals, SUM(leads_created) AS leads
    FROM rep_day WHERE day >= :lo AND day < :hi GROUP BY rep)
SELECT r.external_id AS rep,
       COALESCE(q.won, 0) AS deals_won,
       COALESCE(q.revenue, 0) AS revenue,
       CASE WHEN q.won + q.lost > 0 THEN 100.0 * q.won / (q.won + q.lost) END AS win_rate,
       CASE WHEN q.won > 0 THEN 1.0 * q.revenue / q.won END AS avg_deal_size,
       COALESCE(q.calls, 0) AS calls, COALESCE(q.meetings, 0) AS meetings_held,
       COALESCE(q.proposals, 0) AS proposals_sent,
       CASE WHEN q.leads > 0 THEN 100.0 * q.won / q.leads END AS lead_to_deal_conversion
FROM reps r LEFT JOIN q ON q.rep = r.external_id
ORDER BY r.external_id
"""

# The goals: SalesKPI's time against a DuckDB variant's, as (what, variant, at least this many times faster).
GOALS = [("warm", "duckdb_typed", 100.0), ("warm", "duckdb_rollup", 20.0), ("cold", "duckdb_typed", 1.0)]


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


@dataclass
class Tool:
    key: str               # for --json
    label: str             # for the table
    load_s: float
    build_s: float | None  # the rollup's build, after the load; None for the others
    cold_s: float
    warm_s: float          # the median
    warm_runs: int
    rows: pd.DataFrame     # the answer, money in kopecks


# --- loading -------------------------------------------------------------------------------------

def fresh(path):
    for f in [path, Path(str(path) + ".wal")]:
        f.unlink(missing_ok=True)


def load_duckdb_varchar(bundle, path):
    """Every CSV file into a DuckDB table, money in kopecks, each row's line number kept (for ties)."""
    fresh(path)
    con = duckdb.connect(str(path))
    for name in ALL_FILES:
        f = bundle / f"{name}.csv"
        con.execute(f"CREATE TABLE {name} AS SELECT *, row_number() OVER () AS line "
                    f"FROM read_csv('{f}', header=true, all_varchar=true)")
    # Types for what the query reads: money as integers, times stay ISO text (they compare in order).
    con.execute("ALTER TABLE deals ALTER amount TYPE BIGINT USING CAST(round(CAST(amount AS DOUBLE) * 100) AS BIGINT)")
    con.execute("ALTER TABLE deal_stages ALTER amount TYPE BIGINT "
                "USING CAST(round(CAST(NULLIF(amount, '') AS DOUBLE) * 100) AS BIGINT)")
    con.close()


def load_duckdb_typed(bundle, path):
    """The TYPED tables and columns, read with explicit types, in TIME_ORDER; deal_stages with its line in the file."""
    fresh(path)
    con = duckdb.connect(str(path))
    for name, wanted in TYPED.items():
        f = bundle / f"{name}.csv"
        with open(f, newline="", encoding="utf-8") as fh:
            header = next(csv.reader(fh))
        # Every column of the file has to be named to read_csv; the ones not wanted stay text and are not read.
        types = {c: "DECIMAL(18,2)" if wanted.get(c) == "MONEY" else wanted.get(c, "VARCHAR") for c in header}
        select = [f'CAST("{c}" * 100 AS BIGINT) AS "{c}"' if t == "MONEY" else f'"{c}"' for c, t in wanted.items()]
        if name == "deal_stages":
            select.append("row_number() OVER () AS line")  # file order: DuckDB keeps insertion order by default
        order = f' ORDER BY "{TIME_ORDER[name]}"' if name in TIME_ORDER else ""
        con.execute(f"CREATE TABLE {name} AS SELECT {', '.join(select)} FROM read_csv('{f}', header=true, "
                    f"auto_detect=false, columns={types!r}, timestampformat='{TIME_FORMAT}'){order}")
    con.close()


def build_rollup(path):
    con = duckdb.connect(str(path))
    con.execute(ROLLUP_BUILD)
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

def run_duckdb(path, sql, repeats):
    """Cold: open the database read-only and answer once; then the median of `repeats` warm answers."""
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
    warm = sorted(timed(lambda: pd.read_sql_query(QUERY, con, params={"lo": lo, "hi": hi}))[1]
                  for _ in range(repeats))
    con.close()
    return df, cold_s, warm[len(warm) // 2]


def run_saleskpi(binary, store, quarter, repeats):
    out = subprocess.run([binary, "bench", "--query-store", str(store), "--period", quarter,
                          "--repeats", str(repeats), "--json"], check=True, capture_output=True, text=True).stdout
    result = json.loads(out)
    df = pd.DataFrame(result["rows"]).sort_values("rep").reset_index(drop=True)
    df["revenue"] = (df["revenue"] * 100).round().astype("int64")        # roubles -> kopecks
    df["avg_deal_size"] = df["avg_deal_size"] * 100
    return df, result["cold_start_s"], result["warm_query_s_median"], result


# --- agreement -----------------------------------------------------------------------------------

def agree(a, b):
    """What differs: every rep present in both, every number equal (ratios to 1e-9 relative)."""
    a = a.set_index("rep")[COLUMNS].sort_index()
    b = b.set_index("rep")[COLUMNS].sort_index()
    if list(a.index) != list(b.index):
        return [f"different reps: {sorted(set(a.index) ^ set(b.index))[:5]}"]
    problems = []
    for col in COLUMNS:
        for rep, x, y in zip(a.index, a[col], b[col]):
            xn, yn = pd.isna(x), pd.isna(y)
            if xn != yn or (not xn and abs(float(x) - float(y)) > 1e-9 * max(1.0, abs(float(x)))):
                problems.append(f"{rep} {col}: {x} vs {y}")
    return problems


# --- reporting -----------------------------------------------------------------------------------

def print_table(tools, base):
    head = ["load, s", "build, s", "cold start, s", "warm query, ms", "warm vs SalesKPI", "cold vs SalesKPI"]
    widths = [10, 10, 15, 16, 18, 18]
    print(f"{'':34}" + "".join(f"{h:>{w}}" for h, w in zip(head, widths)))
    for t in tools:
        build = "" if t.build_s is None else f"{t.build_s:.1f}"
        cells = [f"{t.load_s:.1f}", build, f"{t.cold_s:.3f}", f"{t.warm_s * 1000:.3f}",
                 f"{t.warm_s / base.warm_s:,.1f}x", f"{t.cold_s / base.cold_s:,.1f}x"]
        print(f"{t.label:34}" + "".join(f"{c:>{w}}" for c, w in zip(cells, widths)))


def goals(tools, base):
    """Each goal: how many times faster SalesKPI is than the variant (warm query or cold start), and whether met."""
    out = []
    for what, key, target in GOALS:
        other = tools[key]
        ratio = (other.warm_s / base.warm_s) if what == "warm" else (other.cold_s / base.cold_s)
        out.append({"what": what, "against": key, "label": other.label, "times_faster": ratio, "goal": target,
                    "met": ratio >= target})
    return out


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
    p.add_argument("--json", metavar="FILE", help="also write every figure to FILE as JSON")
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
    # The rollup answers in whole days, which is the same range only because a quarter runs midnight to midnight.
    assert lo.endswith("T00:00:00") and hi.endswith("T00:00:00")
    print(f"bundle: {events:,} events; query: {args.quarter} [{lo}, {hi})", flush=True)

    store = work / "saleskpi.sqlite"
    for f in [store, Path(str(store) + "-wal"), Path(str(store) + "-shm"), Path(str(store) + ".engine")]:
        f.unlink(missing_ok=True)
    print("loading into SalesKPI ...", flush=True)
    _, load_kpi = timed(lambda: subprocess.run([args.saleskpi, "import", "--db", str(store), str(bundle),
                                                "--lang", "en"], check=True, capture_output=True))
    varchar_db, typed_db = work / "duck.duckdb", work / "duck-typed.duckdb"
    print("loading into DuckDB (all varchar) ...", flush=True)
    _, load_varchar = timed(lambda: load_duckdb_varchar(bundle, varchar_db))
    print("loading into DuckDB (typed) ...", flush=True)
    _, load_typed = timed(lambda: load_duckdb_typed(bundle, typed_db))
    print("building DuckDB's daily rollup ...", flush=True)
    _, build_rollup_s = timed(lambda: build_rollup(typed_db))  # beside the typed tables, in the same file
    print("loading into SQLite ...", flush=True)
    _, load_lite = timed(lambda: load_sqlite(bundle, work / "plain.sqlite"))

    duck = "DuckDB " + duckdb.__version__
    kpi_runs, duck_runs, lite_runs = args.repeats * 100, args.repeats, max(3, args.repeats // 5)
    kpi, cold_kpi, warm_kpi, raw = run_saleskpi(args.saleskpi, store, args.quarter, kpi_runs)
    base = Tool("saleskpi", "SalesKPI (SQLite store + engine)", load_kpi, None, cold_kpi, warm_kpi, kpi_runs, kpi)
    text_sql = QUERY.replace(":lo", f"'{lo}'").replace(":hi", f"'{hi}'")
    typed_sql = QUERY.replace(":lo", f"TIMESTAMP '{lo}'").replace(":hi", f"TIMESTAMP '{hi}'")
    rollup_sql = ROLLUP_QUERY.replace(":lo", f"DATE '{lo[:10]}'").replace(":hi", f"DATE '{hi[:10]}'")
    runs = [("duckdb_varchar", f"{duck}, all varchar", load_varchar, None, duck_runs,
             lambda: run_duckdb(varchar_db, text_sql, duck_runs)),
            ("duckdb_typed", f"{duck}, typed", load_typed, None, duck_runs,
             lambda: run_duckdb(typed_db, typed_sql, duck_runs)),
            ("duckdb_rollup", f"{duck}, daily rollup", load_typed, build_rollup_s, duck_runs,
             lambda: run_duckdb(typed_db, rollup_sql, duck_runs)),
            ("sqlite", f"SQLite {sqlite3.sqlite_version} (plain tables)", load_lite, None, lite_runs,
             lambda: run_sqlite(work / "plain.sqlite", lo, hi, lite_runs))]
    tools = [base]
    for key, label, load_s, build_s, n, run in runs:
        print(f"querying {label} ...", flush=True)
        df, cold_s, warm_s = run()
        tools.append(Tool(key, label, load_s, build_s, cold_s, warm_s, n, df))

    disagreements = {t.label: agree(kpi, t.rows) for t in tools[1:]}
    for label, problems in disagreements.items():
        if problems:
            print(f"SalesKPI and {label} disagree on {len(problems)} numbers, e.g. " + "; ".join(problems[:5]),
                  file=sys.stderr)
    if any(disagreements.values()):
        sys.exit(1)
    n = len(kpi) * len(COLUMNS)
    won = int(kpi["deals_won"].sum())
    print(f"\nall {len(tools) - 1} agree with SalesKPI on all {n} numbers ({len(kpi)} reps x {len(COLUMNS)}; "
          f"{won} deals won, {int(kpi['calls'].sum()):,} calls in the quarter); SalesKPI engine: {raw['engine']}\n")

    print_table(tools, base)
    met = goals({t.key: t for t in tools}, base)
    print()
    for g in met:
        what = "warm query" if g["what"] == "warm" else "cold start"
        print(f"goal: SalesKPI's {what} at least {g['goal']:g}x as fast as {g['label']}'s: "
              f"{g['times_faster']:,.2f}x -- {'met' if g['met'] else 'NOT met'}")

    if args.json:
        figures = {
            "bundle": {"events": events, "reps": len(kpi), "quarter": args.quarter, "from": lo, "to": hi},
            "versions": {"duckdb": duckdb.__version__, "sqlite": sqlite3.sqlite_version, "pandas": pd.__version__},
            "duckdb_threads": duckdb.connect().execute("SELECT current_setting('threads')").fetchone()[0],
            "cpus": os.cpu_count(),
            "saleskpi_engine": raw["engine"], "numbers_agreed_per_tool": n,
            "tools": {t.key: {"label": t.label, "load_s": t.load_s, "build_s": t.build_s, "cold_start_s": t.cold_s,
                              "warm_query_s_median": t.warm_s, "warm_runs": t.warm_runs,
                              "warm_vs_saleskpi": t.warm_s / base.warm_s, "cold_vs_saleskpi": t.cold_s / base.cold_s}
                      for t in tools},
            "goals": met,
        }
        Path(args.json).write_text(json.dumps(figures, indent=2) + "\n", encoding="utf-8")
        print(f"\nfigures written to {args.json}")


if __name__ == "__main__":
    main()
