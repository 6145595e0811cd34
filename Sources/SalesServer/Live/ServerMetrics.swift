import Hummingbird
import Metrics
import NIOCore
import Prometheus

/// Prometheus metrics: request counts and latency (Hummingbird's MetricsMiddleware through
/// swift-metrics), events ingested, the engine's size and open live pages.
public struct ServerMetrics: Sendable {
    /// The process's registry; `bootstrap()` routes swift-metrics into it once.
    public static let registry = PrometheusCollectorRegistry()
    private static let bootstrapOnce: Void = MetricsSystem.bootstrap(PrometheusMetricsFactory(registry: registry))
    public static func bootstrap() { _ = bootstrapOnce }

    let registry: PrometheusCollectorRegistry
    let live: LiveEngine
    let eventsIngested: Prometheus.Counter
    let engineEvents: Prometheus.Gauge
    let engineBytes: Prometheus.Gauge
    let liveListeners: Prometheus.Gauge

    init(registry: PrometheusCollectorRegistry, live: LiveEngine) {
        self.registry = registry
        self.live = live
        eventsIngested = registry.makeCounter(
            name: "saleskpi_events_ingested_total", help: "Events stored through the API and uploads")
        engineEvents = registry.makeGauge(
            name: "saleskpi_engine_events", help: "Events applied to the in-memory engine")
        engineBytes = registry.makeGauge(
            name: "saleskpi_engine_bytes", help: "Approximate memory held by the engine's aggregates")
        liveListeners = registry.makeGauge(
            name: "saleskpi_live_listeners", help: "Dashboards listening for live updates")
    }

    func exposition() -> Response {
        let (events, bytes) = live.read { ($0.eventCount, $0.approximateBytes) }
        engineEvents.set(Double(events))
        engineBytes.set(Double(bytes))
        liveListeners.set(Double(live.updates.listenerCount))
        return Response(
            status: .ok, headers: [.contentType: "text/plain; version=0.0.4"],
            body: .init(byteBuffer: ByteBuffer(bytes: registry.emitToBuffer())))
    }
}
