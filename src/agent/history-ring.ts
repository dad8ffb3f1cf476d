// A path's bounded history as three numbers per probe in one array of unboxed doubles (at,
// durationSeconds, result class index × 2 + up), a ring that grows up to its limit. An array of
// {at, result, up, durationSeconds} objects cost ~60 bytes per probe (the object and two boxed
// doubles) and a new object per probe: ~36 MB at 10,000 paths × 60 results. This is 24 bytes
// per probe and nothing allocated once the ring is full; entries are built only when read.
import { RESULT_CLASSES, resultClassIndex } from '../classify/result-class.js';
import type { HistoryEntry } from './path-status.js';

const FIELDS = 3;

export class HistoryRing {
  /** FIELDS numbers per entry; `start` is the oldest entry's index. */
  private data: number[] = [];
  private start = 0;
  private size = 0;

  constructor(private readonly limit: number) {}

  get length(): number {
    return this.size;
  }

  push(at: number, result: HistoryEntry['result'], up: boolean, durationSeconds: number): void {
    if (this.limit <= 0) return;
    const code = resultClassIndex(result) * 2 + (up ? 1 : 0);
    let slot: number;
    if (this.size < this.limit) {
      // Growing: the entries are in order from index 0 and the array holds exactly them.
      slot = this.size++;
      this.data.push(0.5, 0.5, 0.5); // doubles from the first entry on: the array stays unboxed
    } else {
      slot = this.start;
      this.start = (this.start + 1) % this.size;
    }
    const i = slot * FIELDS;
    this.data[i] = at;
    this.data[i + 1] = durationSeconds;
    this.data[i + 2] = code;
  }

  /** Oldest first. */
  entries(): HistoryEntry[] {
    const out: HistoryEntry[] = [];
    const capacity = this.capacity();
    for (let k = 0; k < this.size; k++) {
      const i = ((this.start + k) % capacity) * FIELDS;
      const code = this.data[i + 2]!;
      out.push({ at: this.data[i]!, result: RESULT_CLASSES[code >> 1]!, up: (code & 1) === 1, durationSeconds: this.data[i + 1]! });
    }
    return out;
  }

  private capacity(): number {
    return this.data.length / FIELDS;
  }
}
