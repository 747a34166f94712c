import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";

/** What the scripted model does once both tools have answered: answer, or fail the request. */
export type AfterTools = "answer" | "fail";

export interface AgentModelServer {
  /** Base URL of the OpenAI-compatible API, ending in `/v1`. */
  url: string;
  afterTools: AfterTools;
  /** The chat completion requests received, in order. */
  requests: Record<string, unknown>[];
  close(): Promise<void>;
}

/** The answer of the third turn, once the flight booking failed and the agent recovered. */
export const FINAL_ANSWER = "Sunny in Paris; no seats left, so I did not book a flight.";

/** Tokens of each turn (prompt, completion), so tests can check usage and price. */
export const TURN_USAGE = [
  [100, 20],
  [150, 25],
  [200, 30],
] as const;

/**
 * An OpenAI-compatible chat completions API on 127.0.0.1 playing an agent's model for three
 * turns: first it calls `weather` for Paris, then `book_flight` to Paris, then it answers (or,
 * with `afterTools = "fail"`, the request fails with a 500, so an agent without retries stops
 * there). Asked without tools, it answers at once. Streamed (SSE, usage in the last chunk) or not.
 */
export async function startAgentModelServer(): Promise<AgentModelServer> {
  const requests: Record<string, unknown>[] = [];
  const state: AgentModelServer = {
    url: "",
    afterTools: "answer",
    requests,
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
  const server = createServer(async (req: IncomingMessage, res: ServerResponse) => {
    let raw = "";
    for await (const chunk of req) raw += chunk;
    const body = raw ? (JSON.parse(raw) as Record<string, unknown>) : {};
    requests.push(body);
    if (!req.url?.endsWith("/chat/completions")) {
      res.writeHead(404, { "content-type": "application/json" }).end('{"error":{"message":"not found"}}');
      return;
    }
    const turn = toolResultsIn(body);
    if (turn >= 2 && state.afterTools === "fail") {
      res
        .writeHead(500, { "content-type": "application/json" })
        .end('{"error":{"message":"model overloaded","type":"server_error"}}');
      return;
    }
    const reply = replyOf(turn, String(body.model), Array.isArray(body.tools) && body.tools.length > 0);
    if (body.stream) streamReply(res, reply);
    else res.writeHead(200, { "content-type": "application/json" }).end(JSON.stringify(completion(reply)));
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  state.url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/v1`;
  return state;
}

interface Reply {
  model: string;
  toolCall: { id: string; name: string; arguments: string } | null;
  text: string | null;
  usage: { prompt_tokens: number; completion_tokens: number; total_tokens: number };
}

/** How many tool results the conversation holds: which turn of the script this is. */
function toolResultsIn(body: Record<string, unknown>): number {
  const messages = (body.messages as { role?: string }[] | undefined) ?? [];
  return messages.filter((m) => m.role === "tool").length;
}

function replyOf(turn: number, model: string, toolsOffered: boolean): Reply {
  const [prompt, completionTokens] = TURN_USAGE[Math.min(turn, 2)]!;
  const usage = {
    prompt_tokens: prompt,
    completion_tokens: completionTokens,
    total_tokens: prompt + completionTokens,
  };
  const calls = [
    { id: "call_weather", name: "weather", arguments: '{"city":"Paris"}' },
    { id: "call_flight", name: "book_flight", arguments: '{"to":"Paris","date":"2026-12-24"}' },
  ];
  const toolCall = toolsOffered ? (calls[turn] ?? null) : null;
  return { model, toolCall, text: toolCall ? null : FINAL_ANSWER, usage };
}

function completion(r: Reply) {
  return {
    id: `chatcmpl-${r.usage.prompt_tokens}`,
    object: "chat.completion",
    created: 1_700_000_000,
    model: r.model,
    choices: [
      {
        index: 0,
        message: {
          role: "assistant",
          content: r.text,
          refusal: null,
          ...(r.toolCall
            ? {
                tool_calls: [
                  {
                    id: r.toolCall.id,
                    type: "function",
                    function: { name: r.toolCall.name, arguments: r.toolCall.arguments },
                  },
                ],
              }
            : {}),
        },
        finish_reason: r.toolCall ? "tool_calls" : "stop",
        logprobs: null,
      },
    ],
    usage: r.usage,
  };
}

function streamReply(res: ServerResponse, r: Reply) {
  const chunk = (delta: unknown, finish: string | null, usage: unknown = null) => ({
    id: `chatcmpl-${r.usage.prompt_tokens}`,
    object: "chat.completion.chunk",
    created: 1_700_000_000,
    model: r.model,
    choices: delta === null ? [] : [{ index: 0, delta, finish_reason: finish, logprobs: null }],
    usage,
  });
  const chunks = r.toolCall
    ? [
        chunk(
          {
            role: "assistant",
            content: null,
            tool_calls: [
              {
                index: 0,
                id: r.toolCall.id,
                type: "function",
                function: { name: r.toolCall.name, arguments: r.toolCall.arguments },
              },
            ],
          },
          null,
        ),
        chunk({}, "tool_calls"),
      ]
    : [chunk({ role: "assistant", content: r.text }, null), chunk({}, "stop")];
  res.writeHead(200, { "content-type": "text/event-stream", "cache-control": "no-cache" });
  for (const c of [...chunks, chunk(null, null, r.usage)]) res.write(`data: ${JSON.stringify(c)}\n\n`);
  res.end("data: [DONE]\n\n");
}
