// The client's W3C trace context in a tools/call's `_meta` goes to the upstream unchanged, and its trace id is on the
// call's audit records; a call without one carries none.
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { connectClient, makeHome, openedGateways, startGateway } from '../../helpers/gateway-fixture.js';
import { OtlpReceiver, until } from './otlp-receiver.js';

const opened = openedGateways();
const otlp = new OtlpReceiver();
afterEach(async () => {
  await opened.closeAll();
  await otlp.stop();
});

const META_SERVER = path.join(import.meta.dirname, 'fixtures', 'meta-server.mjs');
const TRACE_ID = '4bf92f3577b34da6a3ce929d0e0e4736';
const TRACEPARENT = `00-${TRACE_ID}-00f067aa0ba902b7-01`;
const TRACESTATE = 'vendor=opaque-value';

describe('trace context', () => {
  it('is passed to the upstream unchanged and names the trace on the audit records', async () => {
    await otlp.start();
    const home = makeHome({
      servers: { meta: { command: process.execPath, args: [META_SERVER] } },
      policy: { version: '1', default: 'allow' },
      settings: { otlp: { endpoint: otlp.url } },
    });
    const { gateway, runtime } = await startGateway(home, ['meta']);
    const client = await connectClient(runtime.mcpUrl, home.tokens.test as string);
    opened.track(home, gateway, client);

    const traced = await client.callTool({
      name: 'meta__show_meta',
      arguments: {},
      _meta: { traceparent: TRACEPARENT, tracestate: TRACESTATE },
    });
    expect(JSON.parse((traced.content as { text: string }[])[0]!.text)).toEqual({
      traceparent: TRACEPARENT,
      tracestate: TRACESTATE,
    });
    const plain = await client.callTool({ name: 'meta__show_meta', arguments: {} });
    expect(JSON.parse((plain.content as { text: string }[])[0]!.text)).toEqual({});

    await until(() => otlp.records.length === 4, 10_000, `4 records (got ${otlp.records.length})`);
    const traceIds = otlp.records.map((r) => r.traceId);
    expect(traceIds.filter((id) => id === TRACE_ID)).toHaveLength(2);
    expect(traceIds.filter((id) => id === undefined)).toHaveLength(2);
  }, 30_000);
});
