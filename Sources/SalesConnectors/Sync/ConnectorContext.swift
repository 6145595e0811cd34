import SalesCore
import SalesImport

/// What every connector needs besides its HTTP client: the connection's settings, the stage names it knows (its
/// CRM's export preset's, then the connection's own by name or id), and how an amount in another currency
/// becomes the company's.
struct ConnectorContext {
    let settings: ConnectionSettings
    let stages: Recipe
    let conversion: CurrencyConversion
    let calendar: CompanyCalendar

    init(settings: ConnectionSettings, preset: String, conversion: CurrencyConversion, calendar: CompanyCalendar)
        throws
    {
        self.settings = settings
        guard var recipe = try Recipe.preset(preset) else { throw UnsupportedCRM(crm: preset) }
        recipe.addStages(settings.stages)
        stages = recipe
        self.conversion = conversion
        self.calendar = calendar
    }

    /// A CRM stage by its id in the connection's stage map, else by its name in the preset's and the map's.
    func stage(id: String, name: String) -> DealStage? {
        settings.stages[id].flatMap(DealStage.init(rawValue:)) ?? stages.stage(named: name)
    }

    /// Minor units of `currency` (none: the connection's) in the company's, at the rate of `instant`'s day.
    func converted(_ amount: Money, currency: String? = nil, on instant: Timestamp) throws -> (Money, OriginalAmount?) {
        let code = currency.flatMap { $0.isEmpty ? nil : $0 } ?? settings.currency
        let day = calendar.day(of: instant)
        guard let converted = conversion.convert(amount, from: code, on: day) else {
            throw ConnectorError.noRate(currency: code, day: "\(CivilDate(day))")
        }
        return converted
    }
}
