/**
 * The model price table (`@pydantic/genai-prices`), loaded when it is first needed rather
 * than at import: it costs about as much start-up time and memory as the trace SDK itself,
 * and a serverless agent pays start-up on every new container.
 *
 * An LLM call starts loading it in the background (`preloadPriceTable`), so that by the time
 * the call ends and is priced it is usually there. Pricing never waits for that: a lookup
 * before the background load finished loads the package's CommonJS build synchronously, so
 * `priceUsage()`, and so the first `llm()` call, stays synchronous and priced.
 */
import { createRequire } from "node:module";
import type * as GenaiPrices from "@pydantic/genai-prices";

type CalcPrice = typeof GenaiPrices.calcPrice;

let calcPrice: CalcPrice | undefined;
let loading: Promise<void> | undefined;

/** Starts loading the table without blocking; idempotent. A failure is left to priceTable() to report. */
export function preloadPriceTable(): void {
  if (calcPrice !== undefined || loading !== undefined) return;
  loading = import("@pydantic/genai-prices").then(
    (table) => {
      calcPrice ??= table.calcPrice;
    },
    () => {},
  );
}

/** The table's price function, loaded now if it is not loaded yet. Throws if the package cannot be loaded. */
export function priceTable(): CalcPrice {
  calcPrice ??= (createRequire(import.meta.url)("@pydantic/genai-prices") as typeof GenaiPrices).calcPrice;
  return calcPrice;
}
