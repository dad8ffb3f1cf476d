// Real pathprobe agents for end-to-end tests: `node dist/cli/main.js run` on a catalog, listening
// on an ephemeral loopback port that is read back from the agent's JSON log.
import { MAIN, requireBuiltMain } from '../run-main.js';
import { until } from '../until.js';
import { startService, type Service } from './service.js';

export { MAIN };

/** A running agent and the host:port it serves metrics on. */
export interface AgentProcess {
  service: Service;
  address: string;
}

/** Starts one agent on `catalog`; resolves once it logged its listening URL. */
export async function startAgent(name: string, catalog: string): Promise<AgentProcess> {
  requireBuiltMain();
  const service = startService(name, process.execPath, [MAIN, 'run', '--catalog', catalog, '--listen', '127.0.0.1:0']);
  try {
    const address = await until(`${name} to log its URL`, () => {
      if (service.child.exitCode !== null) throw new Error(`${name} exited:\n${service.output()}`);
      return /"url":"http:\/\/(127\.0\.0\.1:\d+)\/"/.exec(service.output())?.[1];
    }, 15_000);
    return { service, address };
  } catch (e) {
    await service.stop();
    throw e;
  }
}
