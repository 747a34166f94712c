import { context } from "@opentelemetry/api";
import { suppressTracing } from "@opentelemetry/core";

type Method = (...args: unknown[]) => unknown;
export type Intercept = (original: Method, self: object, args: unknown[]) => unknown;

/**
 * A Proxy of `client` whose methods at the given dotted paths (e.g. `chat.completions.create`)
 * are replaced by `intercept`; everything else reaches the real client. Intermediate
 * resources are proxied too, so helpers that call `this.create` are intercepted as well.
 */
export function interceptMethods<C extends object>(
  client: C,
  methods: Readonly<Record<string, Intercept>>,
): C {
  return proxyAt(client, "", methods, true);
}

function proxyAt<T extends object>(
  target: T,
  path: string,
  methods: Readonly<Record<string, Intercept>>,
  isRoot: boolean,
): T {
  const children = new Map<PropertyKey, unknown>();
  return new Proxy(target, {
    get(obj, prop, receiver) {
      if (typeof prop !== "string") return Reflect.get(obj, prop, obj);
      const childPath = path ? `${path}.${prop}` : prop;
      const value = Reflect.get(obj, prop, obj);
      const intercept = methods[childPath];
      if (intercept && typeof value === "function") {
        if (!children.has(prop)) {
          children.set(prop, function (this: unknown, ...args: unknown[]) {
            return intercept(value as Method, this === receiver ? obj : (this as object), args);
          });
        }
        return children.get(prop);
      }
      const leadsToMethod = Object.keys(methods).some((m) => m.startsWith(`${childPath}.`));
      if (leadsToMethod && typeof value === "object" && value !== null) {
        if (!children.has(prop)) children.set(prop, proxyAt(value, childPath, methods, false));
        return children.get(prop);
      }
      // The root client may use private fields: call its own methods on the real object.
      return isRoot && typeof value === "function" ? value.bind(obj) : value;
    },
  });
}

/**
 * The client libraries return promise subclasses with extras (`withResponse()`,
 * `asResponse()`, …). Keeps those on the traced promise: `withResponse()` hands back the
 * traced data (e.g. the observed stream) with the raw response.
 */
export function keepPromiseExtras<T>(raw: unknown, traced: Promise<T>): Promise<T> {
  if (typeof raw !== "object" || raw === null) return traced;
  const source = raw as Record<string, unknown> & { withResponse?: () => Promise<{ data: unknown }> };
  return new Proxy(traced, {
    get(target, prop) {
      if (prop === "withResponse" && typeof source.withResponse === "function") {
        return () =>
          Promise.all([target, source.withResponse!()]).then(([data, rest]) => ({ ...rest, data }));
      }
      if (prop in target) {
        const value = Reflect.get(target, prop, target);
        return typeof value === "function" ? value.bind(target) : value;
      }
      const value = Reflect.get(source, prop, source);
      return typeof value === "function" ? value.bind(source) : value;
    },
  });
}

/**
 * Runs `call` through `trace` while keeping the client's promise extras. The call itself runs
 * with tracing suppressed: our span is the record of it, and clients that trace themselves
 * (`@anthropic-ai/sdk` does, through the global tracer provider) would otherwise add a second
 * LLM span of the same call, without its reply, counting its tokens and cost twice.
 */
export function tracedCall(call: () => unknown, trace: (fn: () => unknown) => unknown): unknown {
  let raw: unknown;
  const traced = trace(() => {
    raw = context.with(suppressTracing(context.active()), call);
    return raw;
  });
  return traced instanceof Promise ? keepPromiseExtras(raw, traced) : traced;
}
