#!/usr/bin/env node
import { main, reportFailure } from "./cli/main.js";

main(process.argv.slice(2)).then(
  (code) => process.exit(code),
  (error: unknown) => process.exit(reportFailure(error)),
);
