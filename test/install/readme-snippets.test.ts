import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { readmeSnippet, shellCommands } from "./readme-snippets.js";

describe("readmeSnippet", () => {
  const readme = [
    "Intro",
    "<!-- install:shell -->",
    "```sh",
    "npm i @flightrec/sdk   # the SDK",
    "npx @flightrec/collector serve",
    "```",
    "",
    "<!-- install:esm -->",
    "```js",
    'import { init } from "@flightrec/sdk";',
    "```",
  ].join("\n");

  it("returns the fenced block right after its marker", () => {
    expect(readmeSnippet(readme, "esm")).toBe('import { init } from "@flightrec/sdk";\n');
    expect(shellCommands(readmeSnippet(readme, "shell"))).toEqual([
      ["npm", "i", "@flightrec/sdk"],
      ["npx", "@flightrec/collector", "serve"],
    ]);
  });

  it("names a marker that is missing", () => {
    expect(() => readmeSnippet(readme, "commonjs")).toThrow("<!-- install:commonjs -->");
  });

  it("finds every snippet the install test runs in the repository's README", () => {
    const real = readFileSync(new URL("../../README.md", import.meta.url), "utf8");
    for (const name of ["shell", "esm", "commonjs"]) expect(readmeSnippet(real, name)).toContain("flightrec");
  });
});
