import { parseArgs } from "node:util";

/** One flag of a command: parsed, documented in `--help` and read from the environment from one entry. */
export interface OptionSpec {
  name: string;
  kind: "string" | "boolean";
  /** Placeholder in `--help`, e.g. `PATH`. */
  value?: string;
  /** Used when neither the flag nor its environment variable is set. */
  default?: string;
  /** Environment variable read when the flag is absent: flags win. */
  env?: string;
  help: string;
}

export interface CommandSpec {
  name: string;
  usage: string;
  about: string;
  options: OptionSpec[];
  /** Text after the option list: examples, exit codes. */
  more?: string;
}

/** A setting and where it came from, so an error names the flag or variable the user wrote. */
export interface Setting {
  value: string | undefined;
  from: string;
}

export interface ParsedCommand {
  help: boolean;
  settings: Record<string, Setting>;
  flags: Record<string, boolean>;
  positionals: string[];
}

/** A mistake in how the command was called: exit 2, and point at the command's `--help`. */
export class UsageError extends Error {
  constructor(
    message: string,
    readonly command?: string,
  ) {
    super(message);
    this.name = "UsageError";
  }
}

/** A command failed for a reason other than its usage: exit 1, naming the command. */
export class CommandError extends Error {
  constructor(
    readonly command: string,
    cause: Error,
  ) {
    super(cause.message, { cause });
    this.name = "CommandError";
  }
}

/** Parses `args` against `spec`; a flag wins over its environment variable, which wins over the default. */
export function parseCommand(spec: CommandSpec, args: string[], env: NodeJS.ProcessEnv): ParsedCommand {
  let parsed: ReturnType<typeof parseArgs>;
  try {
    parsed = parseArgs({
      args,
      allowPositionals: true,
      options: {
        help: { type: "boolean", short: "h" },
        ...Object.fromEntries(spec.options.map((o) => [o.name, { type: o.kind }])),
      },
    });
  } catch (error) {
    throw new UsageError(plainParseError(error as Error), spec.name);
  }
  const settings: Record<string, Setting> = {};
  const flags: Record<string, boolean> = {};
  for (const option of spec.options) {
    const given = parsed.values[option.name];
    if (option.kind === "boolean") flags[option.name] = given === true;
    else settings[option.name] = settingOf(option, given as string | undefined, env);
  }
  return { help: parsed.values.help === true, settings, flags, positionals: parsed.positionals };
}

function settingOf(option: OptionSpec, given: string | undefined, env: NodeJS.ProcessEnv): Setting {
  if (given !== undefined) return { value: given, from: `--${option.name}` };
  const fromEnv = option.env ? env[option.env] : undefined;
  if (option.env && fromEnv !== undefined && fromEnv !== "") return { value: fromEnv, from: option.env };
  return { value: option.default, from: `--${option.name}` };
}

/** parseArgs explains how to pass a positional that starts with "-"; only the first sentence helps here. */
function plainParseError(error: Error): string {
  return error.message.split(". To specify a positional")[0]!.replace(/\.$/, "");
}

/** The `--help` text of a command, from the same specs the parser uses. */
export function commandHelp(spec: CommandSpec): string {
  const help: [string, string] = ["-h, --help", "print this help and exit"];
  const rows = [...spec.options.map(optionRows), [help]];
  const width = Math.max(...rows.flat().map(([left]) => left.length)) + 2;
  const lines = rows.flat().map(([left, right]) => `  ${left.padEnd(width)}${right}`.trimEnd());
  const more = spec.more ? ["", spec.more] : [];
  return [`Usage: ${spec.usage}`, "", spec.about, "", "Options:", ...lines, ...more].join("\n");
}

/** An option's line, and a second one with its default and environment variable when it has them. */
function optionRows(option: OptionSpec): [string, string][] {
  const left = `--${option.name}${option.value ? ` ${option.value}` : ""}`;
  const notes = [
    option.default !== undefined ? `default ${option.default}` : undefined,
    option.env ? `env ${option.env}` : undefined,
  ].filter(Boolean);
  return notes.length
    ? [
        [left, option.help],
        ["", notes.join(", ")],
      ]
    : [[left, option.help]];
}
