// Builds dist/: type declarations from tsc, and the JavaScript bundled by esbuild, one file per
// public entry point (package.json "exports") plus the chunks they share. An agent's cold start
// then loads a handful of modules instead of one per source file: on a serverless platform every
// new container pays that start.
import { execFileSync } from "node:child_process";
import { readFileSync, rmSync } from "node:fs";
import { createRequire } from "node:module";
import { build } from "esbuild";

const pkg = JSON.parse(readFileSync("package.json", "utf8"));
// Entries with a "default" condition are code; "./package.json" is exported as itself.
const entryPoints = Object.values(pkg.exports)
  .filter((target) => typeof target === "object" && target.default)
  .map((target) => target.default.replace(/^\.\/dist\//, "src/").replace(/\.js$/, ".ts"));

rmSync("dist", { recursive: true, force: true });
const tsc = createRequire(import.meta.url).resolve("typescript/bin/tsc");
execFileSync(process.execPath, [tsc, "-p", "tsconfig.build.json"], { stdio: "inherit" });
await build({
  entryPoints,
  outdir: "dist",
  bundle: true,
  splitting: true,
  // Dependencies stay imports: the agent's own copies, resolved as usual.
  packages: "external",
  format: "esm",
  platform: "node",
  target: "node20",
  sourcemap: true,
  logLevel: "warning",
});
