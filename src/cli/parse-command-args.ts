// Strict option parsing for sub-commands: node:util parseArgs, with its errors as UsageErrors.
import { parseArgs, type ParseArgsConfig } from 'node:util';
import { UsageError } from '../errors.js';
import { checkDns1123Label, checkDns1123Subdomain } from '../catalog/k8s-names.js';

/** Parses `args` for `pathprobe <command>`; unknown options and missing values are UsageErrors. */
export function parseCommandArgs<T extends NonNullable<ParseArgsConfig['options']>>(
  command: string,
  args: string[],
  options: T,
) {
  try {
    return parseArgs({ args, options, strict: true, allowPositionals: false });
  } catch (error) {
    throw new UsageError(`${command}: ${(error as Error).message}`, `run \`pathprobe ${command} --help\``);
  }
}

/** The value of a required option, or a UsageError naming it. */
export function required<T>(command: string, name: string, value: T | undefined): T {
  if (value === undefined || (Array.isArray(value) && value.length === 0)) {
    throw new UsageError(`${command}: --${name} is required`, `run \`pathprobe ${command} --help\``);
  }
  return value;
}

/** Runs a command body that calls node:util parseArgs itself; its parse errors become UsageErrors. */
export async function withParseErrorsAsUsage(command: string, body: () => Promise<number>): Promise<number> {
  try {
    return await body();
  } catch (err) {
    // node:util parseArgs throws TypeErrors with ERR_PARSE_ARGS_* codes for unknown options.
    if (err instanceof TypeError && String((err as { code?: unknown }).code).startsWith('ERR_PARSE_ARGS')) {
      throw new UsageError(err.message, `run \`pathprobe ${command} --help\``);
    }
    throw err;
  }
}

/**
 * A namespace option's value (undefined when not given); a name Kubernetes would reject is a
 * UsageError, not a manifest the API server refuses later or a policy that matches nothing.
 * `allowEmpty`: "" means "none" for this option.
 */
export function namespaceOption(flag: string, value: string | undefined, allowEmpty = false): string | undefined {
  if (value === undefined || (allowEmpty && value === '')) return value;
  const problem = checkDns1123Label(value, `--${flag}`);
  if (problem !== undefined) throw new UsageError(`${problem}: not a Kubernetes namespace`, `give --${flag} a namespace name such as "monitoring"`);
  return value;
}

/** A DNS domain option's value (a cluster domain such as cluster.local); anything else is a UsageError. */
export function domainOption(flag: string, value: string | undefined): string | undefined {
  if (value === undefined) return value;
  if (value === '' || !checkDns1123Subdomain(value)) {
    throw new UsageError(`--${flag} "${value.slice(0, 80)}" is not a DNS domain (lower-case labels separated by dots)`, `give --${flag} a domain such as cluster.local`);
  }
  return value;
}
