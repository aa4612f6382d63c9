// Reading a request body with a size limit that ends in a 413 the client can read. Cutting the connection as soon as
// the limit is passed makes the client see a reset instead (it is still sending); so the rest is read and dropped,
// up to a hard cap past which the connection is cut after all.
import type { IncomingMessage } from 'node:http';

/** Past this many bytes beyond the limit the body is not drained any more: the connection is cut. */
const DRAIN_CAP = 64 * 1024 * 1024;

export class BodyTooLargeError extends Error {
  readonly status = 413;
  constructor(readonly limit: number) {
    super(`the request body is larger than ${limit} bytes, this endpoint's limit: send a smaller one`);
    this.name = 'BodyTooLargeError';
  }
}

/** The body, or BodyTooLargeError once it has been read past `limit` (the connection stays usable for the answer). */
export function readBody(req: IncomingMessage, limit: number): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const declared = Number(req.headers['content-length'] ?? NaN);
    const chunks: Buffer[] = [];
    let size = 0;
    let tooLarge = Number.isFinite(declared) && declared > limit;
    req.on('data', (c: Buffer) => {
      size += c.length;
      if (size > limit) tooLarge = true;
      if (!tooLarge) chunks.push(c);
      else if (size > limit + DRAIN_CAP) {
        req.destroy();
        reject(new BodyTooLargeError(limit));
      }
    });
    req.on('end', () => (tooLarge ? reject(new BodyTooLargeError(limit)) : resolve(Buffer.concat(chunks))));
    req.on('error', reject);
  });
}
