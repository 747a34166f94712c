// The release path: packs every publishable package (packages/* that are not private) with
// `pnpm pack`, which turns `workspace:` ranges into the real versions and runs each package's
// prepack (the collector bundles the built dashboard there). With --publish, publishes exactly
// those tarballs with `npm publish`, dependencies first. The install test packs with this script.
//
//   node scripts/release.mjs [--out DIR] [--publish]      (run `pnpm build` first)
import { execFileSync } from "node:child_process";
import { existsSync, mkdirSync, readdirSync, readFileSync } from "node:fs";
import { join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { parseArgs } from "node:util";

const root = fileURLToPath(new URL("..", import.meta.url));
const { values } = parseArgs({
  options: { out: { type: "string", default: "release" }, publish: { type: "boolean", default: false } },
});
const out = resolve(values.out);

/** Publishable packages, each after the packages it depends on. */
function publishablePackages() {
  const dirs = readdirSync(join(root, "packages")).map((name) => join(root, "packages", name));
  const manifests = dirs
    .map((dir) => ({ dir, manifest: JSON.parse(readFileSync(join(dir, "package.json"), "utf8")) }))
    .filter(({ manifest }) => !manifest.private);
  const names = new Set(manifests.map(({ manifest }) => manifest.name));
  const dependsOnOthers = ({ manifest }) =>
    Object.keys({ ...manifest.dependencies, ...manifest.peerDependencies }).some((dep) => names.has(dep));
  return [...manifests.filter((p) => !dependsOnOthers(p)), ...manifests.filter(dependsOnOthers)];
}

/** pnpm as the root package.json pins it when run through pnpm, else pnpm 10 through npx. */
function pnpm(args, cwd) {
  const viaPnpm = /pnpm/.test(process.env.npm_execpath ?? "");
  const [command, prefix] = viaPnpm
    ? [process.execPath, [process.env.npm_execpath]]
    : ["npx", ["-y", "pnpm@10"]];
  return execFileSync(command, [...prefix, ...args], {
    cwd,
    encoding: "utf8",
    stdio: ["ignore", "pipe", "inherit"],
  });
}

/** Every file the package's exports name, so a release never packs a package that was not built. */
function exportedFiles(manifest) {
  const targets = (value) =>
    typeof value === "string" ? [value] : Object.values(value ?? {}).flatMap(targets);
  return [manifest.main, ...targets(manifest.exports)].filter(Boolean);
}

mkdirSync(out, { recursive: true });
const tarballs = [];
for (const { dir, manifest } of publishablePackages()) {
  const missing = exportedFiles(manifest).filter((file) => !existsSync(join(dir, file)));
  if (missing.length > 0) {
    console.error(`release: ${manifest.name} is not built (${missing.join(", ")} missing): run pnpm build`);
    process.exit(1);
  }
  pnpm(["pack", "--pack-destination", out], dir);
  const file = join(out, `${manifest.name.replace(/^@/, "").replace("/", "-")}-${manifest.version}.tgz`);
  tarballs.push(file);
  console.log(file);
}
if (values.publish) {
  for (const file of tarballs) {
    execFileSync("npm", ["publish", file, "--access", "public"], { stdio: "inherit" });
  }
}
