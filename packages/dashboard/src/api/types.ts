/** The query API's shapes, as the dashboard reads them. */
export interface RunSummary {
  run_id: string;
  name: string | null;
  status: "running" | "ok" | "error" | "interrupted";
  started_at: string | null;
  duration_ms: number | null;
  current_step: number | null;
  current_step_name: string | null;
  steps: number;
  attempts: number;
  input_tokens: number | null;
  output_tokens: number | null;
  cost_usd: number | null;
  error: string | null;
  request_id: string | null;
}

export interface SpanSummary {
  trace_id: string;
  span_id: string;
  parent_span_id: string | null;
  kind: string;
  name: string;
  status: string;
  started_at: string;
  duration_ms: number | null;
  step_index: number | null;
  model: string | null;
  cost_usd: number | null;
  error: string | null;
}

export interface RunDetail {
  run: RunSummary;
  spans: SpanSummary[];
}
