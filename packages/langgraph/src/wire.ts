import { redactJsonText } from "@flightrec/sdk/bridge";

/**
 * A serialized value on the wire (the collector's `GraphValue`): the serializer's type tag and
 * bytes, as text when they are UTF-8 JSON, else base64.
 */
export interface WireValue {
  type: string;
  data: string;
  encoding: "utf8" | "base64";
}

/** A checkpoint with its writes, as `GET /api/graph/checkpoint(s)` answers it. */
export interface WireTuple {
  threadId: string;
  checkpointNs: string;
  checkpointId: string;
  parentCheckpointId: string | null;
  checkpoint: WireValue;
  metadata: Record<string, unknown>;
  pendingWrites: { taskId: string; channel: string; value: WireValue }[];
}

const utf8 = new TextDecoder("utf-8", { fatal: true });

/**
 * The serializer's output for the wire, redacted like a step's output when it is JSON: a value
 * redaction changed is marked, and the collector never hands it back (the node runs again).
 */
export function toWire([type, bytes]: [string, Uint8Array | string]): {
  value: WireValue;
  redacted: boolean;
} {
  const text = typeof bytes === "string" ? bytes : textOf(bytes);
  if (text === undefined) {
    return {
      value: { type, data: Buffer.from(bytes).toString("base64"), encoding: "base64" },
      redacted: false,
    };
  }
  const { text: data, redacted } = type === "json" ? redactJsonText(text) : { text, redacted: false };
  return { value: { type, data, encoding: "utf8" }, redacted };
}

/** What the serializer's `loadsTyped` takes back. */
export function fromWire(value: WireValue): string | Uint8Array {
  return value.encoding === "utf8" ? value.data : new Uint8Array(Buffer.from(value.data, "base64"));
}

function textOf(bytes: Uint8Array): string | undefined {
  try {
    return utf8.decode(bytes);
  } catch {
    return undefined;
  }
}
