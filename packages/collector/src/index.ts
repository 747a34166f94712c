export { type AppOptions, createApp } from "./app.js";
export { DEFAULT_HOST, DEFAULT_PORT, type RunningServer, type ServerOptions, startServer } from "./server.js";
export { SqliteStore } from "./store/sqlite/sqlite-store.js";
export type { DecisionStore, RunDetail, RunRow, SpanRow } from "./store/store.js";
