import { connect } from "node:net";
import { configDefaults, defineProject } from "vitest/config";

/** Where the PostgreSQL store's tests find their server (test/postgres-database.ts). */
const POSTGRES = { host: "127.0.0.1", port: 5432 };
/** Tests of the PostgreSQL store alone; the store contract tests run on it too (test/store-harness.ts). */
const POSTGRES_ONLY = ["src/store/postgres/**", "src/sql/postgres/**", "test/postgres-*.test.ts"];

function postgresAnswers(): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = connect(POSTGRES);
    const done = (answered: boolean) => {
      socket.destroy();
      resolve(answered);
    };
    socket.setTimeout(2_000, () => done(false));
    socket.once("connect", () => done(true));
    socket.once("error", () => done(false));
  });
}

/**
 * Without a PostgreSQL server the PostgreSQL store's tests are skipped with a message, so the
 * README's test command works on a machine with only Node; with FLIGHTREC_REQUIRE_POSTGRES=1 (CI,
 * which installs and starts PostgreSQL) a missing server fails the run instead.
 */
const postgres = await postgresAnswers();
if (!postgres) {
  const message = `PostgreSQL does not answer on ${POSTGRES.host}:${POSTGRES.port}: start it (trust authentication for the user postgres) to run the PostgreSQL store's tests`;
  if (process.env.FLIGHTREC_REQUIRE_POSTGRES === "1") throw new Error(message);
  console.warn(`[collector] skipping the PostgreSQL store's tests. ${message}`);
}

export default defineProject({
  test: {
    name: "collector",
    include: ["src/**/*.test.ts", "test/**/*.test.ts"],
    exclude: [...configDefaults.exclude, ...(postgres ? [] : POSTGRES_ONLY)],
    env: postgres ? {} : { FLIGHTREC_POSTGRES: "absent" },
    testTimeout: 30_000,
  },
});
