// `npm run schema`: writes probes/catalog.schema.json from the code's schema (schema.ts).
// A test fails while the committed file differs from what this writes.
import { writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { renderCatalogJsonSchema } from './schema.js';

const target = fileURLToPath(new URL('../../probes/catalog.schema.json', import.meta.url));
writeFileSync(target, renderCatalogJsonSchema());
process.stdout.write(`wrote ${target}\n`);
