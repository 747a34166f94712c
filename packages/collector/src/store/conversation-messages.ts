/**
 * The messages of one part as a JSON array's text; null when there are none. A row holds one
 * message (an object) or several (an array, spliced in).
 */
export function joinedMessages(
  rows: { part: string; message: string }[],
  part: "input" | "output",
): string | null {
  const messages = rows
    .filter((r) => r.part === part)
    .map((r) => (r.message.startsWith("[") ? r.message.slice(1, -1) : r.message))
    .filter((m) => m.length > 0);
  return messages.length === 0 ? null : `[${messages.join(",")}]`;
}
