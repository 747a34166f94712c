/**
 * The error type to show before a failure's message, or null: none when the message already
 * begins with it, as an interruption's does ("interrupted: no heartbeat since …") and a Python
 * error's often does ("ValueError: …"), so that the page never reads "interrupted: interrupted: …".
 */
export function errorTypePrefix(errorType: string | null, message: string | null): string | null {
  if (!errorType) return null;
  return message?.startsWith(`${errorType}:`) ? null : errorType;
}

/** "Type: message", said once. */
export function errorLine(errorType: string | null, message: string): string {
  const prefix = errorTypePrefix(errorType, message);
  return prefix ? `${prefix}: ${message}` : message;
}
