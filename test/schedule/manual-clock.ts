// A hand-driven Clock for tests: time moves only through advance(), which fires due timers in
// order and lets promise callbacks run between them.
import { setImmediate as flushIo } from 'node:timers/promises';
import type { Clock, TimerHandle } from '../../src/schedule/clock.js';

interface Pending {
  id: number;
  at: number;
  callback: () => void;
}

export class ManualClock implements Clock {
  private time: number;
  private nextId = 1;
  private pending: Pending[] = [];

  constructor(start = 1_000_000) {
    this.time = start;
  }

  now(): number {
    return this.time;
  }

  setTimer(callback: () => void, delayMs: number): TimerHandle {
    const id = this.nextId++;
    this.pending.push({ id, at: this.time + Math.max(0, delayMs), callback });
    return id as unknown as TimerHandle;
  }

  clearTimer(handle: TimerHandle): void {
    this.pending = this.pending.filter((p) => p.id !== (handle as unknown as number));
  }

  /** Timer callbacks fired so far. */
  fired = 0;

  get timerCount(): number {
    return this.pending.length;
  }

  /** Moves time forward by `ms` without firing anything (an event loop blocked); advance() then fires the overdue timers. */
  stall(ms: number): void {
    this.time += ms;
  }

  /** Moves time forward by `ms`, firing every timer due on the way at its own time. */
  async advance(ms: number): Promise<void> {
    const target = this.time + ms;
    await flushIo();
    for (let guard = 0; guard < 1_000_000; guard++) {
      this.pending.sort((a, b) => a.at - b.at || a.id - b.id);
      const first = this.pending[0];
      if (!first || first.at > target) break;
      this.pending.shift();
      this.time = Math.max(this.time, first.at);
      this.fired++;
      first.callback();
      await flushIo();
    }
    this.time = target;
    await flushIo();
  }
}
