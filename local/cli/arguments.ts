// The command line of every npm script, from one list of options: the parse, the checks and the
// --help text cannot drift apart. node:util parseArgs splits the tokens; this module adds what a
// person expects of a CLI: numbers refused by name, the nearest known option suggested for a typo,
// and relative paths read from the directory `npm run` was typed in (npm runs scripts at the root).
import { isAbsolute, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { closestName } from '../../lib/closest-name';

interface OptionBase {
  /** One or more lines; continuation lines are indented under the first in --help. */
  readonly description: string;
  readonly short?: string;
}

interface ValueOption<T> extends OptionBase {
  /** The placeholder in --help and messages: DIR, N, URL… */
  readonly value: string;
  readonly default?: T;
  readonly required?: boolean;
}

/** A switch: present or not. */
export interface FlagOption extends OptionBase {
  readonly type: 'boolean';
}

/** Text kept as given; `multiple` collects every occurrence. */
export interface TextOption extends ValueOption<string> {
  readonly type: 'string';
  readonly multiple?: boolean;
}

/** A file or directory, made absolute against the invocation directory. */
export interface PathOption extends ValueOption<string> {
  readonly type: 'path';
}

/** Plain decimal digits only (no sign, exponent, hex or spaces), within [min, max]; min defaults to 1. */
export interface IntegerOption extends ValueOption<number> {
  readonly type: 'integer';
  readonly min?: number;
  readonly max?: number;
}

/** `postgres://…`, `postgresql://…` or `pglite:DIR`, whose DIR is made absolute like a path. */
export interface DatabaseOption extends ValueOption<string> {
  readonly type: 'database';
}

/** The warehouse a local command runs on, as `local` and `local:redshift` both take it. */
export const LOCAL_DATABASE_OPTION: DatabaseOption = {
  type: 'database',
  value: 'URL',
  description: `postgres://user:password@host:port/db, or pglite:DIR to keep a PGlite
database on disk; default: a new PGlite database, removed when the command ends`,
};

export type OptionSpec = FlagOption | TextOption | PathOption | IntegerOption | DatabaseOption;

export interface CommandSpec<Options extends Record<string, OptionSpec>> {
  /** How the command is typed, e.g. `npm run local --`. */
  readonly command: string;
  /** What it does, a paragraph or two; printed under the usage line. */
  readonly summary: string;
  readonly options: Options;
}

type ValueOf<Spec> = Spec extends FlagOption
  ? boolean
  : Spec extends { multiple: true }
    ? string[]
    : Spec extends { default: unknown } | { required: true }
      ? Spec extends IntegerOption
        ? number
        : string
      : Spec extends IntegerOption
        ? number | undefined
        : string | undefined;

export type ArgumentValues<Options extends Record<string, OptionSpec>> = {
  -readonly [Name in keyof Options]: ValueOf<Options[Name]>;
};

export type ParsedArguments<Options extends Record<string, OptionSpec>> =
  { readonly help: true } | { readonly help: false; readonly values: ArgumentValues<Options> };

/** A command line that cannot be run: the message names the option and the value given. */
export class ArgumentError extends Error {
  override readonly name: string = 'ArgumentError';
}

const HELP: FlagOption = { type: 'boolean', short: 'h', description: 'print this help' };

/** Where the user typed the command: npm sets INIT_CWD before it changes to the package root. */
export function invocationDirectory(): string {
  return process.env.INIT_CWD ?? process.cwd();
}

export function resolvePath(path: string, base: string = invocationDirectory()): string {
  return isAbsolute(path) ? path : resolve(base, path);
}

function withHelp(options: Record<string, OptionSpec>): Record<string, OptionSpec> {
  return { ...options, help: HELP };
}

function placeholder(name: string, spec: OptionSpec): string {
  return spec.type === 'boolean' ? `--${name}` : `--${name} ${spec.value}`;
}

function usageLine(command: CommandSpec<Record<string, OptionSpec>>): string {
  const parts = Object.entries(withHelp(command.options)).map(([name, spec]) => {
    const text = placeholder(name, spec);
    const repeated = spec.type === 'string' && spec.multiple ? '…' : '';
    return spec.type !== 'boolean' && spec.required ? text : `[${text}]${repeated}`;
  });
  return `usage: ${command.command} ${parts.join(' ')}`;
}

/** The --help text: usage line, summary, then every option with its description and default. */
export function helpText<Options extends Record<string, OptionSpec>>(command: CommandSpec<Options>): string {
  const entries = Object.entries(withHelp(command.options)).map(([name, spec]) => {
    const flag = (spec.short ? `-${spec.short}, ` : '    ') + placeholder(name, spec);
    const lines = spec.description.split('\n');
    if (spec.type !== 'boolean' && spec.default !== undefined)
      lines.push(`${lines.pop()} (default: ${spec.default})`);
    return { flag, lines };
  });
  const width = Math.max(...entries.map(({ flag }) => flag.length)) + 2;
  const body = entries.map(({ flag, lines }) =>
    lines.map((line, i) => `  ${(i === 0 ? flag : '').padEnd(width)}${line}`).join('\n'),
  );
  return [usageLine(command), '', command.summary, '', ...body].join('\n');
}

function integerFrom(name: string, spec: IntegerOption, text: string): number {
  const min = spec.min ?? 1;
  const what =
    min === 1 ? 'a positive integer' : min === 0 ? 'a non-negative integer' : `an integer of at least ${min}`;
  const n = /^\d+$/.test(text) ? Number(text) : Number.NaN;
  if (!Number.isSafeInteger(n) || n < min)
    throw new ArgumentError(`--${name} must be ${what}, got ${JSON.stringify(text)}`);
  if (spec.max !== undefined && n > spec.max)
    throw new ArgumentError(`--${name} must be at most ${spec.max}, got ${JSON.stringify(text)}`);
  return n;
}

function databaseFrom(name: string, text: string, base: string): string {
  if (/^postgres(ql)?:\/\/./.test(text)) return text;
  const dir = /^pglite:(.+)$/.exec(text)?.[1];
  if (dir === undefined)
    throw new ArgumentError(
      `--${name} must be postgres://user:password@host:port/db or pglite:DIR, got ${JSON.stringify(text)}`,
    );
  return `pglite:${resolvePath(dir, base)}`;
}

function valueFrom(name: string, spec: Exclude<OptionSpec, FlagOption>, text: string, base: string) {
  switch (spec.type) {
    case 'integer':
      return integerFrom(name, spec, text);
    case 'path':
      if (text === '') throw new ArgumentError(`--${name} must be a path, got ""`);
      return resolvePath(text, base);
    case 'database':
      return databaseFrom(name, text, base);
    case 'string':
      return text;
  }
}

function unknownOption(rawName: string, known: readonly string[]): ArgumentError {
  // A one-letter typo is too short to guess from.
  const nearest = rawName.startsWith('--') ? closestName(rawName.slice(2), known) : undefined;
  const hint = nearest === undefined ? '' : `; did you mean --${nearest}?`;
  return new ArgumentError(`unknown option ${rawName}${hint}`);
}

/**
 * Reads argv against the command's options. Returns `{ help: true }` for --help/-h; otherwise
 * every option's value: defaults filled in, numbers checked, paths absolute against `base`.
 * Throws ArgumentError for anything that cannot be run.
 */
export function parseArguments<const Options extends Record<string, OptionSpec>>(
  command: CommandSpec<Options>,
  argv: readonly string[],
  base: string = invocationDirectory(),
): ParsedArguments<Options> {
  const specs = withHelp(command.options);
  const parserOptions = Object.fromEntries(
    Object.entries(specs).map(([name, spec]) => [
      name,
      { type: spec.type === 'boolean' ? 'boolean' : 'string', ...(spec.short ? { short: spec.short } : {}) },
    ]),
  ) as Record<string, { type: 'boolean' | 'string'; short?: string }>;
  // Not strict: the tokens come back for this module to judge, so that messages name the nearest option.
  const { tokens } = parseArgs({
    args: [...argv],
    options: parserOptions,
    strict: false,
    allowPositionals: true,
    tokens: true,
  });
  const given = new Map<string, string[]>();
  let help = false;
  for (const token of tokens) {
    if (token.kind === 'positional')
      throw new ArgumentError(`unexpected argument ${JSON.stringify(token.value)}`);
    if (token.kind !== 'option') continue;
    const spec = specs[token.name];
    if (spec === undefined) throw unknownOption(token.rawName, Object.keys(specs));
    if (spec === HELP) help = true;
    if (spec.type === 'boolean') {
      if (token.value !== undefined) throw new ArgumentError(`--${token.name} takes no value`);
      given.set(token.name, []);
      continue;
    }
    // A separate value that looks like an option is one the user forgot: `--data --json`.
    if (token.value === undefined || (!token.inlineValue && token.value.startsWith('--')))
      throw new ArgumentError(`--${token.name} needs a value: ${placeholder(token.name, spec)}`);
    given.set(token.name, [...(given.get(token.name) ?? []), token.value]);
  }
  if (help) return { help: true };
  const values: Record<string, unknown> = {};
  for (const [name, spec] of Object.entries(command.options)) {
    const texts = given.get(name);
    if (spec.type === 'boolean') {
      values[name] = texts !== undefined;
      continue;
    }
    if (texts === undefined) {
      if (spec.required) throw new ArgumentError(`--${name} is required: ${placeholder(name, spec)}`);
      if (spec.type === 'string' && spec.multiple) values[name] = [];
      else if (spec.default === undefined || spec.type === 'integer') values[name] = spec.default;
      else values[name] = valueFrom(name, spec, spec.default, base);
      continue;
    }
    const parsed = texts.map((text) => valueFrom(name, spec, text, base));
    values[name] = spec.type === 'string' && spec.multiple ? parsed : parsed.at(-1);
  }
  return { help: false, values: values as ArgumentValues<Options> };
}

/** How a script reports a command line it cannot run (exit code 2): the error and where help is. */
export function argumentErrorText(
  command: CommandSpec<Record<string, OptionSpec>>,
  error: ArgumentError,
): string {
  return `✗ ${error.message}\n  (${command.command} --help lists the options)`;
}

/**
 * parseArguments for a script's main: prints the help and exits 0 for --help, prints the error
 * and a pointer to --help and exits 2 for a bad command line.
 */
export function readArguments<const Options extends Record<string, OptionSpec>>(
  command: CommandSpec<Options>,
  argv: readonly string[] = process.argv.slice(2),
): ArgumentValues<Options> {
  try {
    const parsed = parseArguments(command, argv);
    if (!parsed.help) return parsed.values;
    console.log(helpText(command));
    process.exit(0);
  } catch (error) {
    if (!(error instanceof ArgumentError)) throw error;
    console.error(argumentErrorText(command, error));
    process.exit(2);
  }
}
