// Renders a registry in the Prometheus text format like `registry.metrics()`, byte for byte, but
// in slices that yield to the event loop: with 10,000 paths the exposition is ~340,000 lines and
// rendering it in one go would hold the scheduler's timer for most of a second per scrape.
import { setImmediate as yieldToLoop } from 'node:timers/promises';
import { Registry, type MetricObjectWithValues, type MetricValue } from 'prom-client';

/** Sample lines rendered between two yields. */
export const DEFAULT_VALUES_PER_SLICE = 1000;

type Renderable = { get(): Promise<MetricObjectWithValues<MetricValue<string>>> };
/** prom-client's per-metric formatter: public on the class, missing from its typings. */
type Formatter = { getMetricsAsString(metric: Renderable): Promise<string> };

/** The text of `registry.metrics()` (Prometheus format), rendered `valuesPerSlice` samples at a time. */
export async function renderMetricsSliced(registry: Registry, valuesPerSlice = DEFAULT_VALUES_PER_SLICE): Promise<string> {
  // Only the Prometheus text format is sliced; OpenMetrics renames counters and ends with # EOF.
  if (registry.contentType !== Registry.PROMETHEUS_CONTENT_TYPE) return registry.metrics();
  const formatter = registry as unknown as Formatter;
  const toString = (metric: Renderable) => formatter.getMetricsAsString(metric);
  const parts: string[] = [];
  for (const metric of registry.getMetricsAsArray() as unknown as Renderable[]) {
    const data = await metric.get();
    const values = data.values ?? [];
    const slices: string[] = [];
    for (let i = 0; i === 0 || i < values.length; i += valuesPerSlice) {
      const text = await toString({ get: async () => ({ ...data, values: values.slice(i, i + valuesPerSlice) }) });
      // Every slice repeats the # HELP and # TYPE lines; keep the first slice's only.
      slices.push(i === 0 ? text : text.slice(text.indexOf('\n', text.indexOf('\n') + 1) + 1));
      await yieldToLoop();
    }
    parts.push(slices.join('\n'));
  }
  return `${parts.join('\n\n')}\n`;
}
