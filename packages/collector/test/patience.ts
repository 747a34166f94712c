/**
 * Options for vi.waitFor on something a thread or process does: waitFor gives up after 1 s by
 * default, and a thread starts slower than that on a busy machine. The test's own timeout bounds it.
 */
export const THREAD_START = { timeout: 20_000 } as const;
