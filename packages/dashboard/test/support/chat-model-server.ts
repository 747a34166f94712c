import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";

/** One answer of the model: a tool call, or the final text. */
export type ModelTurn = { call: string; args: Record<string, unknown> } | { text: string };

export interface ChatModelServer {
  /** Base URL of the OpenAI-compatible API (ends in /v1). */
  baseURL: string;
  close(): Promise<void>;
}

/**
 * An OpenAI-compatible `/v1/chat/completions` on 127.0.0.1 that plays `turns` in order: a
 * request holding N tool results gets turn N, so an agent loop walks the script whatever
 * framework drives it.
 */
export async function startChatModelServer(turns: readonly ModelTurn[]): Promise<ChatModelServer> {
  const server = createServer(async (req: IncomingMessage, res: ServerResponse) => {
    let raw = "";
    for await (const chunk of req) raw += chunk;
    if (!req.url?.startsWith("/v1/chat/completions")) {
      res.writeHead(404, { "content-type": "application/json" }).end('{"error":{"message":"not found"}}');
      return;
    }
    const body = JSON.parse(raw) as { model: string; messages: { role: string }[] };
    const answered = body.messages.filter((m) => m.role === "tool").length;
    const turn = turns[Math.min(answered, turns.length - 1)]!;
    res
      .writeHead(200, { "content-type": "application/json" })
      .end(JSON.stringify(completion(body.model, turn, answered)));
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  return {
    baseURL: `http://127.0.0.1:${port}/v1`,
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
}

function completion(model: string, turn: ModelTurn, n: number) {
  const message =
    "call" in turn
      ? {
          role: "assistant",
          content: null,
          tool_calls: [
            {
              id: `call_${n + 1}`,
              type: "function",
              function: { name: turn.call, arguments: JSON.stringify(turn.args) },
            },
          ],
        }
      : { role: "assistant", content: turn.text };
  return {
    id: `chatcmpl-${n + 1}`,
    object: "chat.completion",
    created: 1_700_000_000,
    model,
    choices: [{ index: 0, message, finish_reason: "call" in turn ? "tool_calls" : "stop" }],
    usage: { prompt_tokens: 60 + 20 * n, completion_tokens: 12, total_tokens: 72 + 20 * n },
  };
}
