// `npm run generate:alerts`: writes the rules file and the PrometheusRule from src/alerts/rules.ts.
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { PROMETHEUS_RULE_FILE, RULES_FILE, renderPrometheusRule, renderRulesFile } from './render.js';
import { ruleGroups } from './rules.js';

const groups = ruleGroups();
for (const [file, text] of [
  [RULES_FILE, renderRulesFile(groups)],
  [PROMETHEUS_RULE_FILE, renderPrometheusRule(groups)],
] as const) {
  mkdirSync(dirname(file), { recursive: true });
  writeFileSync(file, text);
  process.stdout.write(`wrote ${file}\n`);
}
