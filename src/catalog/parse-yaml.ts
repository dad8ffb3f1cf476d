// Turns one catalog file's text into a decoded raw catalog: YAML parsing (one document per file,
// size bound), then strict decoding against the schema. No semantics here.
import { Composer, Lexer, LineCounter, Parser, isMap, type Document } from 'yaml';
import type { CST } from 'yaml';
import { decodeNode, INVALID, type DecodeContext } from './decode.js';
import { clip } from './k8s-names.js';
import { Locator } from './locate.js';
import { CatalogSchema, LIMITS, type RawCatalog } from './schema.js';
import type { CatalogProblem } from './types.js';

/** One file, structurally valid or not. */
export interface ParsedFile {
  file: string;
  locator: Locator;
  /** Present when the file decoded without structural errors. */
  raw?: RawCatalog;
  errors: CatalogProblem[];
  warnings: CatalogProblem[];
}

/**
 * Parses and strictly decodes one catalog file. A file holds exactly one YAML document;
 * a second document is an error (split catalogs across files instead).
 */
export function parseCatalogFile(text: string, file: string): ParsedFile {
  const lines = new LineCounter();
  const locator = new Locator(file, lines);
  const result: ParsedFile = { file, locator, errors: [], warnings: [] };
  if (Buffer.byteLength(text, 'utf8') > LIMITS.maxFileBytes) return tooLargeFile(file);
  const tokens = boundedTokens(text, lines);
  if ('tooDeepAt' in tokens) {
    const message = `YAML is nested more than ${LIMITS.maxYamlDepth} levels deep; a catalog needs far fewer`;
    result.errors.push(locator.problemAtOffset(tokens.tooDeepAt, '', message));
    return result;
  }
  const composer = new Composer({
    // Duplicate keys are found by the decoder, which knows their YAML path.
    uniqueKeys: false,
    prettyErrors: false,
    strict: true,
    merge: false,
    version: '1.2',
  });
  const list: Document[] = Array.from(composer.compose(tokens.list)) as Document[];
  if (list.length === 0) {
    result.errors.push(locator.problemAtOffset(0, '', 'file holds no YAML document; expected a PathCatalog mapping'));
    return result;
  }
  for (const doc of list) {
    for (const e of doc.errors) result.errors.push(locator.problemAtOffset(e.pos[0], '', yamlMessage(e.code, e.message)));
    for (const w of doc.warnings) result.warnings.push(locator.problemAtOffset(w.pos[0], '', yamlMessage(w.code, w.message)));
  }
  const second = list[1];
  if (second) {
    const at = second.range?.[0] ?? 0;
    result.errors.push(
      locator.problemAtOffset(at, '', 'more than one YAML document in one file; put each catalog in its own file'),
    );
  }
  if (result.errors.length > 0) return result;
  const doc = list[0] as Document;
  const root = doc.contents;
  if (!isMap(root)) {
    const offset = root?.range?.[0] ?? 0;
    result.errors.push(locator.problemAtOffset(offset, '', 'the document must be a mapping with apiVersion, kind and paths'));
    return result;
  }
  locator.record('', '', root.range?.[0] ?? 0);
  const ctx: DecodeContext = { doc, locator, errors: result.errors, aliases: 0, nodes: 0, aborted: false };
  const value = decodeNode(root, CatalogSchema, '', ctx);
  if (value !== INVALID && result.errors.length === 0) result.raw = value as RawCatalog;
  return result;
}

/**
 * The file's CST tokens, or where it first nests deeper than LIMITS.maxYamlDepth. The yaml
 * package composes recursively, so deep nesting (`[[[[...`) would otherwise cost seconds and end
 * in a stack overflow; its CST parser is iterative, so the depth is measured there first.
 */
function boundedTokens(text: string, lines: LineCounter): { list: CST.Token[] } | { tooDeepAt: number } {
  const parser = new Parser(lines.addNewLine);
  const list: CST.Token[] = [];
  lines.addNewLine(0);
  for (const lexeme of new Lexer().lex(text)) {
    for (const token of parser.next(lexeme)) list.push(token);
    if (parser.stack.length > LIMITS.maxYamlDepth) return { tooDeepAt: parser.offset };
  }
  for (const token of parser.end()) list.push(token);
  return { list };
}

/** The result for a file over LIMITS.maxFileBytes (not parsed at all). */
export function tooLargeFile(file: string): ParsedFile {
  const locator = new Locator(file, new LineCounter());
  const message = `file is larger than ${LIMITS.maxFileBytes} bytes`;
  return { file, locator, errors: [{ file, line: 1, col: 1, yamlPath: '', message }], warnings: [] };
}

function yamlMessage(code: string, message: string): string {
  // The yaml package appends " at line X, column Y" to some messages; the location is ours to give.
  const bare = message.replace(/ at line \d+, column \d+:?[\s\S]*$/, '').trim();
  // Some messages quote the offending token whole ("Unexpected scalar token ...: <1 MB>").
  return `YAML: ${clip(bare, 200)}`;
}
