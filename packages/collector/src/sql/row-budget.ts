import { QueryRejectedError } from "./query-errors.js";

/**
 * The row and byte caps of a console result: rows are offered one at a time until one would pass
 * `maxRows` or about `maxBytes` of JSON; then the result is `truncated`. A first row that alone
 * passes the byte cap is refused, naming the limit, rather than answered as an empty result.
 */
export class RowBudget {
  readonly rows: unknown[][] = [];
  truncated = false;
  private bytes = 0;

  constructor(
    private readonly maxRows: number,
    private readonly maxBytes: number,
  ) {}

  /** Keeps the row if it fits; false once the result is full (this row and every later one left out). */
  offer(cells: unknown[]): boolean {
    if (this.truncated) return false;
    if (this.rows.length === this.maxRows) {
      this.truncated = true;
      return false;
    }
    this.bytes += cells.reduce<number>((sum, cell) => sum + cellBytes(cell), 0);
    if (this.bytes > this.maxBytes) {
      this.truncated = true;
      return false;
    }
    this.rows.push(cells);
    return true;
  }

  /** The rows kept; throws when not even the first row fit. */
  result(): { rows: unknown[][]; truncated: boolean } {
    if (this.truncated && this.rows.length === 0) {
      throw new QueryRejectedError(
        `the first row alone is larger than the ${formatBytes(this.maxBytes)} result limit: select fewer or shorter columns, e.g. substr(column, 1, 10000)`,
      );
    }
    return { rows: this.rows, truncated: this.truncated };
  }
}

/** About what a cell adds to the JSON reply: strings by length (escapes aside), other values a few bytes. */
function cellBytes(cell: unknown): number {
  return typeof cell === "string" ? cell.length + 3 : 8;
}

function formatBytes(n: number): string {
  return n % (1024 * 1024) === 0 ? `${n / (1024 * 1024)} MiB` : `${n} bytes`;
}
