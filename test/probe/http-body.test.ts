import { Readable } from 'node:stream';
import t from 'tap';
import { readBoundedBody } from '../../src/probe/http-body.js';

t.test('reads small bodies whole and stops big ones at the limit', async (t) => {
  const small = await readBoundedBody(Readable.from([Buffer.from('ab'), Buffer.from('cd')]), 10);
  t.same(small, { bytes: Buffer.from('abcd'), truncated: false });
  let produced = 0;
  const endless = new Readable({
    read() {
      produced += 1000;
      this.push(Buffer.alloc(1000, 'x'));
    },
  });
  const big = await readBoundedBody(endless, 2500);
  t.equal(big.bytes.length, 2500);
  t.equal(big.truncated, true);
  t.ok(endless.destroyed, 'the stream is destroyed');
  t.ok(produced < 100_000, `stopped pulling after ${produced} bytes`);
  const zero = await readBoundedBody(Readable.from([Buffer.from('a')]), 0);
  t.same(zero, { bytes: Buffer.alloc(0), truncated: true });
});
