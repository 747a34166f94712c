import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";

/** What the fake model answers on one call: tool calls to make, or the final text. */
export type ScriptedReply =
  | { toolCalls: { name: string; arguments: Record<string, unknown> }[] }
  | { text: string };

export interface FakeResponsesServer {
  /** Base URL for the OpenAI client (`…/v1`). */
  baseURL: string;
  /** Bodies of the requests received, in order. */
  requests: Record<string, unknown>[];
  close(): Promise<void>;
}

export const FAKE_MODEL = "gpt-4o-mini";
/** Usage of the n-th call (0-based), so each call's tokens are told apart. */
export const usageOf = (n: number) => ({ input: 100 * (n + 1), output: 10 * (n + 1) });

/**
 * The OpenAI Responses API (`POST /v1/responses`) and Chat Completions (`POST /v1/chat/completions`),
 * not streamed, on 127.0.0.1, playing a script: the n-th request gets the n-th reply, the last one
 * repeated.
 */
export async function startFakeResponsesServer(script: ScriptedReply[]): Promise<FakeResponsesServer> {
  const requests: Record<string, unknown>[] = [];
  const server: Server = createServer(async (req: IncomingMessage, res: ServerResponse) => {
    let raw = "";
    for await (const chunk of req) raw += chunk;
    const answer = req.method === "POST" ? ANSWERS[req.url?.split("?")[0] ?? ""] : undefined;
    if (!answer) {
      res.writeHead(404, { "content-type": "application/json" }).end('{"error":{"message":"not found"}}');
      return;
    }
    const n = requests.length;
    requests.push(JSON.parse(raw) as Record<string, unknown>);
    const reply = script[Math.min(n, script.length - 1)]!;
    res.writeHead(200, { "content-type": "application/json" }).end(JSON.stringify(answer(reply, n)));
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  return {
    baseURL: `http://127.0.0.1:${port}/v1`,
    requests,
    close: () =>
      new Promise((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

const ANSWERS: Record<string, (reply: ScriptedReply, n: number) => unknown> = {
  "/v1/responses": responseFor,
  "/v1/chat/completions": chatCompletionFor,
};

function chatCompletionFor(reply: ScriptedReply, n: number) {
  const { input, output } = usageOf(n);
  const message =
    "text" in reply
      ? { role: "assistant", content: reply.text }
      : {
          role: "assistant",
          content: null,
          tool_calls: reply.toolCalls.map((call, i) => ({
            id: `call_${n}_${i}`,
            type: "function",
            function: { name: call.name, arguments: JSON.stringify(call.arguments) },
          })),
        };
  return {
    id: `chatcmpl_${n}`,
    object: "chat.completion",
    created: 1_700_000_000 + n,
    model: FAKE_MODEL,
    choices: [{ index: 0, message, finish_reason: "text" in reply ? "stop" : "tool_calls" }],
    usage: { prompt_tokens: input, completion_tokens: output, total_tokens: input + output },
  };
}

function responseFor(reply: ScriptedReply, n: number) {
  const { input, output } = usageOf(n);
  const items =
    "text" in reply
      ? [
          {
            type: "message",
            id: `msg_${n}`,
            role: "assistant",
            status: "completed",
            content: [{ type: "output_text", text: reply.text, annotations: [] }],
          },
        ]
      : reply.toolCalls.map((call, i) => ({
          type: "function_call",
          id: `fc_${n}_${i}`,
          call_id: `call_${n}_${i}`,
          name: call.name,
          arguments: JSON.stringify(call.arguments),
          status: "completed",
        }));
  return {
    id: `resp_${n}`,
    object: "response",
    created_at: 1_700_000_000 + n,
    model: FAKE_MODEL,
    status: "completed",
    output: items,
    usage: {
      input_tokens: input,
      output_tokens: output,
      total_tokens: input + output,
      input_tokens_details: { cached_tokens: 0 },
      output_tokens_details: { reasoning_tokens: 0 },
    },
  };
}
