// Reads a response body up to a byte limit, then stops (destroying the stream) — never buffers
// more than the limit, whatever the server sends. No decompression happens here or in undici's
// request(); the http check sends no Accept-Encoding.
import type { Readable } from 'node:stream';

/** The bytes read (at most the limit); `truncated` when reading stopped at the limit. */
export interface BoundedBody {
  bytes: Buffer;
  truncated: boolean;
}

/** Reads at most `maxBytes` of `body`; stops and destroys the stream once the limit is reached. */
export async function readBoundedBody(body: Readable, maxBytes: number): Promise<BoundedBody> {
  const chunks: Buffer[] = [];
  let length = 0;
  let truncated = false;
  for await (const chunk of body) {
    const buf = Buffer.isBuffer(chunk) ? chunk : Buffer.from(chunk as Uint8Array);
    const room = maxBytes - length;
    if (buf.length >= room) {
      // At the limit we stop: whether more would follow is not worth waiting for.
      chunks.push(buf.subarray(0, room));
      length += room;
      truncated = true;
      break;
    }
    chunks.push(buf);
    length += buf.length;
  }
  // Destroying an unfinished body makes undici emit an abort error nobody needs.
  if (truncated) body.on('error', () => {}).destroy();
  return { bytes: Buffer.concat(chunks, length), truncated };
}
