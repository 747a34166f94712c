import { HttpError } from "../../errors.js";
import { QueryRejectedError, WOULD_WRITE } from "../query-errors.js";

/** SQLSTATE codes the console answers in its own words. */
const SYNTAX_ERROR = "42601";
const READ_ONLY_TRANSACTION = "25006";

/** A PostgreSQL error as the SQLite console words the same problem; others keep PostgreSQL's message. */
export function describeQueryError(error: unknown): HttpError {
  if (error instanceof HttpError) return error;
  const { code, message } = error as { code?: string; message: string };
  if (code === SYNTAX_ERROR) {
    if (/multiple commands/.test(message))
      return new QueryRejectedError("the SQL contains more than one statement: send one at a time");
    const near = /^syntax error at or near "([\s\S]*)"$/.exec(message);
    if (near) return new QueryRejectedError(`SQL syntax error near "${near[1]}"`);
    if (message === "syntax error at end of input")
      return new QueryRejectedError("SQL syntax error: the statement ends too early (incomplete input)");
  }
  if (code === READ_ONLY_TRANSACTION) return new QueryRejectedError(WOULD_WRITE);
  // Class 08 (connection), 53 (resources), 57P (shutdown) and errors without a SQLSTATE (the
  // socket): the database, not the query, is at fault.
  if (!code || /^(08|53|57P)/.test(code))
    return new HttpError(503, `the SQL console cannot reach PostgreSQL: ${message}`, { "retry-after": "5" });
  return new QueryRejectedError(message);
}
