import { execFileSync } from "node:child_process";
import { createHash } from "node:crypto";
import { existsSync, mkdirSync, readFileSync } from "node:fs";
import { createRequire } from "node:module";
import { basename, dirname, join } from "node:path";

/**
 * better-sqlite3 installs through prebuild-install: it downloads a prebuilt binary from GitHub,
 * and where it cannot (this machine reaches only the npm registry) compiles SQLite from source,
 * which takes minutes on a busy 2-core machine. The workspace has already compiled the same
 * package for this Node.js; this puts that binary where prebuild-install looks before downloading
 * (`<npm cache>/_prebuilds/`, named after the download URL), so the install takes it instead of
 * compiling, and no network but the registry is needed. When the versions differ the name does not
 * match and the install compiles, as a user's would: slower, still correct.
 *
 * Returns the version seeded, or undefined when the workspace has no compiled binary.
 */
export function seedBetterSqlite3Prebuild(workspacePackageDir: string, npmCache: string): string | undefined {
  const require = createRequire(join(workspacePackageDir, "package.json"));
  const packageDir = dirname(require.resolve("better-sqlite3/package.json"));
  const binary = join(packageDir, "build", "Release", "better_sqlite3.node");
  if (!existsSync(binary)) return undefined;
  const { version } = JSON.parse(readFileSync(join(packageDir, "package.json"), "utf8")) as {
    version: string;
  };
  const url =
    `https://github.com/WiseLibs/better-sqlite3/releases/download/v${version}/` +
    `better-sqlite3-v${version}-node-v${process.versions.modules}-${process.platform}-${process.arch}.tar.gz`;
  // prebuild-install's cachedPrebuild(url): six hex digits of the URL's SHA-512, then its file name.
  const digest = createHash("sha512").update(url).digest("hex").slice(0, 6);
  const cached = join(npmCache, "_prebuilds", `${digest}-${basename(url).replace(/[^a-zA-Z0-9.]+/g, "-")}`);
  mkdirSync(dirname(cached), { recursive: true });
  execFileSync("tar", ["-czf", cached, "-C", packageDir, "build/Release/better_sqlite3.node"]);
  return version;
}
