// The agent's registry: prom-client's for the agent-wide metrics (scheduler, catalog, probe
// duration histogram, process), plus the per-path families kept in a PathTable (path-table.ts).
// Prometheus text format only: the per-path text is written in it.
import { Registry } from 'prom-client';
import { PathTable } from './path-table.js';

export class AgentRegistry extends Registry<typeof Registry.PROMETHEUS_CONTENT_TYPE> {
  /** The per-path series (~35 per path), written in place and rendered apart from prom-client. */
  readonly paths = new PathTable();

  /** The whole exposition as text, rendered on this thread. */
  override async metrics(): Promise<string> {
    return `${await super.metrics()}\n${this.paths.text()}\n`;
  }

  /**
   * The whole exposition as bytes, the per-path part rendered by the table's worker when it runs
   * (what /metrics serves: the agent's thread only renders prom-client's few dozen series).
   */
  async exposition(): Promise<Buffer> {
    return this.paths.bytes(`${await super.metrics()}\n`, '\n');
  }

  /** Changes when the set of paths or their labels change: an exposition made before is out of date. */
  get version(): number {
    return this.paths.version;
  }

  override setContentType(type: typeof Registry.PROMETHEUS_CONTENT_TYPE): void {
    if (type !== Registry.PROMETHEUS_CONTENT_TYPE) throw new TypeError('the agent registry writes the Prometheus text format only');
    super.setContentType(type);
  }
}
