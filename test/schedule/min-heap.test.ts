import t from 'tap';
import { MinHeap } from '../../src/schedule/min-heap.js';

/** A small deterministic generator (mulberry32) so a failure can be replayed. */
function random(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let x = Math.imul(a ^ (a >>> 15), 1 | a);
    x = (x + Math.imul(x ^ (x >>> 7), 61 | x)) ^ x;
    return ((x ^ (x >>> 14)) >>> 0) / 0x1_0000_0000;
  };
}

t.test('pops in key order, ties in insertion order, against a sorted reference', async (t) => {
  const next = random(7);
  const heap = new MinHeap<number>();
  const reference: { key: number; id: number }[] = [];
  let id = 0;
  const popped: number[] = [];
  const expected: number[] = [];
  // Interleaved pushes and pops, with many equal keys (whole milliseconds, as timers are).
  for (let step = 0; step < 5000; step++) {
    if (next() < 0.6 || reference.length === 0) {
      const key = Math.floor(next() * 200);
      heap.push(key, id);
      reference.push({ key, id });
      id++;
    } else {
      reference.sort((a, b) => a.key - b.key || a.id - b.id);
      const head = reference.shift()!;
      expected.push(head.id);
      if (heap.peekKey() !== head.key || heap.peek() !== head.id) t.fail(`peek ${heap.peekKey()}/${heap.peek()} vs ${head.key}/${head.id}`);
      popped.push(heap.pop()!);
    }
    if (heap.size !== reference.length) t.fail(`size ${heap.size} vs ${reference.length} at step ${step}`);
  }
  reference.sort((a, b) => a.key - b.key || a.id - b.id);
  while (heap.size > 0) popped.push(heap.pop()!);
  expected.push(...reference.map((r) => r.id));
  t.same(popped, expected);
  t.equal(heap.pop(), undefined, 'empty heap pops undefined');
  t.equal(heap.peekKey(), undefined);
  t.equal(heap.peek(), undefined);
});

t.test('a heap emptied and filled again keeps working', async (t) => {
  const heap = new MinHeap<string>();
  heap.push(5, 'a');
  t.equal(heap.pop(), 'a');
  t.equal(heap.size, 0);
  heap.push(3, 'b');
  heap.push(1, 'c');
  heap.push(3, 'd');
  heap.push(2, 'e');
  t.same([heap.pop(), heap.pop(), heap.pop(), heap.pop()], ['c', 'e', 'b', 'd']);
});
