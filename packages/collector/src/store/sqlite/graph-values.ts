import type { GraphValue } from "../store.js";

/** What SQLite keeps of a serialized value: JSON text as TEXT (readable with SQL), other bytes as a BLOB. */
export function storedValue(value: GraphValue): string | Buffer {
  return value.encoding === "utf8" ? value.data : Buffer.from(value.data, "base64");
}

/** A stored value back as the saver's serializer wrote it. */
export function graphValue(type: string, stored: string | Buffer): GraphValue {
  return typeof stored === "string"
    ? { type, data: stored, encoding: "utf8" }
    : { type, data: stored.toString("base64"), encoding: "base64" };
}
