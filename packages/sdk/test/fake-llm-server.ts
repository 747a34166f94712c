import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";

export interface FakeLlmServer {
  url: string;
  requests: { path: string; body: Record<string, unknown> }[];
  close(): Promise<void>;
}

type Handler = (body: Record<string, unknown>, res: ServerResponse) => void;

/** An HTTP server on 127.0.0.1 answering like the OpenAI and Anthropic APIs, SSE included. */
export async function startFakeLlmServer(): Promise<FakeLlmServer> {
  const requests: FakeLlmServer["requests"] = [];
  const routes: Record<string, Handler> = {
    "/v1/chat/completions": (body, res) =>
      body.stream ? sse(res, chatChunks(body)) : json(res, chatCompletion(body)),
    "/v1/responses": (body, res) =>
      body.stream ? sse(res, responseEvents(body)) : json(res, response(body)),
    "/v1/messages": (body, res) =>
      body.stream ? sse(res, anthropicEvents(body)) : json(res, anthropicMessage(body)),
  };
  const server: Server = createServer(async (req: IncomingMessage, res: ServerResponse) => {
    let raw = "";
    for await (const chunk of req) raw += chunk;
    const body = raw ? (JSON.parse(raw) as Record<string, unknown>) : {};
    const path = (req.url ?? "").split("?")[0]!;
    requests.push({ path, body });
    const route = routes[path];
    if (!route) {
      res.writeHead(404, { "content-type": "application/json" }).end('{"error":{"message":"not found"}}');
      return;
    }
    if (body.model === "explode") {
      res
        .writeHead(500, { "content-type": "application/json" })
        .end('{"error":{"message":"upstream exploded","type":"server_error"}}');
      return;
    }
    route(body, res);
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    requests,
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
}

function json(res: ServerResponse, body: unknown) {
  res.writeHead(200, { "content-type": "application/json" }).end(JSON.stringify(body));
}

function sse(res: ServerResponse, events: { event?: string; data: unknown }[]) {
  res.writeHead(200, { "content-type": "text/event-stream", "cache-control": "no-cache" });
  for (const e of events) {
    res.write(
      `${e.event ? `event: ${e.event}\n` : ""}data: ${typeof e.data === "string" ? e.data : JSON.stringify(e.data)}\n\n`,
    );
  }
  res.end();
}

const chatUsage = {
  prompt_tokens: 1200,
  completion_tokens: 300,
  total_tokens: 1500,
  prompt_tokens_details: { cached_tokens: 200 },
  completion_tokens_details: { reasoning_tokens: 100 },
};

/** With tools offered and no tool result yet, the model calls the first tool; otherwise it answers. */
function wantsToolCall(body: Record<string, unknown>): { name: string } | null {
  const tools = body.tools as { function?: { name?: string } }[] | undefined;
  const messages = (body.messages as { role?: string }[] | undefined) ?? [];
  const name = tools?.[0]?.function?.name;
  return name && !messages.some((m) => m.role === "tool") ? { name } : null;
}

/** The same for Anthropic's shapes: tools are `{ name }`, a tool result is a user message's block. */
function wantsToolUse(body: Record<string, unknown>): { name: string } | null {
  const tools = body.tools as { name?: string }[] | undefined;
  const messages = (body.messages as { content?: unknown }[] | undefined) ?? [];
  const answered = messages.some(
    (m) => Array.isArray(m.content) && m.content.some((b: { type?: string }) => b.type === "tool_result"),
  );
  const name = tools?.[0]?.name;
  return name && !answered ? { name } : null;
}

function chatCompletion(body: Record<string, unknown>) {
  const call = wantsToolCall(body);
  const message = call
    ? {
        role: "assistant",
        content: null,
        refusal: null,
        tool_calls: [
          { id: "call_1", type: "function", function: { name: call.name, arguments: '{"quarter":"Q3"}' } },
        ],
      }
    : { role: "assistant", content: "The Q3 revenue dropped.", refusal: null };
  return {
    id: "chatcmpl-fake",
    object: "chat.completion",
    created: 1_700_000_000,
    model: body.model,
    choices: [
      {
        index: 0,
        message,
        finish_reason: call ? "tool_calls" : "stop",
        logprobs: null,
      },
    ],
    usage: chatUsage,
  };
}

function chatChunks(body: Record<string, unknown>) {
  const base = {
    id: "chatcmpl-fake",
    object: "chat.completion.chunk",
    created: 1_700_000_000,
    model: body.model,
  };
  const call = wantsToolCall(body);
  const choice = (delta: unknown, finish: string | null = null) => ({
    data: { ...base, choices: [{ index: 0, delta, finish_reason: finish }] },
  });
  const events: { data: unknown }[] = call
    ? [
        // The arguments arrive in pieces, as the API streams them.
        choice({
          role: "assistant",
          content: null,
          tool_calls: [
            { index: 0, id: "call_1", type: "function", function: { name: call.name, arguments: "" } },
          ],
        }),
        choice({ tool_calls: [{ index: 0, function: { arguments: '{"quarter"' } }] }),
        choice({ tool_calls: [{ index: 0, function: { arguments: ':"Q3"}' } }] }),
        choice({}, "tool_calls"),
      ]
    : [
        ...["The ", "Q3 ", "revenue dropped."].map((content, i) =>
          choice(i === 0 ? { role: "assistant", content } : { content }),
        ),
        choice({}, "stop"),
      ];
  if ((body.stream_options as { include_usage?: boolean } | undefined)?.include_usage) {
    events.push({ data: { ...base, choices: [], usage: chatUsage } });
  }
  events.push({ data: "[DONE]" });
  return events;
}

function response(body: Record<string, unknown>) {
  return {
    id: "resp_fake",
    object: "response",
    created_at: 1_700_000_000,
    status: "completed",
    model: body.model,
    output: [
      { id: "rs_1", type: "reasoning", summary: [{ type: "summary_text", text: "Compared Q3 with Q2." }] },
      {
        id: "msg_1",
        type: "message",
        role: "assistant",
        status: "completed",
        content: [{ type: "output_text", text: "Revenue fell 12%.", annotations: [] }],
      },
    ],
    usage: {
      input_tokens: 900,
      input_tokens_details: { cached_tokens: 0 },
      output_tokens: 400,
      output_tokens_details: { reasoning_tokens: 250 },
      total_tokens: 1300,
    },
  };
}

function responseEvents(body: Record<string, unknown>) {
  const final = response(body);
  let seq = 0;
  const ev = (type: string, data: Record<string, unknown>) => ({
    event: type,
    data: { type, sequence_number: seq++, ...data },
  });
  return [
    ev("response.created", { response: { ...final, status: "in_progress", output: [], usage: null } }),
    ev("response.output_text.delta", {
      item_id: "msg_1",
      output_index: 1,
      content_index: 0,
      delta: "Revenue ",
    }),
    ev("response.output_text.delta", {
      item_id: "msg_1",
      output_index: 1,
      content_index: 0,
      delta: "fell 12%.",
    }),
    ev("response.completed", { response: final }),
  ];
}

function anthropicMessage(body: Record<string, unknown>) {
  const call = wantsToolUse(body);
  return {
    id: "msg_fake",
    type: "message",
    role: "assistant",
    model: body.model,
    content: call
      ? [
          { type: "text", text: "Looking it up." },
          { type: "tool_use", id: "toolu_1", name: call.name, input: { quarter: "Q3" } },
        ]
      : [
          { type: "thinking", thinking: "Q3 is below trend.", signature: "sig" },
          { type: "text", text: "Send the alert." },
        ],
    stop_reason: call ? "tool_use" : "end_turn",
    stop_sequence: null,
    usage: {
      input_tokens: 100,
      cache_read_input_tokens: 800,
      cache_creation_input_tokens: 100,
      output_tokens: 50,
    },
  };
}

const anthropicEvent = (type: string, data: Record<string, unknown>) => ({
  event: type,
  data: { type, ...data },
});

function textBlocks() {
  const ev = anthropicEvent;
  return [
    ev("content_block_start", { index: 0, content_block: { type: "text", text: "" } }),
    ev("content_block_delta", { index: 0, delta: { type: "text_delta", text: "Send the " } }),
    ev("content_block_delta", { index: 0, delta: { type: "text_delta", text: "alert." } }),
    ev("content_block_stop", { index: 0 }),
  ];
}

/** A short text, then the tool call, its input streamed as pieces of JSON. */
function toolUseBlocks(name: string) {
  const ev = anthropicEvent;
  return [
    ev("content_block_start", { index: 0, content_block: { type: "text", text: "" } }),
    ev("content_block_delta", { index: 0, delta: { type: "text_delta", text: "Looking it up." } }),
    ev("content_block_stop", { index: 0 }),
    ev("content_block_start", {
      index: 1,
      content_block: { type: "tool_use", id: "toolu_1", name, input: {} },
    }),
    ev("content_block_delta", {
      index: 1,
      delta: { type: "input_json_delta", partial_json: '{"quarter": ' },
    }),
    ev("content_block_delta", { index: 1, delta: { type: "input_json_delta", partial_json: '"Q3"}' } }),
    ev("content_block_stop", { index: 1 }),
  ];
}

function anthropicEvents(body: Record<string, unknown>) {
  const ev = anthropicEvent;
  const call = wantsToolUse(body);
  return [
    ev("message_start", {
      message: {
        id: "msg_fake",
        type: "message",
        role: "assistant",
        model: body.model,
        content: [],
        stop_reason: null,
        stop_sequence: null,
        usage: {
          input_tokens: 100,
          cache_read_input_tokens: 800,
          cache_creation_input_tokens: 100,
          output_tokens: 1,
        },
      },
    }),
    ...(call ? toolUseBlocks(call.name) : textBlocks()),
    ev("message_delta", {
      delta: { stop_reason: call ? "tool_use" : "end_turn", stop_sequence: null },
      usage: { output_tokens: 50 },
    }),
    ev("message_stop", {}),
  ];
}
