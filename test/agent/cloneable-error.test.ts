import t from 'tap';
import { MessageChannel } from 'node:worker_threads';
import { cloneable } from '../../src/agent/cloneable-error.js';

/** Sends `value` through a real MessagePort and resolves with what arrives. */
function roundTrip(value: unknown): Promise<unknown> {
  const { port1, port2 } = new MessageChannel();
  return new Promise((resolve) => {
    port2.once('message', (m) => { port1.close(); port2.close(); resolve(m); });
    port1.postMessage(value);
  });
}

t.test('errors whose cause holds a function still cross a MessagePort, with their text', async (t) => {
  const original = new TypeError('sink failed', { cause: { retry: () => 1 } });
  t.throws(() => structuredClone(original), 'the original cannot be cloned');
  const sent = (await roundTrip(cloneable(original))) as Error;
  t.type(sent, Error);
  t.equal(sent.name, 'TypeError');
  t.equal(sent.message, 'sink failed');
  t.equal(sent.stack, original.stack, 'the stack is kept');
  t.equal(sent.cause, '[object Object]', 'the cause as text');
});

t.test('cloneable values pass unchanged; the rest become text', async (t) => {
  const plain = new RangeError('x', { cause: 'why' });
  t.equal(cloneable(plain), plain, 'a cloneable Error is itself');
  t.equal(((await roundTrip(cloneable(plain))) as Error).cause, 'why');
  t.same(cloneable({ a: 1 }), { a: 1 });
  const fn = () => 1;
  t.equal(cloneable(fn), String(fn));
  t.equal(cloneable(Symbol('s')), 'Symbol(s)');
});
