"""Lead sources computed independently of SalesKPI, with pandas, from leads.csv and closed-deals.csv:
per source (lower case, as SalesKPI keeps it; empty when not given), the leads, those with a deal, those with a
won deal, and the revenue won. Writes expected.csv; run: python3 expected.py"""
import pandas as pd

leads = pd.read_csv("leads.csv", dtype=str, keep_default_na=False)
deals = pd.read_csv("closed-deals.csv", dtype={"Amount": int, "Lead ID": str})
leads["source"] = leads["Source"].str.lower()
per_lead = deals.assign(won=deals["Outcome"] == "Won", revenue=deals["Amount"].where(deals["Outcome"] == "Won", 0))
per_lead = per_lead.groupby("Lead ID").agg(won=("won", "any"), revenue=("revenue", "sum"))
joined = leads.merge(per_lead, how="left", left_on="Lead ID", right_index=True)
joined["with_deal"] = joined["won"].notna()
joined["won"] = joined["won"].fillna(False).astype(bool)
joined["revenue"] = joined["revenue"].fillna(0).astype(int)
out = joined.groupby("source").agg(
    leads=("Lead ID", "count"), with_deal=("with_deal", "sum"), won=("won", "sum"), revenue=("revenue", "sum"),
    sqls=("Qualified", lambda q: (q != "").sum()))
out["deal_pct"] = (out["with_deal"] / out["leads"] * 100).round(1)
out.reset_index().to_csv("expected.csv", index=False)
print(out)
