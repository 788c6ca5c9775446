// An incremental parser of Server-Sent Events (the WHATWG event-stream format), fed with decoded text chunks:
// the dashboard reads GET /api/events with fetch streaming so its bearer token never goes into a URL.
export interface SseMessage {
  id?: string;
  event: string;
  data: string;
}

export interface SseParser {
  /** Feeds text; returns the messages completed by it. */
  push(chunk: string): SseMessage[];
  /** The last `id:` seen (for Last-Event-ID on reconnect). */
  readonly lastEventId: string | undefined;
  /** The `retry:` the server asked for, in ms. */
  readonly retryMs: number | undefined;
}

export function createSseParser(): SseParser {
  let buffer = '';
  let data: string[] = [];
  let event = '';
  let id: string | undefined;
  let lastEventId: string | undefined;
  let retryMs: number | undefined;

  const line = (text: string, out: SseMessage[]) => {
    if (text === '') {
      if (data.length > 0) {
        if (id !== undefined) lastEventId = id;
        out.push({
          ...(lastEventId !== undefined ? { id: lastEventId } : {}),
          event: event || 'message',
          data: data.join('\n'),
        });
      }
      data = [];
      event = '';
      return;
    }
    if (text.startsWith(':')) return;
    const colon = text.indexOf(':');
    const field = colon < 0 ? text : text.slice(0, colon);
    let value = colon < 0 ? '' : text.slice(colon + 1);
    if (value.startsWith(' ')) value = value.slice(1);
    if (field === 'data') data.push(value);
    else if (field === 'event') event = value;
    else if (field === 'id' && !value.includes('\0')) id = value;
    else if (field === 'retry' && /^\d+$/.test(value)) retryMs = Number(value);
  };

  return {
    push(chunk) {
      buffer += chunk;
      const out: SseMessage[] = [];
      let start = 0;
      for (let i = 0; i < buffer.length; i++) {
        const c = buffer[i];
        if (c !== '\n' && c !== '\r') continue;
        // A \r at the very end may be the first half of \r\n: wait for the next chunk.
        if (c === '\r' && i === buffer.length - 1) break;
        line(buffer.slice(start, i), out);
        if (c === '\r' && buffer[i + 1] === '\n') i++;
        start = i + 1;
      }
      buffer = buffer.slice(start);
      return out;
    },
    get lastEventId() {
      return lastEventId;
    },
    get retryMs() {
      return retryMs;
    },
  };
}
