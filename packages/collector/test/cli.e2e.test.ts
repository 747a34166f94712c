import { type ChildProcess, execFile } from "node:child_process";
import { existsSync, mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { postTraces } from "./helpers.js";
import { otlpJson } from "./otlp-builder.js";
import { startServe, stopServe } from "./serve-process.js";

const CLI = fileURLToPath(new URL("../src/cli.ts", import.meta.url));
const VERSION = (
  JSON.parse(readFileSync(new URL("../package.json", import.meta.url), "utf8")) as { version: string }
).version;

/** Each test starts Node with tsx, sometimes several times: on a busy machine that takes long. */
const SLOW = 120_000;

interface Outcome {
  code: number | null;
  stdout: string;
  stderr: string;
}

/** Runs `flightrec …` to its end, with only the environment given (no FLIGHTREC_* from the machine). */
function flightrec(args: string[], env: Record<string, string> = {}): Promise<Outcome> {
  return new Promise((done) => {
    execFile(
      process.execPath,
      ["--import", "tsx", CLI, ...args],
      { env: { PATH: process.env.PATH, ...env }, timeout: SLOW },
      (error, stdout, stderr) => done({ code: error ? (error.code as number) : 0, stdout, stderr }),
    );
  });
}

/** Ctrl+C as a script runner delivers it: twice (from the terminal, and forwarded by the runner). */
const stopped = (child: ChildProcess) => stopServe(child, ["SIGINT", "SIGINT"]);

describe.concurrent("flightrec --help, --version and each command's --help", { timeout: SLOW }, () => {
  it.each([["--help"], ["-h"], ["help"]])(
    "flightrec %s names the commands and the environment",
    async (flag) => {
      const { code, stdout } = await flightrec([flag]);
      expect(code).toBe(0);
      expect(stdout).toContain(`flightrec ${VERSION}`);
      expect(stdout).toMatch(/flightrec serve \[options\]\s+start the collector/);
      expect(stdout).toMatch(/flightrec query "SELECT …" \[options\]\s+run one read-only SQL query/);
      for (const name of ["FLIGHTREC_PORT", "FLIGHTREC_HOST", "FLIGHTREC_DB", "FLIGHTREC_TOKEN"]) {
        expect(stdout).toContain(name);
      }
    },
  );

  it.each([["--version"], ["-v"]])("flightrec %s prints the package's version", async (flag) => {
    expect(await flightrec([flag])).toMatchObject({ code: 0, stdout: `${VERSION}\n` });
  });

  it("flightrec serve --help says what serve does, each flag with its default and variable", async () => {
    const { code, stdout } = await flightrec(["serve", "--help"]);
    expect(code).toBe(0);
    expect(stdout).toMatch(/^Usage: flightrec serve \[options\]/);
    expect(stdout).toContain("receives OTLP/HTTP traces");
    expect(stdout).toMatch(/--db PATH .*\n\s+default \.\/flightrec\.db, env FLIGHTREC_DB/);
    expect(stdout).toMatch(/--host HOST .*\n\s+default 127\.0\.0\.1, env FLIGHTREC_HOST/);
    expect(stdout).toMatch(/--port N .*\n\s+default 4318, env FLIGHTREC_PORT/);
    expect(stdout).toMatch(/--token T .*\n\s+env FLIGHTREC_TOKEN/);
    for (const flag of [
      "--retain-days N",
      "--log-level LEVEL",
      "--heartbeat-misses N",
      "--sweep-interval-ms MS",
    ]) {
      expect(stdout).toContain(flag);
    }
    expect(stdout).toContain("Flags win over the environment");
  });

  it("flightrec query --help says what query does and its flags, not Node's parser text", async () => {
    const { code, stdout } = await flightrec(["query", "-h"]);
    expect(code).toBe(0);
    expect(stdout).toMatch(/^Usage: flightrec query "SELECT …" \[options\]/);
    expect(stdout).toContain("read-only SQL statement");
    expect(stdout).toMatch(/--db PATH .*\n\s+default \.\/flightrec\.db, env FLIGHTREC_DB/);
    expect(stdout).toMatch(/--timeout-ms MS .*\n\s+default 5000/);
    expect(stdout).toMatch(/--max-rows N .*\n\s+default 10000/);
    expect(stdout).toContain("--json");
  });

  it.each([
    { args: ["serve", "--bogus"], named: "--bogus", help: "flightrec serve --help" },
    { args: ["query", "--bogus", "SELECT 1"], named: "--bogus", help: "flightrec query --help" },
    { args: ["srve"], named: '"srve"', help: "flightrec --help" },
    { args: [], named: "give a command", help: "flightrec --help" },
  ])("flightrec $args exits 2 naming $named", async ({ args, named, help }) => {
    const { code, stderr } = await flightrec(args);
    expect(code).toBe(2);
    expect(stderr).toContain(named);
    expect(stderr).toContain(`Run "${help}" for usage.`);
  });
});

describe("flightrec serve reads FLIGHTREC_* when no flag is given", { timeout: SLOW }, () => {
  let dir: string;
  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), "flightrec-cli-"));
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it("takes its port, store and token from the environment", async () => {
    const db = join(dir, "from-env.db");
    const { child, url } = await startServe([], {
      FLIGHTREC_PORT: "0",
      FLIGHTREC_DB: db,
      FLIGHTREC_TOKEN: "s3cret",
      FLIGHTREC_HOST: "127.0.0.1",
    });
    try {
      expect(url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
      expect(url).not.toBe("http://127.0.0.1:4318");
      expect(existsSync(db)).toBe(true);
      expect((await fetch(`${url}/api/runs`)).status).toBe(401);
      const authorized = await fetch(`${url}/api/runs`, { headers: { authorization: "Bearer s3cret" } });
      expect(authorized.status).toBe(200);
    } finally {
      expect(await stopped(child)).toBe(0);
    }
  });

  it("lets flags win over the environment", async () => {
    const envDb = join(dir, "env-loses.db");
    const flagDb = join(dir, "flag-wins.db");
    const { child, url } = await startServe(["--db", flagDb, "--port", "0"], {
      FLIGHTREC_DB: envDb,
      FLIGHTREC_PORT: "not-a-port",
    });
    try {
      expect((await fetch(`${url}/api/runs`)).status).toBe(200);
      expect(existsSync(flagDb)).toBe(true);
      expect(existsSync(envDb)).toBe(false);
    } finally {
      expect(await stopped(child)).toBe(0);
    }
  });

  it("names the variable that holds a bad value", async () => {
    const { code, stderr } = await flightrec(["serve"], {
      FLIGHTREC_PORT: "http",
      FLIGHTREC_DB: join(dir, "x.db"),
    });
    expect(code).toBe(2);
    expect(stderr).toContain('FLIGHTREC_PORT must be an integer from 0 to 65535, got "http"');
  });

  it("refuses FLIGHTREC_HOST beyond loopback without a token", async () => {
    const { code, stderr } = await flightrec(["serve"], {
      FLIGHTREC_HOST: "0.0.0.0",
      FLIGHTREC_PORT: "0",
      FLIGHTREC_DB: join(dir, "x.db"),
    });
    expect(code).toBe(1);
    expect(stderr).toMatch(/binding to 0\.0\.0\.0 .*--token/);
  });

  it("names the store it cannot create, and why", async () => {
    const missing = join(dir, "no-such-folder", "flightrec.db");
    const { code, stderr } = await flightrec(["serve", "--db", missing, "--port", "0"]);
    expect(code).toBe(1);
    expect(stderr).toContain(
      `flightrec serve: cannot create the store ${missing}: the folder ${join(dir, "no-such-folder")} does not exist`,
    );
  });
});

describe("flightrec query errors name what is wrong", { timeout: SLOW }, () => {
  let dir: string;
  let db: string;
  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), "flightrec-cli-query-"));
    db = join(dir, "store.db");
    const { child, url } = await startServe(["--db", db, "--port", "0"], {});
    const span = {
      name: "run",
      startMs: Date.now(),
      attributes: { "flightrec.span.kind": "run", "flightrec.run.id": "cli-1" },
    };
    expect((await postTraces(url, otlpJson([span]))).status).toBe(200);
    expect(await stopped(child)).toBe(0);
  }, SLOW);
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it("reads the store named by FLIGHTREC_DB", async () => {
    const { code, stdout } = await flightrec(["query", "--json", "SELECT run_id FROM runs"], {
      FLIGHTREC_DB: db,
    });
    expect(code).toBe(0);
    expect(JSON.parse(stdout)).toEqual([{ run_id: "cli-1" }]);
  });

  it("names the store file that does not exist, as an absolute path", async () => {
    const { code, stderr } = await flightrec(["query", "--db", "missing.db", "SELECT 1"]);
    expect(code).toBe(1);
    expect(stderr).toContain(`no store at ${resolve("missing.db")}: the file does not exist`);
    expect(stderr).not.toContain("unable to open database file");
  });

  it("calls a typo a syntax error and says where", async () => {
    const { code, stderr } = await flightrec(["query", "--db", db, "SELEC 1"]);
    expect(code).toBe(1);
    expect(stderr).toBe('flightrec query: SQL syntax error near "SELEC"\n');
  });

  it("calls a write a write", async () => {
    const { code, stderr } = await flightrec(["query", "--db", db, "DELETE FROM runs"]);
    expect(code).toBe(1);
    expect(stderr).toContain("only read-only queries are allowed: this statement would write to the store");
  });
});
