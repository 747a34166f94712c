import { describe, expect, it } from "vitest";
import { storedResource } from "./stored-resource.js";

describe("storedResource", () => {
  it("keeps where the agent ran and leaves out the command line and environment variables", () => {
    const stored = storedResource({
      "service.name": "billing",
      "host.name": "worker-7",
      "process.runtime.version": "20.19.0",
      "process.pid": 4242,
      "process.command": "/app/agent.js",
      "process.command_args": ["node", "/app/agent.js", "--token=s3cret"],
      "process.command_line": "node /app/agent.js --token=s3cret",
      "process.environment_variable.OPENAI_API_KEY": "sk-live",
    });
    expect(JSON.parse(stored)).toEqual({
      "service.name": "billing",
      "host.name": "worker-7",
      "process.runtime.version": "20.19.0",
      "process.pid": 4242,
    });
    expect(stored).not.toContain("s3cret");
  });
});
