/** Collector counters in Prometheus text format; small enough not to need a client library. */
export class Metrics {
  spansReceived = 0;
  spansStored = 0;
  spansRejected = 0;
  requestsRefused = 0;
  /** Epoch ms of the last ingest request answered 429 or 5xx (0: none), for the interrupt sweeper. */
  lastIngestRefusalAt = 0;
  private readonly requests = new Map<string, number>();
  private readonly buckets = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5];
  private readonly durationCounts = new Map<string, number[]>();
  private readonly durationSums = new Map<string, number>();
  private readonly registered: {
    name: string;
    help: string;
    type: "gauge" | "counter";
    read: () => number;
  }[] = [];

  /** A gauge read when /metrics is scraped; each part of the collector registers its own. */
  gauge(name: string, help: string, read: () => number): void {
    this.register(name, help, "gauge", read);
  }

  /** A counter kept elsewhere, read when /metrics is scraped. */
  counter(name: string, help: string, read: () => number): void {
    this.register(name, help, "counter", read);
  }

  private register(name: string, help: string, type: "gauge" | "counter", read: () => number): void {
    if (this.registered.some((m) => m.name === name)) throw new Error(`Metrics: ${name} registered twice`);
    this.registered.push({ name, help, type, read });
  }

  observeRequest(route: string, status: number, seconds: number): void {
    if (route === "/v1/traces" && (status === 429 || status >= 500)) this.lastIngestRefusalAt = Date.now();
    const key = `route="${route}",status="${status}"`;
    this.requests.set(key, (this.requests.get(key) ?? 0) + 1);
    const counts = this.durationCounts.get(route) ?? new Array(this.buckets.length + 1).fill(0);
    const index = this.buckets.findIndex((b) => seconds <= b);
    counts[index === -1 ? this.buckets.length : index]++;
    this.durationCounts.set(route, counts);
    this.durationSums.set(route, (this.durationSums.get(route) ?? 0) + seconds);
  }

  render(gauges: { queueDepth: number; sseClients: number }): string {
    const lines = [
      ...counter("flightrec_spans_received_total", "Spans received in OTLP requests.", this.spansReceived),
      ...counter("flightrec_spans_stored_total", "Spans committed to the store.", this.spansStored),
      ...counter("flightrec_spans_rejected_total", "Spans rejected (partial success).", this.spansRejected),
      ...counter(
        "flightrec_requests_refused_total",
        "Ingest requests refused for overload.",
        this.requestsRefused,
      ),
      "# HELP flightrec_write_queue_spans Spans accepted but not yet committed.",
      "# TYPE flightrec_write_queue_spans gauge",
      `flightrec_write_queue_spans ${gauges.queueDepth}`,
      "# HELP flightrec_sse_clients Connected live-update clients.",
      "# TYPE flightrec_sse_clients gauge",
      `flightrec_sse_clients ${gauges.sseClients}`,
      ...this.registered.flatMap((m) => [
        `# HELP ${m.name} ${m.help}`,
        `# TYPE ${m.name} ${m.type}`,
        `${m.name} ${m.read()}`,
      ]),
      "# HELP flightrec_http_requests_total HTTP requests by route and status.",
      "# TYPE flightrec_http_requests_total counter",
      ...[...this.requests].map(([labels, n]) => `flightrec_http_requests_total{${labels}} ${n}`),
      "# HELP flightrec_http_request_duration_seconds HTTP request latency.",
      "# TYPE flightrec_http_request_duration_seconds histogram",
    ];
    for (const [route, counts] of this.durationCounts) {
      let cumulative = 0;
      this.buckets.forEach((le, i) => {
        cumulative += counts[i]!;
        lines.push(
          `flightrec_http_request_duration_seconds_bucket{route="${route}",le="${le}"} ${cumulative}`,
        );
      });
      cumulative += counts[this.buckets.length]!;
      lines.push(`flightrec_http_request_duration_seconds_bucket{route="${route}",le="+Inf"} ${cumulative}`);
      lines.push(
        `flightrec_http_request_duration_seconds_sum{route="${route}"} ${this.durationSums.get(route)}`,
      );
      lines.push(`flightrec_http_request_duration_seconds_count{route="${route}"} ${cumulative}`);
    }
    return `${lines.join("\n")}\n`;
  }
}

function counter(name: string, help: string, value: number): string[] {
  return [`# HELP ${name} ${help}`, `# TYPE ${name} counter`, `${name} ${value}`];
}
