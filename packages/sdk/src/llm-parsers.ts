/**
 * Pure readers of LLM API responses and stream chunks (OpenAI chat completions, OpenAI
 * responses, Anthropic messages), recognised by shape. Token counts come out in GenAI
 * semantics: input includes cached tokens, output includes reasoning tokens.
 */

export interface LlmFacts {
  responseModel?: string;
  responseId?: string;
  inputTokens?: number;
  outputTokens?: number;
  cacheReadInputTokens?: number;
  cacheWriteInputTokens?: number;
  reasoningOutputTokens?: number;
  finishReasons?: string[];
  /** Assistant text the call produced. */
  outputText?: string;
  /** Reasoning / thinking text, when the provider returned it. */
  reasoningText?: string;
  /** Tool calls the model asked for. */
  toolCalls?: { name: string; arguments: string }[];
}

type Obj = Record<string, unknown>;

/** Facts from a complete (non-streamed) response; empty when the shape is not recognised. */
export function parseLlmResponse(value: unknown): LlmFacts {
  if (!isObj(value)) return {};
  if (value.object === "chat.completion") return parseChatCompletion(value);
  if (value.object === "response") return parseResponsesApi(value);
  if (value.type === "message" && Array.isArray(value.content)) return parseAnthropicMessage(value);
  return {};
}

function parseChatCompletion(v: Obj): LlmFacts {
  const choices = arr(v.choices);
  const first = obj(choices[0]?.message);
  const toolCalls = arr(first.tool_calls).map((c) => {
    const fn = obj(c.function);
    return { name: str(fn.name) ?? "", arguments: str(fn.arguments) ?? "" };
  });
  return clean({
    responseModel: str(v.model),
    responseId: str(v.id),
    ...openAiChatUsage(v.usage),
    finishReasons: choices.map((c) => str(c.finish_reason)).filter(isString),
    outputText: str(first.content),
    reasoningText: str(first.reasoning_content) ?? str(first.reasoning),
    toolCalls: toolCalls.length ? toolCalls : undefined,
  });
}

function openAiChatUsage(usage: unknown): LlmFacts {
  if (!isObj(usage)) return {};
  return {
    inputTokens: num(usage.prompt_tokens),
    outputTokens: num(usage.completion_tokens),
    cacheReadInputTokens: num(obj(usage.prompt_tokens_details).cached_tokens) || undefined,
    reasoningOutputTokens: num(obj(usage.completion_tokens_details).reasoning_tokens) || undefined,
  };
}

function parseResponsesApi(v: Obj): LlmFacts {
  const usage = obj(v.usage);
  const texts: string[] = [];
  const reasoning: string[] = [];
  const toolCalls: { name: string; arguments: string }[] = [];
  for (const item of arr(v.output)) {
    if (item.type === "message") {
      for (const part of arr(item.content)) if (part.type === "output_text") texts.push(str(part.text) ?? "");
    } else if (item.type === "reasoning") {
      for (const part of arr(item.summary)) reasoning.push(str(part.text) ?? "");
      for (const part of arr(item.content)) reasoning.push(str(part.text) ?? "");
    } else if (item.type === "function_call") {
      toolCalls.push({ name: str(item.name) ?? "", arguments: str(item.arguments) ?? "" });
    }
  }
  const status = str(v.status);
  return clean({
    responseModel: str(v.model),
    responseId: str(v.id),
    inputTokens: num(usage.input_tokens),
    outputTokens: num(usage.output_tokens),
    cacheReadInputTokens: num(obj(usage.input_tokens_details).cached_tokens) || undefined,
    reasoningOutputTokens: num(obj(usage.output_tokens_details).reasoning_tokens) || undefined,
    finishReasons: status ? [status] : undefined,
    outputText: texts.length ? texts.join("") : undefined,
    reasoningText: reasoning.length ? reasoning.join("\n") : undefined,
    toolCalls: toolCalls.length ? toolCalls : undefined,
  });
}

function parseAnthropicMessage(v: Obj): LlmFacts {
  const texts: string[] = [];
  const thinking: string[] = [];
  const toolCalls: { name: string; arguments: string }[] = [];
  for (const block of arr(v.content)) {
    if (block.type === "text") texts.push(str(block.text) ?? "");
    else if (block.type === "thinking") thinking.push(str(block.thinking) ?? "");
    else if (block.type === "tool_use")
      toolCalls.push({ name: str(block.name) ?? "", arguments: JSON.stringify(block.input ?? {}) });
  }
  const stop = str(v.stop_reason);
  return clean({
    responseModel: str(v.model),
    responseId: str(v.id),
    ...anthropicUsage(v.usage),
    finishReasons: stop ? [stop] : undefined,
    outputText: texts.length ? texts.join("") : undefined,
    reasoningText: thinking.length ? thinking.join("\n") : undefined,
    toolCalls: toolCalls.length ? toolCalls : undefined,
  });
}

/** Anthropic's input_tokens exclude cache reads and writes; GenAI's include them. */
function anthropicUsage(usage: unknown): LlmFacts {
  if (!isObj(usage)) return {};
  const uncached = num(usage.input_tokens);
  const cacheRead = num(usage.cache_read_input_tokens) ?? 0;
  const cacheWrite = num(usage.cache_creation_input_tokens) ?? 0;
  return {
    inputTokens: uncached === undefined ? undefined : uncached + cacheRead + cacheWrite,
    outputTokens: num(usage.output_tokens),
    cacheReadInputTokens: cacheRead || undefined,
    cacheWriteInputTokens: cacheWrite || undefined,
  };
}

/** A tool call streamed in pieces: its name first, its arguments as fragments of JSON text. */
interface StreamedToolCall {
  name: string;
  arguments: string;
  /** Anthropic's: the pieces make an input object, which a whole response gives as an object. */
  inputObject: boolean;
}

/** Folds streamed chunks of any supported API into the facts of the whole call. */
export class LlmStreamAccumulator {
  private facts: LlmFacts = {};
  private text = "";
  private reasoning = "";
  private finish = new Set<string>();
  private anthropicUsage: Obj = {};
  /** By the index the API gives them (a choice's tool call, or a content block). */
  private toolCalls = new Map<number, StreamedToolCall>();

  add(chunk: unknown): void {
    if (!isObj(chunk)) return;
    if (chunk.object === "chat.completion.chunk") this.addChatChunk(chunk);
    else if (typeof chunk.type === "string" && chunk.type.startsWith("response."))
      this.addResponsesEvent(chunk);
    else if (typeof chunk.type === "string") this.addAnthropicEvent(chunk);
  }

  result(): LlmFacts {
    const finishReasons = this.facts.finishReasons ?? [...this.finish];
    const toolCalls = [...this.toolCalls]
      .sort(([a], [b]) => a - b)
      .map(([, call]) => ({
        name: call.name,
        arguments: call.inputObject ? compactJson(call.arguments) : call.arguments,
      }));
    return clean({
      ...this.facts,
      finishReasons: finishReasons.length ? finishReasons : undefined,
      outputText: this.facts.outputText ?? (this.text || undefined),
      reasoningText: this.facts.reasoningText ?? (this.reasoning || undefined),
      toolCalls: this.facts.toolCalls ?? (toolCalls.length ? toolCalls : undefined),
    });
  }

  private toolCallAt(index: number, inputObject = false): StreamedToolCall {
    let call = this.toolCalls.get(index);
    if (!call) {
      call = { name: "", arguments: "", inputObject };
      this.toolCalls.set(index, call);
    }
    return call;
  }

  private addChatChunk(chunk: Obj): void {
    this.facts.responseId ??= str(chunk.id);
    this.facts.responseModel ??= str(chunk.model);
    for (const choice of arr(chunk.choices)) {
      const delta = obj(choice.delta);
      this.text += str(delta.content) ?? "";
      this.reasoning += str(delta.reasoning_content) ?? str(delta.reasoning) ?? "";
      for (const part of arr(delta.tool_calls)) {
        const call = this.toolCallAt(num(part.index) ?? 0);
        const fn = obj(part.function);
        call.name ||= str(fn.name) ?? "";
        call.arguments += str(fn.arguments) ?? "";
      }
      const reason = str(choice.finish_reason);
      if (reason) this.finish.add(reason);
    }
    if (isObj(chunk.usage)) Object.assign(this.facts, clean(openAiChatUsage(chunk.usage)));
  }

  private addResponsesEvent(event: Obj): void {
    if (event.type === "response.output_text.delta") this.text += str(event.delta) ?? "";
    else if (event.type === "response.reasoning_summary_text.delta") this.reasoning += str(event.delta) ?? "";
    else if (
      event.type === "response.completed" ||
      event.type === "response.incomplete" ||
      event.type === "response.failed"
    ) {
      Object.assign(this.facts, parseResponsesApi(obj(event.response)));
    }
  }

  private addAnthropicEvent(event: Obj): void {
    if (event.type === "message_start") {
      const message = obj(event.message);
      this.facts.responseId = str(message.id);
      this.facts.responseModel = str(message.model);
      this.anthropicUsage = { ...obj(message.usage) };
    } else if (event.type === "content_block_start") {
      const block = obj(event.content_block);
      if (block.type === "text") this.text += str(block.text) ?? "";
      else if (block.type === "tool_use")
        this.toolCallAt(num(event.index) ?? 0, true).name = str(block.name) ?? "";
      return;
    } else if (event.type === "content_block_delta") {
      const delta = obj(event.delta);
      if (delta.type === "text_delta") this.text += str(delta.text) ?? "";
      else if (delta.type === "thinking_delta") this.reasoning += str(delta.thinking) ?? "";
      else if (delta.type === "input_json_delta") {
        this.toolCallAt(num(event.index) ?? 0, true).arguments += str(delta.partial_json) ?? "";
      }
      return;
    } else if (event.type === "message_delta") {
      const reason = str(obj(event.delta).stop_reason);
      if (reason) this.finish.add(reason);
      // message_delta carries cumulative counts; later values win.
      for (const [key, value] of Object.entries(obj(event.usage)))
        if (value != null) this.anthropicUsage[key] = value;
    } else {
      return;
    }
    Object.assign(this.facts, clean(anthropicUsage(this.anthropicUsage)));
  }
}

/**
 * A streamed Anthropic tool input is JSON text as the API cut it into pieces; a whole response
 * gives an object, which parseAnthropicMessage stringifies. Compacted alike, both record the same
 * text. An empty input is `{}`, as a whole response gives it; text that does not parse is kept.
 */
function compactJson(text: string): string {
  if (text.trim() === "") return "{}";
  try {
    return JSON.stringify(JSON.parse(text));
  } catch {
    return text;
  }
}

function clean(facts: LlmFacts): LlmFacts {
  const out: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(facts)) if (value !== undefined) out[key] = value;
  return out as LlmFacts;
}

function isObj(value: unknown): value is Obj {
  return typeof value === "object" && value !== null;
}
function obj(value: unknown): Obj {
  return isObj(value) ? value : {};
}
function arr(value: unknown): Obj[] {
  return Array.isArray(value) ? value.filter(isObj) : [];
}
function str(value: unknown): string | undefined {
  return typeof value === "string" ? value : undefined;
}
function num(value: unknown): number | undefined {
  return typeof value === "number" && Number.isFinite(value) ? value : undefined;
}
function isString(value: string | undefined): value is string {
  return value !== undefined;
}
