// The upstream's stdout cut into messages: whole lines only, CRLF too, the size limit, and the schema's errors.
import { describe, expect, it } from 'vitest';
import { LineBuffer } from '../../../electron/gateway/upstream/line-buffer.js';

describe('LineBuffer', () => {
  it('gives one message per complete line, keeping a partial line for the next chunk', () => {
    const b = new LineBuffer();
    b.append(Buffer.from('{"jsonrpc":"2.0","id":1,"result":{}}\r\n{"jsonrpc":"2.0","me'));
    expect(b.readMessage()).toEqual({ jsonrpc: '2.0', id: 1, result: {} });
    expect(b.readMessage()).toBeNull();
    b.append(Buffer.from('thod":"notifications/initialized"}\n'));
    expect(b.readMessage()).toEqual({ jsonrpc: '2.0', method: 'notifications/initialized' });
    expect(b.readMessage()).toBeNull();
  });

  it('refuses a line that is not JSON, or not a JSON-RPC message, and goes on with the next', () => {
    const b = new LineBuffer();
    b.append(
      Buffer.from(
        'not json\n{"jsonrpc":"2.0","id":1.5,"method":"x"}\n{"jsonrpc":"2.0","id":2,"result":{}}\n',
      ),
    );
    expect(() => b.readMessage()).toThrow(SyntaxError);
    expect(() => b.readMessage()).toThrow(/id/);
    expect(b.readMessage()).toEqual({ jsonrpc: '2.0', id: 2, result: {} });
  });

  it('forgets everything and throws when the unread part exceeds its limit', () => {
    const b = new LineBuffer(16);
    b.append(Buffer.from('{"jsonrpc":'));
    expect(() => b.append(Buffer.from('"2.0","id":1}'))).toThrow(/exceeded maximum size of 16 bytes/);
    b.append(Buffer.from('{"a":1}\n'));
    expect(() => b.readMessage()).toThrow();
  });
});
