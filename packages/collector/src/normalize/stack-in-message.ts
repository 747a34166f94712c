export interface SplitError {
  message: string;
  errorType: string;
  stack: string;
}

/** Does `text` start with `line` as its whole first line? */
function startsLine(text: string, line: string): boolean {
  return text.startsWith(line) && (text.length === line.length || text[line.length] === "\n");
}

/** The first line of a V8 stack: the error's name, then `: message` unless the message is empty. */
const STACK_HEADER = /^([A-Za-z_$][\w$.]*)(?=: |\n|$)/;

/**
 * Splits an error recorded as one text, message then a blank line then the stack, as
 * LangChain's tracers record it (`error.message + "\n\n" + error.stack`) and OpenInference
 * sends it as `exception.message` with no type or stacktrace. A V8 stack starts with
 * `Name: message`, so the split is the blank line after which the stack repeats the message;
 * text that is not of this form gives null and is kept as the message.
 */
export function splitStackFromMessage(text: string): SplitError | null {
  for (let at = text.indexOf("\n\n"); at !== -1; at = text.indexOf("\n\n", at + 1)) {
    const message = text.slice(0, at);
    const stack = text.slice(at + 2);
    const name = STACK_HEADER.exec(stack)?.[1];
    if (!name) continue;
    const headers = message === "" ? [name, `${name}: `] : [`${name}: ${message}`];
    if (headers.some((header) => startsLine(stack, header))) return { message, errorType: name, stack };
  }
  return null;
}
