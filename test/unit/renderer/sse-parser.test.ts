import { describe, expect, it } from 'vitest';
import { createSseParser } from '../../../renderer/src/api/sse-parser';

describe('SSE parser', () => {
  it('joins data lines, names events, ignores comments, keeps the last id and the retry delay', () => {
    const parser = createSseParser();
    const out = parser.push(
      ': hello\nretry: 1500\nid: 7\nevent: call\ndata: {"a":\ndata: 1}\n\ndata: plain\n\n',
    );
    expect(out).toEqual([
      { id: '7', event: 'call', data: '{"a":\n1}' },
      { id: '7', event: 'message', data: 'plain' },
    ]);
    expect(parser.lastEventId).toBe('7');
    expect(parser.retryMs).toBe(1500);
  });

  it('handles any chunking, including CRLF split between chunks', () => {
    const text =
      'id: 1\r\nevent: tools\r\ndata: {"count":1}\r\n\r\nid: 2\revent: tools\rdata: x\r\r: keep-alive\n';
    for (let cut = 1; cut < text.length; cut++) {
      const parser = createSseParser();
      const out = [...parser.push(text.slice(0, cut)), ...parser.push(text.slice(cut))];
      expect(out, `cut at ${cut}`).toEqual([
        { id: '1', event: 'tools', data: '{"count":1}' },
        { id: '2', event: 'tools', data: 'x' },
      ]);
    }
  });

  it('does not emit an event without data, nor one not yet terminated', () => {
    const parser = createSseParser();
    expect(parser.push('event: x\n\n')).toEqual([]);
    expect(parser.push('data: y\n')).toEqual([]);
    expect(parser.push('\n')).toEqual([{ event: 'message', data: 'y' }]);
  });
});
