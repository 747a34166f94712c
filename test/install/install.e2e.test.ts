import { type ChildProcess, execFile, spawn } from "node:child_process";
import {
  existsSync,
  lstatSync,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  realpathSync,
  rmSync,
  writeFileSync,
} from "node:fs";
import { tmpdir } from "node:os";
import { delimiter, join } from "node:path";
import { fileURLToPath } from "node:url";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { seedBetterSqlite3Prebuild } from "./prebuilt-sqlite.js";
import { readmeSnippet, shellCommands } from "./readme-snippets.js";

/**
 * A new user's path, from the packages a release would publish: every publishable package packed
 * by `scripts/release.mjs` (the release command's own packing step), installed with npm into an
 * empty folder outside the workspace with everything else from the registry, then the README's
 * Install section run as written.
 */
const ROOT = fileURLToPath(new URL("../../", import.meta.url));
const README = readFileSync(join(ROOT, "README.md"), "utf8");
const manifest = (dir: string) => JSON.parse(readFileSync(join(dir, "package.json"), "utf8"));

/** npm's cache for this test, kept between runs inside the workspace's node_modules (not ~/.npm). */
const NPM_CACHE = join(ROOT, "node_modules", ".cache", "flightrec-install-test", "npm");

/** Only what a shell in a new project would have: no workspace bins on PATH, no pnpm or vitest settings. */
function userEnv(extra: Record<string, string> = {}): NodeJS.ProcessEnv {
  const path = (process.env.PATH ?? "")
    .split(delimiter)
    .filter((dir) => !dir.startsWith(ROOT))
    .join(delimiter);
  return {
    PATH: path,
    HOME: process.env.HOME,
    ...(process.env.TMPDIR ? { TMPDIR: process.env.TMPDIR } : {}),
    npm_config_cache: NPM_CACHE,
    npm_config_audit: "false",
    npm_config_fund: "false",
    npm_config_update_notifier: "false",
    ...extra,
  };
}

interface Outcome {
  code: number;
  stdout: string;
  stderr: string;
}

function sh(
  command: string,
  args: string[],
  cwd: string,
  env = userEnv(),
  timeout = 20 * 60_000,
): Promise<Outcome> {
  return new Promise((resolve, reject) => {
    execFile(command, args, { cwd, env, timeout, maxBuffer: 64 * 1024 * 1024 }, (error, stdout, stderr) => {
      const code = error ? (typeof error.code === "number" ? error.code : -1) : 0;
      if (code !== 0) reject(new Error(`${command} ${args.join(" ")} exited ${code}:\n${stdout}\n${stderr}`));
      else resolve({ code, stdout, stderr });
    });
  });
}

describe("installed from its packed tarballs in an empty project outside the workspace", () => {
  let work: string;
  let project: string;
  const tarballs = new Map<string, string>();
  let serve: ChildProcess | undefined;
  let url = "";
  let serveLog = "";
  let serveExit: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;

  beforeAll(async () => {
    work = mkdtempSync(join(tmpdir(), "flightrec-install-"));
    project = join(work, "my-agent");
    mkdirSync(project);

    const packed = await sh(
      process.execPath,
      [join(ROOT, "scripts", "release.mjs"), "--out", join(work, "tarballs")],
      ROOT,
      {
        ...process.env,
      },
    );
    for (const file of packed.stdout.trim().split("\n")) {
      const name = /\/flightrec-([a-z-]+)-\d[^/]*\.tgz$/.exec(file)?.[1];
      if (name) tarballs.set(`@flightrec/${name}`, file);
    }
    expect([...tarballs.keys()].sort()).toEqual([
      "@flightrec/collector",
      "@flightrec/langgraph",
      "@flightrec/openai-agents",
      "@flightrec/sdk",
    ]);

    await sh("npm", ["init", "-y"], project);
    const seeded = seedBetterSqlite3Prebuild(join(ROOT, "packages", "collector"), NPM_CACHE);
    console.log(
      seeded
        ? `better-sqlite3 ${seeded}: the workspace's compiled binary is offered to prebuild-install`
        : "better-sqlite3: no compiled binary in the workspace; npm compiles it",
    );

    // The README's `npm i @flightrec/sdk`, with each of our packages taken from its tarball, and in
    // the same install what `npx @flightrec/collector` would fetch and what the TypeScript check needs.
    const [install] = shellCommands(readmeSnippet(README, "shell")).filter(([cmd]) => cmd === "npm");
    expect(install?.slice(0, 2)).toEqual(["npm", "i"]);
    const specs = install!.slice(2).map((spec) => tarballs.get(spec) ?? spec);
    const root = manifest(ROOT) as { devDependencies: Record<string, string> };
    const typescript = manifest(join(ROOT, "node_modules", "typescript")).version as string;
    // The framework bridges ride along in the same install (npm adds their peers, @openai/agents
    // and LangGraph).
    const extras = [
      tarballs.get("@flightrec/collector")!,
      tarballs.get("@flightrec/openai-agents")!,
      tarballs.get("@flightrec/langgraph")!,
      `typescript@${typescript}`,
      `@types/node@${root.devDependencies["@types/node"]}`,
    ];
    await sh("npm", ["i", ...specs, ...extras], project);
  });

  afterAll(async () => {
    try {
      if (serve?.pid) process.kill(-serve.pid, "SIGKILL");
    } catch {
      // the group has ended
    }
    if (work) rmSync(work, { recursive: true, force: true });
  });

  it("holds real copies of the packed packages, their versions for workspace ranges, and one OpenTelemetry API", () => {
    const nodeModules = join(project, "node_modules");
    for (const name of [
      "@flightrec/sdk",
      "@flightrec/collector",
      "@flightrec/openai-agents",
      "@flightrec/langgraph",
    ]) {
      const dir = join(nodeModules, name);
      expect(lstatSync(dir).isSymbolicLink()).toBe(false);
      expect(realpathSync(dir).startsWith(realpathSync(project))).toBe(true);
      expect(existsSync(join(dir, "README.md"))).toBe(true);
      expect(existsSync(join(dir, "LICENSE"))).toBe(true);
      expect(readFileSync(join(dir, "package.json"), "utf8")).not.toContain("workspace:");
    }
    const collector = manifest(join(nodeModules, "@flightrec", "collector"));
    expect(collector.dependencies["@flightrec/sdk"]).toBe(manifest(join(ROOT, "packages", "sdk")).version);
    expect(existsSync(join(nodeModules, "@flightrec", "collector", "dashboard", "index.html"))).toBe(true);
    // The bridge uses the app's one SDK (its tracer is the one init() installs), not a copy of its own.
    const bridge = join(nodeModules, "@flightrec", "openai-agents");
    expect(manifest(bridge).dependencies["@flightrec/sdk"]).toBe(
      manifest(join(ROOT, "packages", "sdk")).version,
    );
    expect(existsSync(join(bridge, "node_modules", "@flightrec", "sdk"))).toBe(false);
    // The peer dependency: npm installed it once, at the top, for the app and the SDK alike.
    const sdk = manifest(join(nodeModules, "@flightrec", "sdk"));
    expect(sdk.peerDependencies["@opentelemetry/api"]).toBeDefined();
    expect(sdk.dependencies["@opentelemetry/api"]).toBeUndefined();
    const lock = JSON.parse(readFileSync(join(project, "package-lock.json"), "utf8")) as {
      packages: Record<string, unknown>;
    };
    const apiCopies = Object.keys(lock.packages).filter((path) =>
      path.endsWith("node_modules/@opentelemetry/api"),
    );
    expect(apiCopies).toEqual(["node_modules/@opentelemetry/api"]);
  });

  it("runs `npx @flightrec/collector serve` as the README writes it, serving the dashboard and its assets", async () => {
    const [command] = shellCommands(readmeSnippet(README, "shell")).filter(([cmd]) => cmd === "npx");
    expect(command).toEqual(["npx", "@flightrec/collector", "serve"]);
    const child = spawn(command![0]!, command!.slice(1), {
      cwd: project,
      env: userEnv({ FLIGHTREC_PORT: "0" }),
      stdio: ["ignore", "pipe", "pipe"],
      detached: true, // its own process group, as a terminal gives it
    });
    serve = child;
    serveExit = new Promise((resolve) => child.once("exit", (code, signal) => resolve({ code, signal })));
    url = await new Promise<string>((resolve, reject) => {
      let out = "";
      child.stdout!.on("data", (chunk: Buffer) => {
        out += chunk.toString();
        const match = /Dashboard: (http:\/\/127\.0\.0\.1:\d+)\//.exec(out);
        if (match) resolve(match[1]!);
      });
      child.stderr!.on("data", (chunk: Buffer) => {
        serveLog += chunk.toString();
      });
      child.once("exit", (code) => reject(new Error(`serve exited with ${code}:\n${out}\n${serveLog}`)));
    });
    expect(existsSync(join(project, "flightrec.db"))).toBe(true);

    const page = await fetch(`${url}/`);
    expect(page.status).toBe(200);
    const html = await page.text();
    expect(html).toContain('<div id="root">');
    const script = /<script[^>]+src="(\/assets\/[^"]+\.js)"/.exec(html)?.[1];
    expect(script).toBeDefined();
    const asset = await fetch(`${url}${script}`);
    expect(asset.status).toBe(200);
    expect(asset.headers.get("content-type")).toMatch(/javascript/);
    expect((await asset.text()).length).toBeGreaterThan(1000);
  });

  it("loads @flightrec/openai-agents beside the @openai/agents npm installed as its peer", async () => {
    const script =
      "import { flightrecErrorFunction, flightrecTracingProcessor } from '@flightrec/openai-agents';" +
      "import { addTraceProcessor } from '@openai/agents';" +
      "console.log(typeof flightrecTracingProcessor, typeof flightrecErrorFunction, typeof addTraceProcessor);";
    const { stdout } = await sh(process.execPath, ["--input-type=module", "-e", script], project);
    expect(stdout.trim()).toBe("function function function");
  });

  it("loads @flightrec/langgraph's saver as a checkpointer of the LangGraph npm installed as its peer", async () => {
    const script =
      "import { FlightrecSaver } from '@flightrec/langgraph';" +
      "import { BaseCheckpointSaver } from '@langchain/langgraph-checkpoint';" +
      "import { StateGraph, MessagesAnnotation } from '@langchain/langgraph';" +
      "const saver = new FlightrecSaver();" +
      "new StateGraph(MessagesAnnotation).addNode('a', () => ({})).addEdge('__start__', 'a').compile({ checkpointer: saver });" +
      "console.log(saver instanceof BaseCheckpointSaver, saver.endpoint);";
    const { stdout } = await sh(process.execPath, ["--input-type=module", "-e", script], project);
    expect(stdout.trim()).toBe("true http://127.0.0.1:4318");
  });

  it("answers `npx flightrec --version` with the packed version", async () => {
    const { stdout } = await sh("npx", ["flightrec", "--version"], project);
    expect(stdout.trim()).toBe(manifest(join(ROOT, "packages", "collector")).version);
  });

  /** Runs one of the README's agents and returns the run it recorded, read back through the API. */
  async function recordedRun(file: string, snippet: string) {
    writeFileSync(join(project, file), readmeSnippet(README, snippet));
    const before = await runIds();
    const { stderr } = await sh(
      process.execPath,
      [file],
      project,
      userEnv({ FLIGHTREC_ENDPOINT: url }),
      120_000,
    );
    expect(stderr).toBe(""); // no ExperimentalWarning for require(esm), no SDK complaint
    const added = (await runIds()).filter((id) => !before.includes(id));
    expect(added).toHaveLength(1);
    const response = await fetch(`${url}/api/runs/${encodeURIComponent(added[0]!)}`);
    expect(response.status).toBe(200);
    return (await response.json()) as {
      run: { name: string; status: string; steps: number; service: string };
      spans: { kind: string; name: string; output: string | null }[];
    };
  }

  async function runIds(): Promise<string[]> {
    const body = (await (await fetch(`${url}/api/runs`)).json()) as { runs: { run_id: string }[] };
    return body.runs.map((r) => r.run_id);
  }

  function expectHelloRun(detail: Awaited<ReturnType<typeof recordedRun>>) {
    expect(detail.run).toMatchObject({ name: "hello_agent", status: "ok", steps: 1, service: "my-agent" });
    const step = detail.spans.find((s) => s.kind === "step");
    expect(step?.name).toBe("fetch_weather");
    expect(JSON.parse(step!.output!)).toEqual({ city: "Paris", sky: "clear" });
  }

  it("records a run from the README's ES module agent", async () => {
    expectHelloRun(await recordedRun("agent.mjs", "esm"));
  });

  it("records a run from the README's CommonJS agent, in npm's default CommonJS project", async () => {
    expect(manifest(project).type ?? "commonjs").toBe("commonjs");
    expectHelloRun(await recordedRun("agent.js", "commonjs"));
  });

  it.each([
    { resolution: "nodenext", options: { module: "nodenext" }, files: ["agent.ts", "agent.mts"] },
    { resolution: "node16", options: { module: "node16" }, files: ["agent.mts"] },
    {
      resolution: "bundler",
      options: { module: "esnext", moduleResolution: "bundler" },
      files: ["agent.ts"],
    },
  ])(
    "type-checks the README's agent with moduleResolution $resolution",
    async ({ resolution, options, files }) => {
      for (const file of ["agent.ts", "agent.mts"])
        writeFileSync(join(project, file), readmeSnippet(README, "esm"));
      const config = `tsconfig.${resolution}.json`;
      const compilerOptions = {
        ...options,
        target: "es2022",
        strict: true,
        noEmit: true,
        skipLibCheck: false,
      };
      writeFileSync(join(project, config), JSON.stringify({ compilerOptions, files }, null, 2));
      const tsc = join(project, "node_modules", "typescript", "bin", "tsc");
      await sh(process.execPath, [tsc, "-p", config], project, userEnv(), 5 * 60_000);
    },
  );

  it("stops on Ctrl+C after committing, keeping both runs in the store", async () => {
    // As a terminal does: the signal goes to the whole foreground group (npx, its shell, flightrec).
    const group = serve!.pid!;
    process.kill(-group, "SIGINT");
    // flightrec itself exits 0 (the collector's CLI tests check that); npm's npx process dies of
    // the signal, as it does for any command it runs.
    const exit = await serveExit;
    expect(exit.code === 0 || exit.signal === "SIGINT").toBe(true);
    await groupGone(group);
    expect(serveLog).toContain("shutting down: committing accepted spans");
    const { stdout } = await sh(
      "npx",
      ["flightrec", "query", "--json", "SELECT name, status FROM runs"],
      project,
    );
    expect(JSON.parse(stdout)).toEqual([
      { name: "hello_agent", status: "ok" },
      { name: "hello_agent", status: "ok" },
    ]);
  });
});

/** Resolves once no process of the group is left (no time limit but the test's own). */
async function groupGone(group: number): Promise<void> {
  for (;;) {
    try {
      process.kill(-group, 0);
    } catch {
      return;
    }
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}
