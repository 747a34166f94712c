export { type AppOptions, type CollectorApp, createApp, createCollectorApp } from "./app.js";
export { isLoopbackAddress, resolveHost } from "./loopback.js";
export {
  DEFAULT_HOST,
  DEFAULT_PORT,
  type RunningServer,
  type ServerOptions,
  startServer,
} from "./server.js";
export { SqlRunner, type SqlRunnerOptions } from "./sql/sql-runner.js";
export { PostgresStore, type PostgresStoreOptions } from "./store/postgres/postgres-store.js";
export { SqliteStore } from "./store/sqlite/sqlite-store.js";
export type {
  DecisionRow,
  DecisionStore,
  FailureRow,
  RunDetail,
  RunListPage,
  RunListQuery,
  RunRow,
  SpanRow,
} from "./store/store.js";
