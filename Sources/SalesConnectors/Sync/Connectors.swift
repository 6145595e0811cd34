import SalesCore
import SalesImport

/// The connectors SalesKPI has, by CRM name.
public enum Connectors {
    public static let names = ["amocrm", "bitrix24", "hubspot", "pipedrive", "salesforce"]

    /// The connector of a stored connection.
    public static func make(
        crm: String, settings: ConnectionSettings, conversion: CurrencyConversion, calendar: CompanyCalendar
    ) throws -> any CRMConnector {
        switch crm {
        case "amocrm": try AmoCRMConnector(settings: settings, conversion: conversion, calendar: calendar)
        case "bitrix24": try Bitrix24Connector(settings: settings, conversion: conversion, calendar: calendar)
        case "hubspot": try HubSpotConnector(settings: settings, conversion: conversion, calendar: calendar)
        case "pipedrive": try PipedriveConnector(settings: settings, conversion: conversion, calendar: calendar)
        case "salesforce": try SalesforceConnector(settings: settings, conversion: conversion, calendar: calendar)
        default: throw UnsupportedCRM(crm: crm)
        }
    }
}

/// A CRM with no connector (yet).
public struct UnsupportedCRM: Error, Sendable, Equatable {
    public let crm: String
}
