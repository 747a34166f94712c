import { describe, expect, it } from "vitest";
import { splitStackFromMessage } from "./stack-in-message.js";

/** What LangChain's tracers record for an error: its message, a blank line, its stack. */
const asLangChainRecordsIt = (error: Error) => `${error.message}\n\n${error.stack}`;

describe("splitStackFromMessage", () => {
  it("splits a thrown error's message, type and stack", () => {
    const error = new TypeError("no forecast for Q4");
    expect(splitStackFromMessage(asLangChainRecordsIt(error))).toEqual({
      message: "no forecast for Q4",
      errorType: "TypeError",
      stack: error.stack,
    });
  });

  it("keeps blank lines that are part of the message", () => {
    const error = new Error("first paragraph\n\nsecond paragraph");
    expect(splitStackFromMessage(asLangChainRecordsIt(error))).toMatchObject({
      message: "first paragraph\n\nsecond paragraph",
      errorType: "Error",
    });
  });

  it("takes the name a custom error class gives itself", () => {
    class ToolFailure extends Error {
      override name = "ToolFailure";
    }
    const error = new ToolFailure("quota exceeded");
    expect(splitStackFromMessage(asLangChainRecordsIt(error))).toMatchObject({
      message: "quota exceeded",
      errorType: "ToolFailure",
    });
  });

  it("splits an error with an empty message", () => {
    const error = new RangeError();
    expect(splitStackFromMessage(asLangChainRecordsIt(error))).toEqual({
      message: "",
      errorType: "RangeError",
      stack: error.stack,
    });
  });

  it("leaves text of any other form alone", () => {
    expect(splitStackFromMessage("boom")).toBeNull();
    expect(splitStackFromMessage("boom\n\nsee the logs")).toBeNull();
    // A paragraph that only looks like a header, but does not repeat the message.
    expect(splitStackFromMessage("boom\n\nError: something else\n    at x (y.js:1:1)")).toBeNull();
  });
});
