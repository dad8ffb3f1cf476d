// Cross-field rules of one path entry that do not depend on other entries: target per check,
// http/dns blocks only on their check, control only on blocked paths, durations after defaults.
import { clip } from './k8s-names.js';
import { joinYamlPath, type Locator } from './locate.js';
import type { Problems } from './problems.js';
import type { RawPathEntry } from './schema.js';
import { parseDnsTarget, parseHttpTarget, parseTcpTarget, type ParsedTarget } from './target.js';
import {
  checkDnsSettings,
  checkHttpSettings,
  checkIntervalBounds,
  checkRunbook,
  checkTimeoutBelowInterval,
  duration,
  type FileDefaults,
  type TimedSetting,
} from './defaults.js';

/** What the per-entry rules hand to expansion; undefined members mean "already reported". */
export interface CheckedEntry {
  target?: ParsedTarget;
  interval: TimedSetting;
  timeout: TimedSetting;
}

/** Applies the single-entry rules to `paths[index]`, reporting into `problems`. */
export function checkEntry(
  entry: RawPathEntry,
  base: string,
  defaults: FileDefaults,
  loc: Locator,
  problems: Problems,
): CheckedEntry {
  const at = (key: string) => joinYamlPath(base, key);
  const target = checkTarget(entry, at('to'), loc, problems);

  for (const block of ['http', 'dns'] as const) {
    if (entry[block] !== undefined && entry.check !== block) {
      problems.error(loc, at(block), `${block} settings apply only to check: ${block} (this path is check: ${entry.check})`, 'key');
    }
  }
  if (entry.http) {
    checkHttpSettings(entry.http, at('http'), loc, problems);
    if (entry.http.tls !== undefined && target?.url?.startsWith('http:')) {
      problems.error(loc, joinYamlPath(at('http'), 'tls'), 'http.tls applies only to https:// targets', 'key');
    }
  }
  if (entry.dns) checkDnsSettings(entry.dns, at('dns'), loc, problems);

  if (entry.control !== undefined && (entry.expect ?? 'reachable') !== 'blocked') {
    problems.error(loc, at('control'), 'control applies only to expect: blocked paths', 'key');
  }
  if (entry.runbook !== undefined) checkRunbook(entry.runbook, at('runbook'), loc, problems);

  const interval = duration(entry.interval, at('interval'), loc, problems, 'path') ?? defaults.interval;
  const timeout = duration(entry.timeout, at('timeout'), loc, problems, 'path') ?? defaults.timeout;
  if (entry.interval !== undefined) checkIntervalBounds(interval, at('interval'), loc, problems);
  // Reported where the path itself says something; a clash purely between defaults is
  // reported once at `defaults:`.
  if (entry.timeout !== undefined) checkTimeoutBelowInterval(timeout, interval, at('timeout'), loc, problems);
  else if (entry.interval !== undefined) checkTimeoutBelowInterval(timeout, interval, at('interval'), loc, problems);

  return target ? { target, interval, timeout } : { interval, timeout };
}

function checkTarget(entry: RawPathEntry, path: string, loc: Locator, problems: Problems): ParsedTarget | undefined {
  const parsed =
    entry.check === 'tcp' ? parseTcpTarget(entry.to) : entry.check === 'http' ? parseHttpTarget(entry.to) : parseDnsTarget(entry.to);
  if ('error' in parsed) {
    problems.error(loc, path, parsed.error);
    return undefined;
  }
  if (parsed.host.length > 253) {
    problems.error(loc, path, `host "${clip(parsed.host)}" is longer than 253 characters`);
    return undefined;
  }
  return parsed;
}
