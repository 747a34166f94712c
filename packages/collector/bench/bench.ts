import { ingestBench } from "./ingest-bench.js";
import { overloadBench } from "./overload-bench.js";
import { postgresBench } from "./postgres-bench.js";
import { queryBench } from "./query-bench.js";
import { reliabilityBench } from "./reliability-bench.js";
import { sdkExportBench } from "./sdk-export-bench.js";
import { sdkTrafficStoreBench } from "./sdk-traffic-store.js";
import { statsStallBench } from "./stats-stall-bench.js";

const only = process.argv[2];
if (!only || only === "ingest") await ingestBench();
if (!only || only === "query") await queryBench();
if (!only || only === "overload") await overloadBench();
// The reliability report: misbehaving clients, then heavy reads beside ingest.
if (!only || only === "reliability") await reliabilityBench();
if (!only || only === "reliability" || only === "stats") await statsStallBench();
if (!only || only === "sdk-export") await sdkExportBench();
if (!only || only === "sdk-export" || only === "sdk-traffic") await sdkTrafficStoreBench();
if (!only || only === "postgres") await postgresBench();
