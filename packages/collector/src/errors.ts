import type { ContentfulStatusCode } from "hono/utils/http-status";

/** An error that knows which HTTP status it maps to; the app's onError turns it into a response. */
export class HttpError extends Error {
  constructor(
    readonly status: ContentfulStatusCode,
    message: string,
    readonly headers: Record<string, string> = {},
  ) {
    super(message);
    this.name = "HttpError";
  }
}

/** The request body is not a valid OTLP export request; never worth retrying. */
export class MalformedRequestError extends HttpError {
  constructor(message: string) {
    super(400, message);
    this.name = "MalformedRequestError";
  }
}
