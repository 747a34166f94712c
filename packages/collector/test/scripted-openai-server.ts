import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";

/** One answer of the model: tool calls (all in one turn) or a text. */
export type ScriptedTurn =
  | { toolCalls: readonly { name: string; arguments: Record<string, unknown> }[] }
  | { text: string };

export interface ScriptedOpenAiServer {
  /** Base URL of the OpenAI-compatible API, `/v1` included. */
  url: string;
  /** The request bodies received, in order. */
  requests: Record<string, unknown>[];
  close(): Promise<void>;
}

/** Usage reported on every completion, so that tests can price it. */
export const SCRIPTED_TURN_USAGE = { prompt_tokens: 100, completion_tokens: 20, total_tokens: 120 } as const;

/**
 * An OpenAI-compatible `/v1/chat/completions` server on 127.0.0.1 that answers the Nth request
 * with the Nth turn of `script`, as JSON or as an SSE stream (whichever the request asks for).
 * Requests beyond the script get a 500, so that a test sees an agent that asks once too often.
 */
export async function startScriptedOpenAiServer(
  script: readonly ScriptedTurn[],
): Promise<ScriptedOpenAiServer> {
  const requests: Record<string, unknown>[] = [];
  const server: Server = createServer(async (req: IncomingMessage, res: ServerResponse) => {
    let raw = "";
    for await (const chunk of req) raw += chunk;
    if (!(req.url ?? "").endsWith("/chat/completions")) {
      res.writeHead(404, { "content-type": "application/json" }).end('{"error":{"message":"not found"}}');
      return;
    }
    const body = JSON.parse(raw) as Record<string, unknown>;
    requests.push(body);
    const turn = script[requests.length - 1];
    if (!turn) {
      res.writeHead(500, { "content-type": "application/json" }).end('{"error":{"message":"script ended"}}');
      return;
    }
    const model = String(body.model);
    if (body.stream) streamTurn(res, turn, model, requests.length);
    else
      res
        .writeHead(200, { "content-type": "application/json" })
        .end(JSON.stringify(completion(turn, model, requests.length)));
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/v1`,
    requests,
    close: () =>
      new Promise((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

const toolCallsOf = (turn: ScriptedTurn, n: number) =>
  "toolCalls" in turn
    ? turn.toolCalls.map((call, i) => ({
        index: i,
        id: `call_${n}_${i + 1}`,
        type: "function" as const,
        function: { name: call.name, arguments: JSON.stringify(call.arguments) },
      }))
    : undefined;

function completion(turn: ScriptedTurn, model: string, n: number) {
  const toolCalls = toolCallsOf(turn, n);
  return {
    id: `chatcmpl-${n}`,
    object: "chat.completion",
    created: 1_700_000_000,
    model,
    choices: [
      {
        index: 0,
        message: { role: "assistant", content: "text" in turn ? turn.text : null, tool_calls: toolCalls },
        finish_reason: toolCalls ? "tool_calls" : "stop",
      },
    ],
    usage: SCRIPTED_TURN_USAGE,
  };
}

function streamTurn(res: ServerResponse, turn: ScriptedTurn, model: string, n: number) {
  const toolCalls = toolCallsOf(turn, n);
  const chunk = (delta: Record<string, unknown>, finish: string | null, usage?: unknown) => ({
    id: `chatcmpl-${n}`,
    object: "chat.completion.chunk",
    created: 1_700_000_000,
    model,
    choices: [{ index: 0, delta, finish_reason: finish }],
    ...(usage ? { usage } : {}),
  });
  const events = [
    chunk({ role: "assistant", content: "text" in turn ? turn.text : null, tool_calls: toolCalls }, null),
    chunk({}, toolCalls ? "tool_calls" : "stop"),
    { ...chunk({}, null), choices: [], usage: SCRIPTED_TURN_USAGE },
  ];
  res.writeHead(200, { "content-type": "text/event-stream", "cache-control": "no-cache" });
  for (const e of events) res.write(`data: ${JSON.stringify(e)}\n\n`);
  res.end("data: [DONE]\n\n");
}
