import { ingestBench } from "./ingest-bench.js";
import { overloadBench } from "./overload-bench.js";
import { queryBench } from "./query-bench.js";
import { sdkExportBench } from "./sdk-export-bench.js";

const only = process.argv[2];
if (!only || only === "ingest") await ingestBench();
if (!only || only === "query") await queryBench();
if (!only || only === "overload") await overloadBench();
if (!only || only === "sdk-export") await sdkExportBench();
