import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";

export interface FakeOpenAi {
  /** Base URL with `/v1`, as OpenAI clients take it. */
  url: string;
  close(): Promise<void>;
}

interface ChatBody {
  model?: string;
  messages?: { role: string }[];
}

/**
 * An OpenAI-compatible chat completions endpoint on 127.0.0.1 for an agent with one tool: until
 * the conversation holds a tool result it asks for `weather` in Paris, then it answers. Each
 * answer reports usage, so the calls have a cost.
 */
export async function startFakeOpenAi(): Promise<FakeOpenAi> {
  let calls = 0;
  const server = createServer(async (req: IncomingMessage, res: ServerResponse) => {
    let raw = "";
    for await (const chunk of req) raw += chunk;
    if (!req.url?.endsWith("/chat/completions")) {
      res.writeHead(404, { "content-type": "application/json" }).end('{"error":{"message":"not found"}}');
      return;
    }
    const body = JSON.parse(raw) as ChatBody;
    const answered = (body.messages ?? []).some((m) => m.role === "tool");
    calls++;
    res
      .writeHead(200, { "content-type": "application/json", connection: "close" })
      .end(JSON.stringify(completion(body, calls, answered)));
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

function completion(body: ChatBody, n: number, answered: boolean) {
  const message = answered
    ? { role: "assistant", content: "Sunny in Paris" }
    : {
        role: "assistant",
        content: null,
        tool_calls: [
          { id: `call_${n}`, type: "function", function: { name: "weather", arguments: '{"city":"Paris"}' } },
        ],
      };
  return {
    id: `chatcmpl-${n}`,
    object: "chat.completion",
    created: 1_700_000_000,
    model: body.model ?? "gpt-4o-mini",
    choices: [{ index: 0, message, finish_reason: answered ? "stop" : "tool_calls" }],
    usage: answered
      ? { prompt_tokens: 200, completion_tokens: 30, total_tokens: 230 }
      : { prompt_tokens: 100, completion_tokens: 20, total_tokens: 120 },
  };
}
