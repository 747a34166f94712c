import { useQuery } from "@tanstack/react-query";
import { useMemo } from "react";
import { useSearchParams } from "react-router";
import {
  Bar,
  BarChart,
  CartesianGrid,
  Legend,
  Line,
  LineChart,
  ResponsiveContainer,
  Tooltip,
  XAxis,
  YAxis,
} from "recharts";
import { fetchStats } from "../api/client";
import type { Stats } from "../api/schemas";
import { Empty, ErrorState, Loading } from "../components/states";
import { formatCost, formatCount, formatDuration } from "../format";
import { useDocumentTitle } from "../hooks/use-document-title";

const RANGES = {
  "24h": { ms: 86_400_000, bucket: "hour" },
  "7d": { ms: 7 * 86_400_000, bucket: "day" },
  "30d": { ms: 30 * 86_400_000, bucket: "day" },
} as const;
type Range = keyof typeof RANGES;

/** Runs, errors, tokens and cost over time; cost and latency by model and by tool. */
export function UsagePage() {
  useDocumentTitle("Cost & usage");
  // The range lives in the URL (`?range=24h`) so a view can be linked; a value this page does
  // not know is named, not silently replaced.
  const [search, setSearch] = useSearchParams();
  const asked = search.get("range");
  const range: Range = asked !== null && asked in RANGES ? (asked as Range) : "7d";
  const setRange = (next: Range) => setSearch(next === "7d" ? {} : { range: next }, { replace: true });
  const params = useMemo(() => {
    const r = RANGES[range];
    // Rounded to the minute so the query key is stable between renders.
    const from = new Date(Math.floor((Date.now() - r.ms) / 60_000) * 60_000).toISOString();
    return { from, bucket: r.bucket };
  }, [range]);
  const stats = useQuery({ queryKey: ["stats", params], queryFn: () => fetchStats(params) });
  return (
    <section className="page usage-page">
      <div className="page-head">
        <h2>Cost &amp; usage</h2>
        <label>
          Range{" "}
          <select value={range} onChange={(e) => setRange(e.target.value as Range)}>
            {Object.keys(RANGES).map((r) => (
              <option key={r}>{r}</option>
            ))}
          </select>
        </label>
      </div>
      {asked !== null && !(asked in RANGES) ? (
        <p className="state state-error" role="alert" data-testid="range-problem">
          No range "{asked}": use one of {Object.keys(RANGES).join(", ")}. Showing {range}.
        </p>
      ) : null}
      {stats.isPending ? (
        <Loading what="usage" />
      ) : stats.isError && !stats.data ? (
        <ErrorState what="usage" error={stats.error} />
      ) : stats.data.series.length === 0 ? (
        <Empty>No runs in this range.</Empty>
      ) : (
        <UsageCharts stats={stats.data} />
      )}
    </section>
  );
}

function UsageCharts({ stats }: { stats: Stats }) {
  const series = stats.series.map((s) => ({ ...s, label: s.bucket.replace("T", " ").slice(0, 16) }));
  return (
    <div className="usage">
      <div className="charts">
        <Chart title="Runs and errors">
          <BarChart data={series}>
            <CartesianGrid strokeDasharray="3 3" />
            <XAxis dataKey="label" fontSize={11} />
            <YAxis allowDecimals={false} fontSize={11} />
            <Tooltip />
            <Legend />
            <Bar dataKey="runs" fill="#4f7cff" isAnimationActive={false} />
            <Bar dataKey="errors" fill="#d9485f" isAnimationActive={false} />
          </BarChart>
        </Chart>
        <Chart title="Tokens">
          <LineChart data={series}>
            <CartesianGrid strokeDasharray="3 3" />
            <XAxis dataKey="label" fontSize={11} />
            <YAxis fontSize={11} />
            <Tooltip />
            <Legend />
            <Line
              dataKey="input_tokens"
              name="input"
              stroke="#4f7cff"
              dot={false}
              isAnimationActive={false}
            />
            <Line
              dataKey="output_tokens"
              name="output"
              stroke="#2f9e6b"
              dot={false}
              isAnimationActive={false}
            />
          </LineChart>
        </Chart>
        <Chart title="Cost (USD)">
          <LineChart data={series}>
            <CartesianGrid strokeDasharray="3 3" />
            <XAxis dataKey="label" fontSize={11} />
            <YAxis fontSize={11} />
            <Tooltip formatter={(v) => formatCost(Number(v))} />
            <Line dataKey="cost_usd" name="cost" stroke="#c98a00" dot={false} isAnimationActive={false} />
          </LineChart>
        </Chart>
      </div>
      <section className="panel">
        <h3>By model</h3>
        <table className="plain" aria-label="Usage by model">
          <thead>
            <tr>
              <th>Model</th>
              <th>Calls</th>
              <th>Input tokens</th>
              <th>Output tokens</th>
              <th>Cost</th>
              <th>p50</th>
              <th>p95</th>
            </tr>
          </thead>
          <tbody>
            {stats.byModel.map((m) => (
              <tr key={m.model ?? "(unknown)"}>
                <td className="mono">{m.model ?? "(unknown)"}</td>
                <td>{formatCount(m.calls)}</td>
                <td>{formatCount(m.input_tokens)}</td>
                <td>{formatCount(m.output_tokens)}</td>
                <td>{formatCost(m.cost_usd)}</td>
                <td>{formatDuration(m.p50_ms)}</td>
                <td>{formatDuration(m.p95_ms)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </section>
      <section className="panel">
        <h3>By tool</h3>
        <table className="plain" aria-label="Usage by tool">
          <thead>
            <tr>
              <th>Tool</th>
              <th>Calls</th>
              <th>Errors</th>
              <th>p50</th>
              <th>p95</th>
            </tr>
          </thead>
          <tbody>
            {stats.byTool.map((t) => (
              <tr key={t.tool ?? "(unknown)"}>
                <td className="mono">{t.tool ?? "(unknown)"}</td>
                <td>{formatCount(t.calls)}</td>
                <td>{formatCount(t.errors)}</td>
                <td>{formatDuration(t.p50_ms)}</td>
                <td>{formatDuration(t.p95_ms)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </section>
    </div>
  );
}

function Chart({ title, children }: { title: string; children: React.ReactElement }) {
  return (
    <section className="panel chart">
      <h3>{title}</h3>
      <div className="chart-box">
        <ResponsiveContainer width="100%" height="100%">
          {children}
        </ResponsiveContainer>
      </div>
    </section>
  );
}
