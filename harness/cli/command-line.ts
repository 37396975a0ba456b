// The one command-line layer of every npm run command: declared options read by node:util parseArgs, --help, and one error style.
//
// Options are declared, nanoGPT configurator style: an unknown flag or a bad value is refused, naming the flag and what
// it accepts. Every refusal reads "<command>: <what is wrong>", then the command's usage, then exit status 2.
import { parseArgs } from 'node:util';
import { UserError, isUserError } from '../../grader/user-error.ts';

export type OptionKind = 'flag' | 'int' | 'number' | 'string' | 'choice';

export interface OptionSpec {
  name: string;
  kind: OptionKind;
  choices?: readonly string[];
  /** Smallest accepted value for int and number. */
  min?: number;
  /** Largest accepted value for int and number. */
  max?: number;
  /** Shown in the usage, e.g. "N" or "PATH". */
  value?: string;
  /** One line (or several, joined by \n) for --help: what it does and its default. */
  help?: string;
}

/** Words a command takes besides its options, e.g. kata names; any number of them. */
export interface PositionalSpec {
  /** Singular noun, e.g. "kata": shown as "kata ..." and used in "unknown kata". */
  name: string;
  /** When given, every positional must be one of these. */
  choices?: readonly string[];
  help: string;
}

export interface CommandSpec {
  /** Prefixes every error, e.g. "train" or "bench:grade". */
  name: string;
  /** How to type it, one line each: "npm run train -- [options]". */
  usage: readonly string[];
  /** What the command does, one sentence. */
  summary: string;
  options: readonly OptionSpec[];
  positionals?: PositionalSpec;
}

/** What one option gives, by kind: a flag true, int and number a number, a choice one of its choices, string a string. */
type ValueOfKind<K extends OptionKind, C> = K extends 'flag' ? true : K extends 'int' | 'number' ? number : K extends 'choice' ? C : string;

export type OptionValue<O extends OptionSpec> = ValueOfKind<O['kind'], O['choices'] extends readonly (infer C extends string)[] ? C : string>;

/** The options a command line gives, typed from the command's declared options; an option not given is absent. */
export type OptionsOf<S extends CommandSpec> = { readonly [O in S['options'][number] as O['name']]?: OptionValue<O> };

/** A command's positionals: one of its choices when it declares them, else any word. */
export type PositionalOf<S extends CommandSpec> = S['positionals'] extends { choices: readonly (infer C extends string)[] } ? C : string;

export interface CommandLine<S extends CommandSpec = CommandSpec> {
  readonly options: OptionsOf<S>;
  readonly positionals: readonly PositionalOf<S>[];
}

const HELP_OPTION: OptionSpec = { name: 'help', kind: 'flag', help: 'print this help and exit' };

function optionUsage(spec: OptionSpec): string {
  if (spec.kind === 'flag') return `--${spec.name}`;
  if (spec.kind === 'choice') return `--${spec.name} ${spec.choices!.join('|')}`;
  return `--${spec.name} ${spec.value ?? (spec.kind === 'string' ? 'TEXT' : 'N')}`;
}

/** The text --help prints, and every usage error after its message. */
export function helpText(command: CommandSpec): string {
  const rows: [string, string][] = [];
  if (command.positionals) rows.push([`${command.positionals.name} ...`, command.positionals.help]);
  for (const o of command.options) rows.push([optionUsage(o), o.help ?? '']);
  rows.push(['-h, --help', HELP_OPTION.help!]);
  const width = Math.min(26, Math.max(...rows.map(([left]) => left.length)));
  const lines = [`usage: ${command.usage[0]}`, ...command.usage.slice(1).map((u) => `       ${u}`), command.summary, ''];
  for (const [left, help] of rows) {
    const [first = '', ...more] = help.split('\n');
    if (left.length > width) lines.push(`  ${left}`, ...(first ? [`  ${' '.repeat(width)}  ${first}`] : []));
    else lines.push(`  ${left.padEnd(width)}  ${first}`.trimEnd());
    for (const m of more) lines.push(`  ${' '.repeat(width)}  ${m}`);
  }
  return lines.join('\n');
}

function between(spec: OptionSpec): string {
  if (spec.min !== undefined && spec.max !== undefined) return ` from ${spec.min} to ${spec.max}`;
  if (spec.min !== undefined) return ` ≥ ${spec.min}`;
  if (spec.max !== undefined) return ` ≤ ${spec.max}`;
  return '';
}

function parseValue(spec: OptionSpec, raw: string): string | number {
  switch (spec.kind) {
    case 'int': {
      const n = Number(raw);
      const bounds = { ...spec, min: spec.min ?? 0 };
      if (!/^-?\d+$/.test(raw) || !Number.isSafeInteger(n) || n < bounds.min || (spec.max !== undefined && n > spec.max)) {
        throw new UserError(`--${spec.name} ${raw}: expected a whole number${between(bounds)}`, { kind: 'usage' });
      }
      return n;
    }
    case 'number': {
      const n = Number(raw);
      if (raw.trim() === '' || !Number.isFinite(n) || (spec.min !== undefined && n < spec.min) || (spec.max !== undefined && n > spec.max)) {
        throw new UserError(`--${spec.name} ${raw}: expected a number${between(spec)}`, { kind: 'usage' });
      }
      return n;
    }
    case 'choice':
      if (!spec.choices!.includes(raw)) throw new UserError(`--${spec.name} ${raw}: expected one of ${spec.choices!.join(', ')}`, { kind: 'usage' });
      return raw;
    default:
      return raw;
  }
}

/**
 * Reads `--name value`, `--name=value`, bare `--flag`, `-h` and (where the command takes them) positionals.
 * Returns `{ help: true }` for --help; anything else wrong is a usage UserError naming the flag.
 */
export function parseCommandLine<const S extends CommandSpec>(command: S, argv: readonly string[]): CommandLine<S> | { help: true } {
  const specs = [...command.options, HELP_OPTION];
  const byName = new Map(specs.map((s) => [s.name, s]));
  // Not strict: parseArgs then hands every token over, and the messages below say what is wrong in our words.
  const { tokens } = parseArgs({
    args: [...argv],
    strict: false,
    allowPositionals: true,
    tokens: true,
    options: Object.fromEntries(specs.map((s) => [s.name, { type: s.kind === 'flag' ? 'boolean' : 'string', ...(s === HELP_OPTION ? { short: 'h' } : {}) }])),
  });
  if (tokens.some((t) => t.kind === 'option' && t.name === 'help')) return { help: true };
  const options: Record<string, string | number | boolean> = {};
  const positionals: string[] = [];
  for (const token of tokens) {
    if (token.kind === 'option-terminator') continue;
    if (token.kind === 'positional') {
      const p = command.positionals;
      if (!p) throw new UserError(`unexpected argument ${JSON.stringify(token.value)} (${command.name} takes only --options)`, { kind: 'usage' });
      if (p.choices && !p.choices.includes(token.value)) {
        throw new UserError(`unknown ${p.name} ${JSON.stringify(token.value)}; the ${p.name}s are ${p.choices.join(', ')}`, { kind: 'usage' });
      }
      if (!positionals.includes(token.value)) positionals.push(token.value);
      continue;
    }
    const spec = byName.get(token.name);
    if (!spec) throw new UserError(`unknown option ${token.rawName}`, { kind: 'usage' });
    if (token.name in options) throw new UserError(`--${token.name} given twice`, { kind: 'usage' });
    if (spec.kind === 'flag') {
      if (token.inlineValue) throw new UserError(`--${token.name} takes no value`, { kind: 'usage' });
      options[token.name] = true;
      continue;
    }
    // parseArgs gives a value option the next word whatever it is; "--iters --resume" means the value was forgotten.
    if (token.value === undefined || (!token.inlineValue && token.value.startsWith('--'))) {
      throw new UserError(`${optionUsage(spec)}: the value is missing`, { kind: 'usage' });
    }
    options[token.name] = parseValue(spec, token.value);
  }
  // checked above against the declared kinds and choices, so the values have the types the spec gives them
  return { options: options as OptionsOf<S>, positionals: positionals as PositionalOf<S>[] };
}

/** Prints "<command>: <message>", then the usage, on stderr, and exits 2. */
export function exitWithUsageError(command: CommandSpec, message: string): never {
  process.stderr.write(`${command.name}: ${message}\n${helpText(command)}\n`);
  process.exit(2);
}

/** Parses this process's arguments: prints the help and exits 0 for --help, exits 2 with the usage for a bad one. */
export function readCommandLine<const S extends CommandSpec>(command: S, argv: readonly string[] = process.argv.slice(2)): CommandLine<S> {
  let line: CommandLine<S> | { help: true };
  try {
    line = parseCommandLine(command, argv);
  } catch (e) {
    if (isUserError(e) && e.kind === 'usage') exitWithUsageError(command, e.message);
    throw e;
  }
  if ('help' in line) {
    process.stdout.write(`${helpText(command)}\n`);
    process.exit(0);
  }
  return line;
}
