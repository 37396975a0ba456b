// Command-line flags, nanoGPT configurator style: every flag is declared, unknown ones and bad values are refused with what is accepted.
import { TrainError } from './train-error.ts';

export type OptionKind = 'flag' | 'int' | 'number' | 'string' | 'choice';

export interface OptionSpec {
  name: string;
  kind: OptionKind;
  choices?: readonly string[];
  /** Smallest accepted value for int and number. */
  min?: number;
  /** Shown in the usage line, e.g. "N" or "PATH". */
  value?: string;
}

export type ParsedOptions = Record<string, string | number | boolean | undefined>;

function usage(spec: OptionSpec): string {
  if (spec.kind === 'flag') return `--${spec.name}`;
  if (spec.kind === 'choice') return `--${spec.name} ${spec.choices!.join('|')}`;
  return `--${spec.name} ${spec.value ?? (spec.kind === 'string' ? 'TEXT' : 'N')}`;
}

export function usageLine(command: string, specs: readonly OptionSpec[]): string {
  return `usage: ${command} ${specs.map((s) => `[${usage(s)}]`).join(' ')}`;
}

function parseValue(spec: OptionSpec, raw: string): string | number {
  switch (spec.kind) {
    case 'int': {
      const n = Number(raw);
      const min = spec.min ?? 0;
      if (!/^-?\d+$/.test(raw) || !Number.isSafeInteger(n) || n < min) {
        throw new TrainError(`--${spec.name} ${raw}: expected a whole number ≥ ${min}`, 2);
      }
      return n;
    }
    case 'number': {
      const n = Number(raw);
      if (raw.trim() === '' || !Number.isFinite(n) || (spec.min !== undefined && n < spec.min)) {
        throw new TrainError(`--${spec.name} ${raw}: expected a number${spec.min !== undefined ? ` ≥ ${spec.min}` : ''}`, 2);
      }
      return n;
    }
    case 'choice':
      if (!spec.choices!.includes(raw)) throw new TrainError(`--${spec.name} ${raw}: expected one of ${spec.choices!.join(', ')}`, 2);
      return raw;
    default:
      return raw;
  }
}

/** Parses `--name value`, `--name=value` and bare `--flag`; anything else is a TrainError (exit 2) naming what is accepted. */
export function parseOptions(argv: readonly string[], specs: readonly OptionSpec[], command: string): ParsedOptions {
  const byName = new Map(specs.map((s) => [s.name, s]));
  const out: ParsedOptions = {};
  const accepted = () => `${command} accepts: ${specs.map(usage).join(', ')}`;
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i]!;
    if (!arg.startsWith('--')) throw new TrainError(`unexpected argument ${JSON.stringify(arg)}; ${accepted()}`, 2);
    const eq = arg.indexOf('=');
    const name = arg.slice(2, eq < 0 ? undefined : eq);
    const spec = byName.get(name);
    if (!spec) throw new TrainError(`unknown option --${name}; ${accepted()}`, 2);
    if (name in out) throw new TrainError(`--${name} given twice`, 2);
    if (spec.kind === 'flag') {
      if (eq >= 0) throw new TrainError(`--${name} takes no value`, 2);
      out[name] = true;
      continue;
    }
    let raw: string | undefined;
    if (eq >= 0) raw = arg.slice(eq + 1);
    else {
      raw = argv[i + 1];
      if (raw === undefined || raw.startsWith('--')) throw new TrainError(`${usage(spec)}: the value is missing`, 2);
      i++;
    }
    out[name] = parseValue(spec, raw);
  }
  return out;
}
