"""The independent computation behind SalesforceExportTests: per owner, the deals won, lost and open and the
revenue in US dollars, and how many deals reached each funnel stage, straight from the raw Salesforce export in
../shared/datasets/salesforce-winkel (pandas, Latin-1), with the rates and stage map of this folder.

    python3 Tests/SalesImportTests/Fixtures/salesforce/expected.py > Tests/SalesImportTests/Fixtures/salesforce/expected.csv

Rules, as docs/recipes.md states them for the salesforce-export preset:
- a deal's close is its latest Closed Won / Closed Lost row in OpportunityHistory (by CreatedDate);
- its amount is rounded to the cent (half up), then converted at the latest rate on or before its CloseDate
  and rounded to the cent (half up); revenue is the sum over won deals, by the deal's OwnerId;
- a deal reaches a funnel stage when its history has a row in that stage or a later one (lost rows aside;
  a win reaches them all);
- per owner, the activities: a closed Task is a call when its Type is Call or it has a CallDurationInSeconds,
  an e-mail when its Type is Email or it has an EmailMessageId (its Type said nothing), a meeting held when
  its Type is Meeting; an Event is a meeting booked and a meeting held; every other Task is a to-do (due);
- leads: per owner that is a User, the leads; a converted lead is an SQL.
"""
import os
from decimal import ROUND_HALF_UP, Decimal
import math

import pandas as pd

here = os.path.dirname(os.path.abspath(__file__))
data = os.path.join(here, "../../../../../shared/datasets/salesforce-winkel")
opp = pd.read_csv(os.path.join(data, "Opportunity.csv"), encoding="latin-1", dtype=str, keep_default_na=False)
hist = pd.read_csv(os.path.join(data, "OpportunityHistory.csv"), encoding="latin-1", dtype=str, keep_default_na=False)
rates = pd.read_csv(os.path.join(here, "rates.csv"), dtype={"rate": float})

stage_map = {
    "Interes": "contacted", "Diseño Propuesta": "proposal", "Presentación Propuesta": "proposal",
    "Negociación": "contract", "Firmas": "contract", "Closed Won": "won", "Closed Lost": "lost",
}
rank = {"new": 0, "contacted": 1, "meeting": 2, "proposal": 3, "contract": 4}

hist["stage"] = hist["StageName"].map(stage_map)
assert hist["stage"].notna().all()
closes = hist[hist["stage"].isin(["won", "lost"])].sort_values("CreatedDate").groupby("OpportunityId").last()
outcome = closes["stage"]


def cents(text):
    return int((Decimal(text or "0").quantize(Decimal("0.01"), rounding=ROUND_HALF_UP) * 100))


def converted(row):
    day = row["CloseDate"][:10]
    r = rates[(rates["currency"] == row["CurrencyIsoCode"]) & (rates["date"] <= day)].sort_values("date")
    rate = 1.0 if row["CurrencyIsoCode"] == "USD" else r["rate"].iloc[-1]
    return int(math.floor(cents(row["Amount"]) * rate + 0.5))


opp["outcome"] = opp["Id"].map(outcome).fillna("open")
opp["usd"] = opp.apply(converted, axis=1)
print("owner,won,lost,open,revenue_cents")
for owner, g in sorted(opp.groupby("OwnerId")):
    won = g[g["outcome"] == "won"]
    print(f"{owner},{len(won)},{(g['outcome'] == 'lost').sum()},{(g['outcome'] == 'open').sum()},{won['usd'].sum()}")
top = {}
for _, h in hist.iterrows():
    s = h["stage"]
    if s == "lost":
        continue
    r = 4 if s == "won" else rank[s]
    top[h["OpportunityId"]] = max(top.get(h["OpportunityId"], -1), r)
for name in ["meeting", "proposal", "contract"]:
    print(f"reached:{name},{sum(1 for v in top.values() if v >= rank[name])},,,")
tasks = pd.read_csv(os.path.join(data, "Task.redacted.csv"), encoding="latin-1", dtype=str, keep_default_na=False)
events = pd.read_csv(os.path.join(data, "Event.redacted.csv"), encoding="latin-1", dtype=str, keep_default_na=False)
leads = pd.read_csv(os.path.join(data, "Lead.redacted.csv"), encoding="latin-1", dtype=str, keep_default_na=False)
users = pd.read_csv(os.path.join(data, "User.redacted.csv"), encoding="latin-1", dtype=str, keep_default_na=False)


def task_kind(t):
    if t["IsClosed"] != "1":
        return "todo"
    by_type = {"Call": "call", "Email": "email", "Meeting": "meeting_held"}.get(t["Type"])
    if by_type:
        return by_type
    if t["EmailMessageId"] not in ("", "000000000000000AAA"):
        return "email"
    if t["CallDurationInSeconds"] != "":
        return "call"
    return "todo"


tasks["kind"] = tasks.apply(task_kind, axis=1)
print("activities:owner,calls,emails,meetings_booked,meetings_held,tasks_due,leads,sqls")
owners = sorted(set(tasks["OwnerId"]) | set(events["OwnerId"]) | set(leads["OwnerId"]))
for owner in owners:
    t = tasks[tasks["OwnerId"] == owner]["kind"].value_counts()
    e = (events["OwnerId"] == owner).sum()
    mine = leads[(leads["OwnerId"] == owner) & leads["OwnerId"].isin(users["Id"])]
    print(f"activities:{owner},{t.get('call', 0)},{t.get('email', 0)},{e},{t.get('meeting_held', 0) + e},"
          f"{t.get('todo', 0)},{len(mine)},{(mine['IsConverted'] == '1').sum()}")

# The reps' commit (SalesKPI's crm_commit): on each month's first day in Moscow (the test's company calendar), the
# deals then open whose latest history row before it says Commit or Closed with a CloseDate inside the month, at
# their converted amount.
opp["closed_at"] = opp["Id"].map(closes["CreatedDate"])
ordered = hist.sort_values("CreatedDate", kind="stable")
for month, first, start in [("2023-06", "2023-06-01", "2023-05-31 21:00:00"),
                            ("2023-07", "2023-07-01", "2023-06-30 21:00:00"),
                            ("2023-08", "2023-08-01", "2023-07-31 21:00:00")]:
    nxt = {"2023-06": "2023-07-01", "2023-07": "2023-08-01", "2023-08": "2023-09-01"}[month]
    latest = ordered[ordered["CreatedDate"] < start].groupby("OpportunityId").last()
    total = 0
    for _, o in opp.iterrows():
        if not o["CreatedDate"] < start or (isinstance(o["closed_at"], str) and o["closed_at"] < start):
            continue
        if o["Id"] not in latest.index:
            continue
        h = latest.loc[o["Id"]]
        if h["ForecastCategory"] in ("Commit", "Closed") and first <= h["CloseDate"][:10] < nxt:
            total += o["usd"]
    print(f"commit:{month},{total},,,")
