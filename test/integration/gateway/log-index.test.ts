// The gateway keeps a search index of the closed day files, built in the background at start: a search that the
// index rules out for a day does not read that day, and what the index cannot rule out is still found.
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createClient } from '../../../shared/api/client.js';
import type { Gateway } from '../../../electron/gateway/app/gateway.js';
import { CallLog } from '../../../electron/gateway/log/call-log.js';
import type { RuntimeInfo } from '../../../electron/gateway/home/runtime.js';
import { callRecord } from '../../helpers/call-record.js';
import { makeHome, startGateway, type TestHome } from '../../helpers/gateway-fixture.js';

const YESTERDAY = new Date(Date.now() - 86_400_000).toISOString().slice(0, 10);

describe('the call log search index', () => {
  let home: TestHome;
  let gateway: Gateway;
  let runtime: RuntimeInfo;
  let lines: string[];

  beforeAll(async () => {
    home = makeHome();
    const log = new CallLog(path.join(home.home, 'logs'));
    for (let i = 0; i < 200; i++)
      log.append(
        callRecord(`y${i}`, {
          ts: `${YESTERDAY}T10:00:00.000Z`,
          arguments: { note: i === 7 ? 'Quarterly-Report' : 'routine' },
        }),
      );
    log.close();
    ({ gateway, runtime, diagnostics: lines } = await startGateway(home));
  });
  afterAll(async () => {
    await gateway?.stop();
    home?.cleanup();
  });

  it('is built in the background for each closed day file, and a search gives the same answers with it', async () => {
    const index = path.join(home.home, 'state', 'log-index', `${YESTERDAY}.tri`);
    for (let waited = 0; !fs.existsSync(index); waited += 50) {
      if (waited > 10_000) throw new Error(`no index after 10 s; diagnostics: ${lines.join(' | ')}`);
      await new Promise((r) => setTimeout(r, 50));
    }
    expect(fs.statSync(index).mode & 0o777).toBe(0o600);
    expect(lines.some((l) => /search index built for 1 day file/.test(l))).toBe(true);
    const api = createClient({ baseUrl: runtime.controlUrl, token: runtime.adminToken });
    expect((await api.listCalls({ q: 'quarterly-report' })).calls.map((c) => c.id)).toEqual(['y7']);
    expect((await api.listCalls({ q: 'no such words' })).calls).toEqual([]);
    expect((await api.exportCalls({ q: 'QUARTERLY' })).calls).toBe(1);
  });
});
