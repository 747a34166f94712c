import { ingestBench } from "./ingest-bench.js";

await ingestBench();
