// `npm run generate:dashboard`: writes the dashboard JSON and its provisioning ConfigMap.
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { buildDashboard } from './dashboard.js';
import {
  DASHBOARD_CONFIGMAP_FILE, DASHBOARD_FILE, renderDashboardConfigMap, renderDashboardJson,
} from './render.js';

const dashboard = buildDashboard();
for (const [file, text] of [
  [DASHBOARD_FILE, renderDashboardJson(dashboard)],
  [DASHBOARD_CONFIGMAP_FILE, renderDashboardConfigMap(dashboard)],
] as const) {
  mkdirSync(dirname(file), { recursive: true });
  writeFileSync(file, text);
  process.stdout.write(`wrote ${file}\n`);
}
