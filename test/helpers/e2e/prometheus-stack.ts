// Debian's real Prometheus and Alertmanager on loopback for end-to-end tests: configs with 1s
// scrape and evaluation intervals, Alertmanager routing everything to one webhook with small
// group timers, clustering off, storage in a temporary directory.
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { stringify } from 'yaml';
import { freePort } from '../free-port.js';
import { until } from '../until.js';
import { startService, type Service } from './service.js';

export const PROMETHEUS = '/usr/bin/prometheus';
export const ALERTMANAGER = '/usr/bin/prometheus-alertmanager';

/** What the stack scrapes and where it sends notifications. */
export interface StackOptions {
  dir: string;
  /** Rules file text (a rendered pathprobe rules file). */
  rules: string;
  /** host:port of each agent replica. */
  agents: string[];
  /** The `job` label of the agents' scrape job (the rules expect pathprobe-agent). */
  job: string;
  /** Extra target labels, e.g. {cluster: 'e2e'}. */
  targetLabels: Record<string, string>;
  webhookUrl: string;
}

/** The running stack. */
export interface Stack {
  prometheusUrl: string;
  services: Service[];
  stop(): Promise<void>;
}

async function waitReady(service: Service, url: string, timeoutMs: number): Promise<void> {
  await until(`${service.name} ready at ${url}`, async () => {
    if (service.child.exitCode !== null) throw new Error(`${service.name} exited:\n${service.output()}`);
    try {
      return (await fetch(url, { signal: AbortSignal.timeout(1000) })).ok;
    } catch {
      return false;
    }
  }, timeoutMs, 100);
}

/** Writes the configs and starts Alertmanager, then Prometheus; resolves when both are ready. */
export async function startStack(o: StackOptions): Promise<Stack> {
  const [promPort, amPort] = [await freePort(), await freePort()];
  await writeFile(join(o.dir, 'rules.yaml'), o.rules);
  await writeFile(join(o.dir, 'alertmanager.yml'), stringify({
    route: {
      receiver: 'test', group_by: ['alertname', 'cluster', 'path'],
      group_wait: '1s', group_interval: '1s', repeat_interval: '1h',
    },
    receivers: [{ name: 'test', webhook_configs: [{ url: o.webhookUrl, send_resolved: true }] }],
  }));
  await writeFile(join(o.dir, 'prometheus.yml'), stringify({
    global: { scrape_interval: '1s', scrape_timeout: '1s', evaluation_interval: '1s' },
    rule_files: [join(o.dir, 'rules.yaml')],
    alerting: { alertmanagers: [{ static_configs: [{ targets: [`127.0.0.1:${amPort}`] }] }] },
    scrape_configs: [{ job_name: o.job, static_configs: [{ targets: o.agents, labels: o.targetLabels }] }],
  }));
  const services: Service[] = [];
  const stop = async (): Promise<void> => {
    await Promise.all(services.map((s) => s.stop()));
  };
  try {
    const am = startService('alertmanager', ALERTMANAGER, [
      `--config.file=${join(o.dir, 'alertmanager.yml')}`, `--storage.path=${join(o.dir, 'am-data')}`,
      `--web.listen-address=127.0.0.1:${amPort}`, '--cluster.listen-address=',
    ]);
    services.push(am);
    const prom = startService('prometheus', PROMETHEUS, [
      `--config.file=${join(o.dir, 'prometheus.yml')}`, `--storage.tsdb.path=${join(o.dir, 'prom-data')}`,
      `--web.listen-address=127.0.0.1:${promPort}`,
    ]);
    services.push(prom);
    await waitReady(am, `http://127.0.0.1:${amPort}/-/ready`, 20_000);
    await waitReady(prom, `http://127.0.0.1:${promPort}/-/ready`, 20_000);
  } catch (e) {
    await stop();
    throw e;
  }
  return {
    prometheusUrl: `http://127.0.0.1:${promPort}`, services, stop,
  };
}

/** One series of an instant or range query. */
export interface Series {
  metric: Record<string, string>;
  value?: [number, string];
  values?: [number, string][];
}

/** A Prometheus API answer: the data, or the error Prometheus gave. */
export type ApiAnswer<T> = { ok: true; data: T } | { ok: false; error: string };

/** GET a Prometheus HTTP API endpoint (bounded by a 10 s timeout). */
export async function promApi<T>(base: string, path: string, params: Record<string, string | string[]>): Promise<ApiAnswer<T>> {
  const query = new URLSearchParams();
  for (const [k, v] of Object.entries(params)) for (const one of [v].flat()) query.append(k, one);
  const res = await fetch(`${base}${path}?${query}`, { signal: AbortSignal.timeout(10_000) });
  const body = await res.json() as { status: string; data?: T; error?: string; errorType?: string };
  if (body.status === 'success' && body.data !== undefined) return { ok: true, data: body.data };
  return { ok: false, error: `${res.status} ${body.errorType ?? ''}: ${body.error ?? 'no data'}` };
}

/** An instant query's vector (throws on an API error). */
export async function instant(base: string, expr: string): Promise<Series[]> {
  const answer = await promApi<{ resultType: string; result: Series[] }>(base, '/api/v1/query', { query: expr });
  if (!answer.ok) throw new Error(`${expr}: ${answer.error}`);
  return answer.data.result;
}
