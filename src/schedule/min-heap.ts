// A binary min-heap keyed by a number: the scheduler's single timer wheel. Keys, insertion
// numbers and values live in three parallel arrays, so a push allocates nothing per item (an
// object per entry was one more young allocation per scheduled event, two per probe run).

/** Min-heap of values ordered by a numeric key; ties keep insertion order. */
export class MinHeap<T> {
  private readonly keys: number[] = [];
  private readonly seqs: number[] = [];
  private readonly values: T[] = [];
  private seq = 0;

  get size(): number {
    return this.values.length;
  }

  push(key: number, value: T): void {
    const keys = this.keys;
    const seqs = this.seqs;
    const values = this.values;
    const seq = this.seq++;
    let i = values.length;
    keys.push(key);
    seqs.push(seq);
    values.push(value);
    // Sift up: move parents down until the new item's place is found, then write it once.
    while (i > 0) {
      const parent = (i - 1) >> 1;
      const pk = keys[parent]!;
      if (pk < key || (pk === key && seqs[parent]! < seq)) break;
      keys[i] = pk;
      seqs[i] = seqs[parent]!;
      values[i] = values[parent]!;
      i = parent;
    }
    keys[i] = key;
    seqs[i] = seq;
    values[i] = value;
  }

  /** Smallest key, or undefined when empty. */
  peekKey(): number | undefined {
    return this.values.length > 0 ? this.keys[0] : undefined;
  }

  /** The value with the smallest key, without removing it. */
  peek(): T | undefined {
    return this.values.length > 0 ? this.values[0] : undefined;
  }

  pop(): T | undefined {
    const keys = this.keys;
    const seqs = this.seqs;
    const values = this.values;
    const n = values.length;
    if (n === 0) return undefined;
    const top = values[0]!;
    const key = keys.pop()!;
    const seq = seqs.pop()!;
    const value = values.pop()!;
    const size = n - 1;
    if (size === 0) return top;
    // Sift the former last item down from the root.
    let i = 0;
    for (;;) {
      const left = 2 * i + 1;
      if (left >= size) break;
      const right = left + 1;
      let child = left;
      if (right < size && (keys[right]! < keys[left]! || (keys[right] === keys[left] && seqs[right]! < seqs[left]!))) child = right;
      const ck = keys[child]!;
      if (key < ck || (key === ck && seq < seqs[child]!)) break;
      keys[i] = ck;
      seqs[i] = seqs[child]!;
      values[i] = values[child]!;
      i = child;
    }
    keys[i] = key;
    seqs[i] = seq;
    values[i] = value;
    return top;
  }
}
