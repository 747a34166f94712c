import { createServer } from "node:http";
import type { AddressInfo } from "node:net";

export interface FakeOpenAi {
  /** Base URL with `/v1`, as OpenAI clients take it. */
  url: string;
  close(): Promise<void>;
}

/**
 * A stand-in for OpenAI's chat completions on 127.0.0.1, so the example needs no network or key:
 * the same answer to every prompt, with token usage so the call has a cost (gpt-4o-mini's price).
 */
export async function startFakeOpenAi(): Promise<FakeOpenAi> {
  const server = createServer(async (req, res) => {
    for await (const _ of req) {
      // the prompt does not change the answer
    }
    if (!req.url?.endsWith("/chat/completions")) {
      res.writeHead(404, { "content-type": "application/json" }).end('{"error":{"message":"not found"}}');
      return;
    }
    res.writeHead(200, { "content-type": "application/json" }).end(
      JSON.stringify({
        id: "chatcmpl-sales",
        object: "chat.completion",
        created: 1_700_000_000,
        model: "gpt-4o-mini",
        choices: [
          {
            index: 0,
            message: {
              role: "assistant",
              content: "Revenue fell 88% in the east region: an anomaly worth a look.",
            },
            finish_reason: "stop",
          },
        ],
        usage: { prompt_tokens: 420, completion_tokens: 60, total_tokens: 480 },
      }),
    );
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/v1`,
    close: () =>
      new Promise((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
