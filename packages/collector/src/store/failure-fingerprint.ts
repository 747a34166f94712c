/**
 * What makes two failures "the same problem": the error type, the message with its variable
 * parts replaced (numbers, IDs, quoted values, e-mail addresses), and the span that failed.
 * "SMTP 550: mailbox unavailable for ann@example.com" and the same for bob@… are one group.
 */
export function messagePattern(message: string): string {
  return message
    .replace(/(["'`])(?:(?!\1).){0,200}\1/g, "<value>")
    .replace(/\b[\w.+-]+@[\w-]+(?:\.[\w-]+)+\b/g, "<email>")
    .replace(/\b[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}\b/gi, "<id>")
    .replace(/\b(?=[0-9a-f]*\d)[0-9a-f]{8,}\b/gi, "<id>")
    .replace(/\b[a-z]+[-_](?=[\w-]*\d)[\w-]+\b/gi, (word) => (/\d/.test(word) ? "<id>" : word))
    .replace(/\d+(?:\.\d+)?/g, "<n>")
    .slice(0, 300);
}

export function failureFingerprint(f: { error_type: string | null; message: string; name: string }): string {
  return `${f.error_type ?? ""}\u0000${messagePattern(f.message)}\u0000${f.name}`;
}
