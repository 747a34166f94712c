import { decide, llm, run, step } from "@flightrec/sdk";

export interface TripOptions {
  resume?: boolean;
  /** Stops inside this step (1–4) and never returns: the process is to be killed there. */
  hangInStep?: number;
  /** Called once inside the step it hangs in. */
  onHang?: () => void;
}

/** What a fake model on this machine answers, in the shape of an OpenAI chat completion. */
function completion(content: string) {
  return {
    id: "chatcmpl-trip",
    object: "chat.completion",
    created: 0,
    model: "gpt-4o-2024-08-06",
    choices: [{ index: 0, message: { role: "assistant", content }, finish_reason: "stop" }],
    usage: { prompt_tokens: 40, completion_tokens: 2, total_tokens: 42 },
  };
}

const COORDINATES: Record<string, { lat: number; lon: number }> = { Paris: { lat: 48.86, lon: 2.35 } };

/**
 * A four-step agent recorded with the real SDK. Steps 1 and 2 do not depend on the input; step 3
 * does, and throws on a city it does not know: two runs on different input part at step 3.
 */
export function tripAgent(runId: string, city: string, options: TripOptions = {}): Promise<unknown> {
  const hang = async (index: number) => {
    if (options.hangInStep !== index) return;
    options.onHang?.();
    // A timer keeps the process alive (a bare pending promise would let it exit) until it is killed.
    await new Promise(() => setInterval(() => {}, 60_000));
  };
  return run("plan_trip", { runId, input: { city }, resume: options.resume }, async () => {
    await step("load_config", async () => {
      await hang(1);
      return { units: "metric", provider: "open-meteo" };
    });
    await step("choose_model", async () => {
      const input = [{ role: "user", content: "Which forecast model suits Europe?" }];
      const answer = await llm({ provider: "openai", model: "gpt-4o", input }, async () =>
        completion("ecmwf"),
      );
      decide({ action: "use_ecmwf", reasoning: "the best scores for Europe" });
      await hang(2);
      return answer.choices[0]?.message.content;
    });
    const place = await step("geocode", async () => {
      await hang(3);
      const found = COORDINATES[city];
      if (!found) throw new Error(`unknown city: ${city}`);
      return found;
    });
    return step("forecast", async () => {
      await hang(4);
      return { ...place, sky: "clear" };
    });
  });
}
