/// Read-only views for BI tools (Metabase, Superset, Power BI) pointed at the PostgreSQL store:
/// days in the company's time zone, money in major units (roubles with kopecks, `numeric(18, 2)`), names beside ids.
/// Documented in docs/scaling.md; `saleskpi serve` and `import` keep `bi_settings.time_zone` equal to
/// the KPI system's. The views change only by new migrations, so dashboards built on them keep working.
enum BIViews {
    static let statements: [String] = [
        "CREATE TABLE bi_settings (id INT PRIMARY KEY CHECK (id = 1), time_zone TEXT NOT NULL)",
        "INSERT INTO bi_settings VALUES (1, 'Europe/Moscow')",
        // STABLE and in SQL: the planner inlines it into the views.
        """
        CREATE FUNCTION bi_day(ts BIGINT) RETURNS date LANGUAGE sql STABLE AS
        $$ SELECT (to_timestamp(ts) AT TIME ZONE (SELECT time_zone FROM bi_settings WHERE id = 1))::date $$
        """,
        """
        CREATE VIEW bi_reps AS
        SELECT r.id AS rep_id, r.external_id, r.name AS rep, r.role, t.name AS team, m.name AS manager
        FROM reps r LEFT JOIN teams t ON t.id = r.team_id LEFT JOIN reps m ON m.id = r.manager_id
        """,
        // A deal with where it stands: its latest stage change, and the close if it is closed.
        """
        CREATE VIEW bi_deals AS
        SELECT d.id AS deal_id, d.source, d.external_id, a.name AS account, a.industry, a.segment,
               d.owner_id AS rep_id, r.name AS rep, t.name AS team, d.kind, d.product, d.deal_source,
               d.lead_id IS NOT NULL AS from_lead, bi_day(d.created_at) AS created_day,
               (d.amount / 100.0)::numeric(18, 2) AS amount,
               COALESCE(s.stage, 'new') AS stage, bi_day(s.changed_at) AS stage_day,
               CASE WHEN s.stage IN ('won', 'lost') THEN bi_day(s.changed_at) END AS closed_day,
               CASE WHEN s.stage = 'won' THEN (COALESCE(s.amount, d.amount) / 100.0)::numeric(18, 2) END AS won_amount,
               s.lost_reason
        FROM deals d
        JOIN accounts a ON a.id = d.account_id
        JOIN reps r ON r.id = d.owner_id
        LEFT JOIN teams t ON t.id = r.team_id
        LEFT JOIN LATERAL (
            SELECT x.stage, x.changed_at, x.amount, x.lost_reason FROM deal_stages x
            WHERE x.deal_id = d.id ORDER BY x.changed_at DESC, x.id DESC LIMIT 1) s ON true
        """,
        """
        CREATE VIEW bi_activities AS
        SELECT x.id AS activity_id, x.source, x.external_id, x.rep_id, r.name AS rep, t.name AS team, x.type,
               bi_day(x.at) AS day, to_timestamp(x.at) AS at, x.duration_seconds, x.outcome, a.name AS account,
               x.deal_id
        FROM activities x
        JOIN reps r ON r.id = x.rep_id
        LEFT JOIN teams t ON t.id = r.team_id
        LEFT JOIN accounts a ON a.id = x.account_id
        """,
        // The base measures of the KPIs by rep and day (what the engine keeps in memory): BI sums them
        // over any period and divides, e.g. win rate = sum(deals_won) / (sum(deals_won) + sum(deals_lost)).
        """
        CREATE VIEW bi_rep_day AS
        WITH closes AS (
            SELECT DISTINCT ON (s.deal_id) s.deal_id, s.stage, s.changed_at,
                   COALESCE(s.amount, d.amount) AS amount, d.owner_id
            FROM deal_stages s JOIN deals d ON d.id = s.deal_id
            WHERE s.stage IN ('won', 'lost') ORDER BY s.deal_id, s.changed_at DESC, s.id DESC),
        facts AS (
            SELECT rep_id, bi_day(at) AS day, 1 AS calls, duration_seconds AS call_seconds, 0 AS meetings_held,
                   0 AS proposals_sent, 0 AS leads_created, 0 AS deals_created, 0 AS deals_won, 0 AS deals_lost,
                   0::bigint AS won_revenue, 0::bigint AS paid
            FROM activities WHERE type = 'call'
            UNION ALL SELECT rep_id, bi_day(at), 0, 0, 1, 0, 0, 0, 0, 0, 0, 0
                      FROM activities WHERE type = 'meeting_held'
            UNION ALL SELECT rep_id, bi_day(at), 0, 0, 0, 1, 0, 0, 0, 0, 0, 0
                      FROM activities WHERE type = 'proposal_sent'
            UNION ALL SELECT owner_id, bi_day(created_at), 0, 0, 0, 0, 1, 0, 0, 0, 0, 0 FROM leads
            UNION ALL SELECT owner_id, bi_day(created_at), 0, 0, 0, 0, 0, 1, 0, 0, 0, 0 FROM deals
            UNION ALL SELECT owner_id, bi_day(changed_at), 0, 0, 0, 0, 0, 0, (stage = 'won')::int,
                             (stage = 'lost')::int, CASE WHEN stage = 'won' THEN amount ELSE 0 END, 0 FROM closes
            UNION ALL SELECT i.rep_id, bi_day(p.paid_at), 0, 0, 0, 0, 0, 0, 0, 0, 0, p.amount
            FROM payments p JOIN invoices i ON i.id = p.invoice_id)
        SELECT f.rep_id, r.name AS rep, t.name AS team, f.day,
               sum(calls) AS calls, sum(call_seconds) AS call_seconds, sum(meetings_held) AS meetings_held,
               sum(proposals_sent) AS proposals_sent, sum(leads_created) AS leads_created,
               sum(deals_created) AS deals_created, sum(deals_won) AS deals_won, sum(deals_lost) AS deals_lost,
               (sum(won_revenue) / 100.0)::numeric(18, 2) AS won_revenue, (sum(paid) / 100.0)::numeric(18, 2) AS paid
        FROM facts f JOIN reps r ON r.id = f.rep_id LEFT JOIN teams t ON t.id = r.team_id
        GROUP BY f.rep_id, r.name, t.name, f.day
        """,
    ]
}
