// Strict decoding of YAML nodes against the TypeBox schema (schema.ts): unknown keys, wrong
// types, enums, bounds and patterns become located problems; aliases are expanded under a budget.
import { Kind, type TSchema } from '@sinclair/typebox';
import { isAlias, isMap, isPair, isScalar, isSeq, type Document, type Node, type Pair } from 'yaml';
import { clip } from './k8s-names.js';
import { describe, kindName, unknownKeyMessage } from './decode-messages.js';
import { joinYamlPath, type Locator } from './locate.js';
import { LIMITS } from './schema.js';
import type { CatalogProblem } from './types.js';

/** Marker for a node that failed to decode (its problems are already reported). */
export const INVALID: unique symbol = Symbol('invalid');

/** State shared by one file's decode. */
export interface DecodeContext {
  doc: Document;
  locator: Locator;
  errors: CatalogProblem[];
  aliases: number;
  nodes: number;
  /** Set once a budget is exceeded: decoding stops everywhere. */
  aborted: boolean;
}

type Schema = TSchema & Record<string, any>;

/** Decodes `node` (at YAML path `path`) against `schema`; returns the plain value or INVALID. */
export function decodeNode(node: unknown, schema: TSchema, path: string, ctx: DecodeContext): unknown {
  if (ctx.aborted) return INVALID;
  if (++ctx.nodes > LIMITS.maxNodes) {
    return abort(ctx, path, `catalog is too large: more than ${LIMITS.maxNodes} YAML nodes (aliases expanded)`);
  }
  if (isAlias(node)) {
    if (++ctx.aliases > LIMITS.maxAliases) {
      return abort(ctx, path, `too many alias references (more than ${LIMITS.maxAliases}); write the values out`);
    }
    const target = node.resolve(ctx.doc);
    if (!target) return fail(ctx, path, `alias *${clip(node.source)} refers to no anchor`);
    return decodeNode(target, schema, path, ctx);
  }
  const s = schema as Schema;
  switch (s[Kind]) {
    case 'Object':
      return decodeObject(node, s, path, ctx);
    case 'Record':
      return decodeRecord(node, s, path, ctx);
    case 'Array':
      return decodeArray(node, s, path, ctx);
    case 'Union':
      return decodeUnion(node, s, path, ctx);
    default:
      return decodeScalar(node, s, path, ctx);
  }
}

function decodeObject(node: unknown, s: Schema, path: string, ctx: DecodeContext): unknown {
  if (!isMap(node)) return fail(ctx, path, `expected a mapping, got ${describe(node, ctx)}`);
  const properties = s.properties as Record<string, TSchema>;
  const out: Record<string, unknown> = {};
  const seen = new Set<string>();
  let ok = eachEntry(node.items, path, ctx, seen, (key, valueNode, childPath) => {
    const propSchema = Object.hasOwn(properties, key.name) ? properties[key.name] : undefined;
    if (!propSchema) {
      ctx.errors.push(ctx.locator.problemAtOffset(key.offset, childPath, unknownKeyMessage(key.name, Object.keys(properties))));
      return false;
    }
    seen.add(key.name);
    ctx.locator.record(childPath, path, valueOffset(valueNode, key.offset), key.offset);
    const value = decodeNode(valueNode ?? null, propSchema, childPath, ctx);
    if (value === INVALID) return false;
    out[key.name] = value;
    return true;
  });
  for (const required of (s.required as string[] | undefined) ?? []) {
    if (!seen.has(required)) {
      ctx.errors.push(ctx.locator.problem(path, `missing required key "${required}"`));
      ok = false;
    }
  }
  return ok ? out : INVALID;
}

function decodeRecord(node: unknown, s: Schema, path: string, ctx: DecodeContext): unknown {
  if (!isMap(node)) return fail(ctx, path, `expected a mapping, got ${describe(node, ctx)}`);
  const valueSchema = Object.values(s.patternProperties as Record<string, TSchema>)[0] as TSchema;
  if (typeof s.maxProperties === 'number' && node.items.length > s.maxProperties) {
    return fail(ctx, path, `has ${node.items.length} entries; at most ${s.maxProperties} are allowed`);
  }
  const names = s.propertyNames as Schema | undefined;
  const out: Record<string, unknown> = {};
  const seen = new Set<string>();
  const ok = eachEntry(node.items, path, ctx, seen, (key, valueNode, childPath) => {
    seen.add(key.name);
    ctx.locator.record(childPath, path, valueOffset(valueNode, key.offset), key.offset);
    const keyProblem = names ? stringProblem(key.name, names) : undefined;
    if (keyProblem) {
      ctx.errors.push(ctx.locator.problemAtOffset(key.offset, childPath, `key ${keyProblem}`));
      return false;
    }
    const value = decodeNode(valueNode ?? null, valueSchema, childPath, ctx);
    if (value === INVALID) return false;
    // defineProperty: a user key such as `__proto__` must stay an ordinary own property.
    Object.defineProperty(out, key.name, { value, enumerable: true, writable: true, configurable: true });
    return true;
  });
  return ok ? out : INVALID;
}

/**
 * Walks a mapping's entries: keys that are not plain strings, or that repeat a key in `seen`,
 * are reported; `entry` handles the others (adding to `seen` the keys it accepts) and returns
 * false when the entry is invalid. Returns whether every entry was valid.
 */
function eachEntry(
  items: readonly Pair[], path: string, ctx: DecodeContext, seen: ReadonlySet<string>,
  entry: (key: { name: string; offset: number }, valueNode: unknown, childPath: string) => boolean,
): boolean {
  let ok = true;
  for (const pair of items) {
    const key = keyOf(pair, path, ctx);
    if (key === undefined) {
      ok = false;
      continue;
    }
    const childPath = joinYamlPath(path, key.name);
    if (seen.has(key.name)) {
      ctx.errors.push(ctx.locator.problemAtOffset(key.offset, childPath, `duplicate key "${clip(key.name)}"`));
      ok = false;
      continue;
    }
    if (!entry(key, pair.value, childPath)) ok = false;
  }
  return ok;
}

function decodeArray(node: unknown, s: Schema, path: string, ctx: DecodeContext): unknown {
  if (!isSeq(node)) return fail(ctx, path, `expected a list, got ${describe(node, ctx)}`);
  if (typeof s.maxItems === 'number' && node.items.length > s.maxItems) {
    return fail(ctx, path, `has ${node.items.length} items; at most ${s.maxItems} are allowed`);
  }
  if (typeof s.minItems === 'number' && node.items.length < s.minItems) {
    return fail(ctx, path, `must have at least ${s.minItems} item${s.minItems === 1 ? '' : 's'}`);
  }
  const out: unknown[] = [];
  let ok = true;
  const seen = new Set<string>();
  node.items.forEach((item, index) => {
    const childPath = joinYamlPath(path, index);
    ctx.locator.record(childPath, path, valueOffset(item, nodeStart(node)));
    const value = decodeNode(item, s.items as TSchema, childPath, ctx);
    if (value === INVALID) {
      ok = false;
      return;
    }
    if (s.uniqueItems === true && (typeof value === 'string' || typeof value === 'number')) {
      const id = `${typeof value}:${value}`;
      if (seen.has(id)) {
        ctx.errors.push(ctx.locator.problem(childPath, `duplicate item ${JSON.stringify(value)}`));
        ok = false;
      }
      seen.add(id);
    }
    out.push(value);
  });
  return ok ? out : INVALID;
}

function decodeUnion(node: unknown, s: Schema, path: string, ctx: DecodeContext): unknown {
  const members = s.anyOf as Schema[];
  if (members.every((m) => m[Kind] === 'Literal')) {
    const allowed = members.map((m) => m.const as string);
    const value = isScalar(node) ? node.value : undefined;
    if (typeof value === 'string' && allowed.includes(value)) return value;
    const got = typeof value === 'string' ? `"${clip(value)}"` : describe(node, ctx);
    return fail(ctx, path, `expected one of ${allowed.join(', ')}, got ${got}`);
  }
  const want = isMap(node) ? ['Object', 'Record'] : isSeq(node) ? ['Array'] : ['String', 'Integer', 'Boolean', 'Literal'];
  const member = members.find((m) => want.includes(m[Kind] as string) && scalarFits(node, m));
  if (!member) {
    const names = members.map((m) => kindName(m[Kind] as string));
    return fail(ctx, path, `expected ${names.slice(0, -1).join(', ')} or ${names.at(-1)}, got ${describe(node, ctx)}`);
  }
  return decodeNode(node, member, path, ctx);
}

function decodeScalar(node: unknown, s: Schema, path: string, ctx: DecodeContext): unknown {
  const kind = s[Kind] as string;
  const value = isScalar(node) ? node.value : undefined;
  if (!isScalar(node) || !scalarFits(node, s)) {
    if (kind === 'Literal') return fail(ctx, path, `must be ${JSON.stringify(s.const)}`);
    const quote = kind === 'String' && (typeof value === 'number' || typeof value === 'boolean') ? ` (quote it: "${value}")` : '';
    return fail(ctx, path, `expected ${kindName(kind)}, got ${describe(node, ctx)}${quote}`);
  }
  if (kind === 'Literal' && value !== s.const) {
    return fail(ctx, path, `must be ${JSON.stringify(s.const)}, got ${JSON.stringify(clip(String(value)))}`);
  }
  if (typeof value === 'string') {
    const problem = stringProblem(value, s);
    if (problem) return fail(ctx, path, problem);
  }
  if (typeof value === 'number') {
    const { minimum: min, maximum: max } = s as { minimum?: number; maximum?: number };
    if ((min !== undefined && value < min) || (max !== undefined && value > max)) {
      const range = min !== undefined && max !== undefined ? `between ${min} and ${max}` : min !== undefined ? `at least ${min}` : `at most ${max}`;
      return fail(ctx, path, `${value} is out of range: must be ${range}`);
    }
  }
  return value;
}

/** Problems of a string against minLength/maxLength/pattern; undefined when it fits. */
function stringProblem(value: string, s: Schema): string | undefined {
  if (typeof s.minLength === 'number' && value.length < s.minLength) return 'must not be empty';
  if (typeof s.maxLength === 'number' && value.length > s.maxLength) {
    return `"${clip(value)}" is longer than ${s.maxLength} characters`;
  }
  if (typeof s.pattern === 'string' && !new RegExp(s.pattern).test(value)) {
    return `"${clip(value)}" ${(s.patternErrorMessage as string | undefined) ?? `must match ${s.pattern}`}`;
  }
  return undefined;
}

function scalarFits(node: unknown, s: Schema): boolean {
  if (!isScalar(node)) return isMap(node) || isSeq(node);
  const v = node.value;
  switch (s[Kind]) {
    case 'String':
    case 'Literal':
      return typeof v === 'string';
    case 'Integer':
      return typeof v === 'number' && Number.isInteger(v);
    case 'Boolean':
      return typeof v === 'boolean';
    default:
      return false;
  }
}

function keyOf(pair: unknown, path: string, ctx: DecodeContext): { name: string; offset: number } | undefined {
  if (!isPair(pair)) return undefined;
  const key = pair.key as Node | null;
  const offset = nodeStart(key) ?? valueOffset(pair.value, 0);
  if (isScalar(key) && typeof key.value === 'string') return { name: key.value, offset };
  ctx.errors.push(ctx.locator.problemAtOffset(offset, path, `keys must be plain strings, got ${describe(key, ctx)}`));
  return undefined;
}

function nodeStart(node: unknown): number | undefined {
  const range = (node as { range?: [number, number, number] } | null)?.range;
  return range ? range[0] : undefined;
}

/** Offset of a value; an empty value (`key:`) points at its key instead of the line end. */
function valueOffset(node: unknown, fallback: number | undefined): number {
  const range = (node as { range?: [number, number, number] } | null)?.range;
  if (isScalar(node) && node.value === null && range && range[0] === range[1]) return fallback ?? 0;
  return nodeStart(node) ?? fallback ?? 0;
}

function fail(ctx: DecodeContext, path: string, message: string): typeof INVALID {
  ctx.errors.push(ctx.locator.problem(path, message));
  return INVALID;
}

function abort(ctx: DecodeContext, path: string, message: string): typeof INVALID {
  ctx.aborted = true;
  return fail(ctx, path, message);
}
