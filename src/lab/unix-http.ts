// HTTP GET over a unix socket (the forwarder's way into the lab's node namespace).
import { request } from 'node:http';

/** The answer to one GET. */
export interface LabResponse {
  status: number;
  body: string;
}

/** GETs `path` through `socketPath`; rejects on a socket error or after `timeoutMs`. */
export function getViaSocket(socketPath: string, path: string, timeoutMs = 5000): Promise<LabResponse> {
  return new Promise((resolve, reject) => {
    const req = request({ socketPath, path, method: 'GET', agent: false, headers: { host: 'lab' }, timeout: timeoutMs }, (res) => {
      let body = '';
      res.setEncoding('utf8');
      res.on('data', (d: string) => (body += d));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body }));
      res.on('error', reject);
    });
    req.on('timeout', () => req.destroy(new Error(`GET ${path}: no answer in ${timeoutMs} ms`)));
    req.on('error', reject);
    req.end();
  });
}
