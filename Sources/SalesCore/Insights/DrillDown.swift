/// The records behind a KPI's number, so that a click on the number opens the list that makes it:
/// a revenue figure opens the deals won, a call count the calls. Each KPI names its own
/// (`KPIDefinition.drillDown`); KPIs built from surveys, invoices, leads or tasks have no list yet.
public enum DrillDown: Sendable, Hashable {
    case deals(SalesEngine.DealSet)
    case activities(ActivityType)
}
