// Prints a line whenever a path of a running lab changes state or result (the interactive lab's
// live view), read from the agents' /api/v1/paths like any client would.
import type { PathList } from '../server/api-schema.js';
import type { Lab } from './lab.js';
import { agentPods } from './scenarios.js';

/** Polls every `everyMs`; returns a function that stops the polling. */
export function watchPaths(lab: Lab, print: (line: string) => void, everyMs = 1000): () => void {
  const seen = new Map<string, string>();
  let stopped = false;
  const poll = async (): Promise<void> => {
    for (const pod of agentPods(lab.scenario)) {
      const res = await lab.get(pod.name, '/api/v1/paths').catch(() => undefined);
      if (!res || res.status !== 200 || stopped) continue;
      for (const p of (JSON.parse(res.body) as PathList).paths) {
        if (p.state === 'pending') continue;
        const now = `${p.state} (${p.result})`;
        const before = seen.get(p.name);
        if (before === now) continue;
        seen.set(p.name, now);
        const time = new Date().toISOString().slice(11, 19);
        print(`${time}  ${p.name.padEnd(34)} ${before ?? 'pending'} → ${now}${p.detail && p.state !== 'up' ? `  ${p.detail}` : ''}`);
      }
    }
  };
  const timer = setInterval(() => void poll(), everyMs);
  void poll();
  return () => {
    stopped = true;
    clearInterval(timer);
  };
}
