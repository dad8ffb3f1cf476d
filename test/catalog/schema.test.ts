// probes/catalog.schema.json is generated from the code's schema: it must be current, and it must
// agree with the strict decoder on what is structurally valid.
import { readdirSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { Ajv } from 'ajv';
import t from 'tap';
import { parse } from 'yaml';
import { catalogJsonSchema, renderCatalogJsonSchema } from '../../src/catalog/schema.js';
import { fixturePath, loadFixture } from './fixtures.js';

const schemaFile = fileURLToPath(new URL('../../probes/catalog.schema.json', import.meta.url));
const examplesDir = fileURLToPath(new URL('../../probes/examples/', import.meta.url));

t.test('the committed probes/catalog.schema.json is current (run `npm run schema`)', async (t) => {
  t.equal(readFileSync(schemaFile, 'utf8'), renderCatalogJsonSchema());
});

const ajv = new Ajv({ allErrors: true, strict: true });
ajv.addKeyword({ keyword: 'patternErrorMessage', schemaType: 'string' });
const validate = ajv.compile(catalogJsonSchema());

t.test('the JSON Schema accepts every example and good fixture', async (t) => {
  const files = [
    ...readdirSync(examplesDir).filter((f) => f.endsWith('.yaml')).map((f) => `${examplesDir}${f}`),
    ...readdirSync(fixturePath('good')).map((f) => fixturePath(`good/${f}`)),
  ];
  t.ok(files.length >= 3);
  for (const file of files) t.ok(validate(parse(readFileSync(file, 'utf8'))), file, { errors: validate.errors });
});

t.test('the decoder accepts every good fixture without warnings', async (t) => {
  for (const f of readdirSync(fixturePath('good'))) {
    const r = loadFixture(`good/${f}`);
    t.same([...r.errors, ...r.warnings], [], f);
    t.ok(r.catalog, f);
  }
});

t.test('the JSON Schema rejects what the decoder rejects structurally', async (t) => {
  const structural = [
    'unknown-key.yaml', 'missing-key.yaml', 'wrong-check.yaml', 'expect-status-out-of-range.yaml', 'wrong-api-version.yaml',
    'path-name-invalid.yaml', 'path-name-too-long.yaml', 'namespace-invalid.yaml', 'fanout-duplicate-namespace.yaml',
    'label-value-not-string.yaml', 'source-name-invalid.yaml', 'duration-not-a-duration.yaml',
  ];
  for (const name of structural) {
    t.ok(loadFixture(`bad/${name}`).errors.length > 0, `decoder rejects ${name}`);
    t.notOk(validate(parse(readFileSync(fixturePath(`bad/${name}`), 'utf8'))), `schema rejects ${name}`);
  }
});
