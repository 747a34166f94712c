/** The README's example queries, offered on the SQL page. */
export const EXAMPLE_QUERIES: readonly { title: string; sql: string }[] = [
  {
    title: "Where did each run stop, and what did it cost?",
    sql: "SELECT run_id, status, current_step, current_step_name, cost_usd FROM runs ORDER BY started_at DESC;",
  },
  {
    title: "The steps of one run, in order, with their checkpoints",
    sql: "SELECT step_index, name, status, duration_ms, output FROM spans\nWHERE run_id = 'task-123' AND kind = 'step' ORDER BY started_at;",
  },
  {
    title: "Why the agent did what it did",
    sql: "SELECT step, action, cost_usd FROM decisions WHERE run_id = 'task-123' ORDER BY ts;",
  },
];
