// Request bodies being read at once are bounded in memory together, not only one by one: many concurrent large
// bodies get 503 (retry) past MAX_BUFFERED_BYTES, and every refused, finished or abandoned body gives its bytes back.
import { PassThrough } from 'node:stream';
import type { IncomingMessage } from 'node:http';
import { describe, expect, it } from 'vitest';
import {
  bufferedBodyBytes,
  MAX_BUFFERED_BYTES,
  readJsonBody,
} from '../../../electron/gateway/front/read-body.js';

const LIMIT = 4 * 1024 * 1024;
const request = () => new PassThrough() as unknown as IncomingMessage & PassThrough;

describe('readJsonBody', () => {
  it('refuses the body that would go over the budget of all bodies, and gives bytes back when bodies end', async () => {
    const count = MAX_BUFFERED_BYTES / LIMIT;
    const chunk = Buffer.alloc(LIMIT - 16, 0x20);
    const open = Array.from({ length: count }, () => request());
    const reads = open.map((req) => readJsonBody(req, LIMIT));
    for (const req of open) req.write(chunk);
    await new Promise((r) => setImmediate(r));
    expect(bufferedBodyBytes()).toBe(count * chunk.length);

    const extra = request();
    const refused = readJsonBody(extra, LIMIT);
    extra.write(chunk);
    expect(await refused).toMatchObject({ ok: false, status: 503 });
    expect(bufferedBodyBytes()).toBe(count * chunk.length);

    // One ends (a valid JSON body), one is abandoned: both give their bytes back.
    open[0]!.end('1');
    expect(await reads[0]).toEqual({ ok: true, body: 1 });
    open[1]!.destroy();
    expect(await reads[1]).toMatchObject({ ok: false, status: 400 });
    expect(bufferedBodyBytes()).toBe((count - 2) * chunk.length);

    const next = request();
    const accepted = readJsonBody(next, LIMIT);
    next.end('{"ok":true}');
    expect(await accepted).toEqual({ ok: true, body: { ok: true } });
    for (const req of open.slice(2)) req.end('2');
    await Promise.all(reads);
    expect(bufferedBodyBytes()).toBe(0);
  });
});
