#!/usr/bin/env python3
"""Independent computation of the maven-crm per-rep figures that SalesKPI must reproduce.

Reads sales_pipeline.csv with the standard library only (no SalesKPI code) and applies the
definitions of docs/data-format.md / the KPI catalog directly to the raw rows:
  deals_won, deals_lost, revenue   won/lost deals closed in the period, sum of close_value of won
  win_rate                         won / (won + lost) * 100
  avg_deal_size                    revenue / won
  sales_cycle_days                 mean of (close_date - engage_date) in days over won deals
  open_deals                       deals created before the period's end and not closed before it;
                                   a deal is created on engage_date, an undated (Prospecting) deal
                                   on the export's last date.
Usage: expected.py DATASET_DIR > expected.csv  (periods: all time, 2017-Q2)
"""
import csv, sys
from datetime import date

src = sys.argv[1]
rows = list(csv.DictReader(open(f"{src}/sales_pipeline.csv", newline="")))
d = lambda s: date.fromisoformat(s) if s else None
last = max(x for r in rows for x in (d(r["engage_date"]), d(r["close_date"])) if x)

def figures(agent, start, end):
    won = lost = open_ = 0
    revenue = 0
    cycle = 0
    for r in rows:
        if r["sales_agent"] != agent:
            continue
        created = d(r["engage_date"]) or last
        close = d(r["close_date"])
        if close and start <= close < end:
            if r["deal_stage"] == "Won":
                won += 1
                revenue += int(r["close_value"])
                cycle += (close - d(r["engage_date"])).days
            elif r["deal_stage"] == "Lost":
                lost += 1
        if created < end and not (close and close < end):
            open_ += 1
    f = lambda v: "" if v is None else f"{v:.2f}"
    return [won, lost, f"{revenue:.2f}", f(won / (won + lost) * 100 if won + lost else None),
            f(revenue / won if won else None), f(cycle / won if won else None), open_]

periods = {"all": (date(1900, 1, 1), date.fromordinal(last.toordinal() + 1)),
           "2017-Q2": (date(2017, 4, 1), date(2017, 7, 1))}
out = csv.writer(sys.stdout, lineterminator="\n")
out.writerow(["period", "rep", "deals_won", "deals_lost", "revenue", "win_rate", "avg_deal_size", "sales_cycle_days", "open_deals"])
for name, (start, end) in periods.items():
    for agent in sorted({r["sales_agent"] for r in rows}):
        out.writerow([name, agent] + figures(agent, start, end))
