import { useQuery } from "@tanstack/react-query";
import { Link } from "react-router";
import { fetchRuns } from "../api/client";
import { formatDuration, formatTime } from "../format";

export function RunsPage() {
  const runs = useQuery({ queryKey: ["runs"], queryFn: fetchRuns, refetchInterval: 2000 });
  if (runs.isPending) return <p>Loading runs…</p>;
  if (runs.isError) return <p role="alert">Could not load runs: {runs.error.message}</p>;
  if (runs.data.length === 0) return <p>No runs yet. Point an agent at this collector to see them here.</p>;
  return (
    <table className="runs">
      <thead>
        <tr>
          <th>Name</th>
          <th>Run ID</th>
          <th>Status</th>
          <th>Started</th>
          <th>Duration</th>
          <th>Steps</th>
        </tr>
      </thead>
      <tbody>
        {runs.data.map((run) => (
          <tr key={run.run_id} data-run-id={run.run_id}>
            <td>
              <Link to={`/runs/${encodeURIComponent(run.run_id)}`}>{run.name ?? "(unnamed)"}</Link>
            </td>
            <td className="mono">{run.run_id}</td>
            <td>
              <span className={`status status-${run.status}`}>{run.status}</span>
            </td>
            <td>{formatTime(run.started_at)}</td>
            <td>{formatDuration(run.duration_ms)}</td>
            <td>{run.steps}</td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}
