import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";

export interface ScriptedToolCall {
  name: string;
  arguments: Record<string, unknown>;
}

export interface ScriptedChatServer {
  url: string;
  /** The models asked for, in request order. */
  models: string[];
  close(): Promise<void>;
}

/** Usage the server reports on every completion, so tests can price it. */
export const SCRIPTED_USAGE = { prompt_tokens: 100, completion_tokens: 20, total_tokens: 120 } as const;

/**
 * An OpenAI-compatible chat completions server on 127.0.0.1 for a tool-calling agent: a
 * conversation without tool results gets `toolCalls` (all in one turn); one with them gets a
 * final answer.
 */
export async function startScriptedChatServer(
  toolCalls: readonly ScriptedToolCall[],
  answer = "Q3 revenue fell 12%.",
): Promise<ScriptedChatServer> {
  const models: string[] = [];
  const server: Server = createServer(async (req: IncomingMessage, res: ServerResponse) => {
    let raw = "";
    for await (const chunk of req) raw += chunk;
    if ((req.url ?? "").split("?")[0] !== "/v1/chat/completions") {
      res.writeHead(404, { "content-type": "application/json" }).end('{"error":{"message":"not found"}}');
      return;
    }
    const body = JSON.parse(raw) as { model: string; messages: { role: string }[] };
    models.push(body.model);
    const answered = body.messages.some((m) => m.role === "tool");
    res.writeHead(200, { "content-type": "application/json" }).end(
      JSON.stringify({
        id: `chatcmpl-${models.length}`,
        object: "chat.completion",
        created: 1_700_000_000,
        model: body.model,
        choices: [{ index: 0, message: message(answered, toolCalls, answer), finish_reason: "stop" }],
        usage: SCRIPTED_USAGE,
      }),
    );
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    models,
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
}

function message(answered: boolean, toolCalls: readonly ScriptedToolCall[], answer: string) {
  if (answered || toolCalls.length === 0) return { role: "assistant", content: answer, refusal: null };
  return {
    role: "assistant",
    content: null,
    refusal: null,
    tool_calls: toolCalls.map((call, i) => ({
      id: `call_${i + 1}`,
      type: "function",
      function: { name: call.name, arguments: JSON.stringify(call.arguments) },
    })),
  };
}
