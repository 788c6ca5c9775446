import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import type { CallRecord } from '../../../shared/call-record';
import { CallQuery } from '../../../shared/call-query';
import { queryCalls } from '../../../electron/gateway/log/query';
import {
  NO_FILTERS,
  hasFilters,
  matchesFilters,
  toCallQuery,
  type CallFilters,
} from '../../../renderer/src/lib/call-filters';
import { STATUS_FILTERS, statusLabel } from '../../../renderer/src/lib/call-status';
import { callRecord } from '../../helpers/call-record';

const call = (id: string, extra: Partial<CallRecord>): CallRecord => callRecord(id, extra);

const calls: CallRecord[] = [
  call('1', { arguments: { message: 'Hello World' } }),
  call('2', {
    status: 'denied',
    decision: 'deny',
    rule: 'tools.get-env',
    reason: 'no env from agents',
    tool: 'get-env',
    exposedName: 'ev__get-env',
  }),
  call('3', { status: 'rate_limited', tool: 'get-sum', exposedName: 'ev__get-sum', grant: 'cursor' }),
  call('4', {
    status: 'invalid_args',
    decision: 'deny',
    server: 'fs',
    tool: 'write_file',
    exposedName: 'fs__write_file',
  }),
  call('5', {
    status: 'pending',
    decision: 'approve',
    server: 'fs',
    tool: 'delete_file',
    exposedName: 'fs__delete_file',
    grant: 'cursor',
  }),
  call('6', { status: 'error', error: 'Upstream CRASHED', tool: 'get-sum', exposedName: 'ev__get-sum' }),
  call('7', { status: 'timed_out', decision: 'approve', arguments: { path: '/tmp/ünïcode' } }),
];

const f = (partial: Partial<CallFilters>): CallFilters => ({ ...NO_FILTERS, ...partial });
const ids = (filters: CallFilters) => calls.filter((c) => matchesFilters(c, filters)).map((c) => c.id);

describe('live-call filters', () => {
  it('filter by status groups, server, tool (original or exposed name), client and text', () => {
    expect(ids(NO_FILTERS)).toEqual(['1', '2', '3', '4', '5', '6', '7']);
    expect(ids(f({ status: 'denied' }))).toEqual(['2', '4']);
    expect(ids(f({ status: 'rate_limited' }))).toEqual(['3']);
    expect(ids(f({ server: 'fs' }))).toEqual(['4', '5']);
    expect(ids(f({ tool: 'get-sum' }))).toEqual(['3', '6']);
    expect(ids(f({ tool: 'ev__get-sum' }))).toEqual(['3', '6']);
    expect(ids(f({ grant: 'cursor' }))).toEqual(['3', '5']);
    expect(ids(f({ q: 'hello world' }))).toEqual(['1']);
    expect(ids(f({ q: 'crashed' }))).toEqual(['6']);
    expect(ids(f({ q: 'NO ENV' }))).toEqual(['2']);
    expect(ids(f({ q: 'ünïcode' }))).toEqual(['7']);
    expect(ids(f({ server: 'fs', status: 'pending' }))).toEqual(['5']);
    expect(ids(f({ server: '  ' }))).toHaveLength(7);
  });

  it('build a query the contract accepts', () => {
    expect(toCallQuery(NO_FILTERS, 200)).toEqual({ limit: 200 });
    const query = toCallQuery(f({ status: 'denied', server: ' fs ', q: 'x' }), 50, 'cursor|2026-11-24|3');
    expect(query).toEqual({
      limit: 50,
      status: 'denied,invalid_args',
      server: 'fs',
      q: 'x',
      before: 'cursor|2026-11-24|3',
    });
    for (const choice of STATUS_FILTERS)
      expect(CallQuery.safeParse(toCallQuery(f({ status: choice.value }), 10)).success).toBe(true);
    expect(hasFilters(NO_FILTERS)).toBe(false);
    expect(hasFilters(f({ q: 'x' }))).toBe(true);
  });

  // The first page comes from the gateway and live calls are checked here: both must agree, or rows would appear
  // under filters that the gateway would have left out.
  const logs = fs.mkdtempSync(path.join(os.tmpdir(), 'gatehouse-filters-'));
  afterAll(() => fs.rmSync(logs, { recursive: true, force: true }));
  it('agree with the gateway’s own query of the call log', async () => {
    fs.writeFileSync(
      path.join(logs, '2026-11-24.jsonl'),
      calls.map((c) => JSON.stringify(c)).join('\n') + '\n',
    );
    const cases: Partial<CallFilters>[] = [
      {},
      { status: 'denied' },
      { status: 'pending' },
      { server: 'fs' },
      { tool: 'ev__get-sum' },
      { tool: 'get-sum', grant: 'cursor' },
      { q: 'HELLO' },
      { q: 'crashed' },
      { q: 'tools.get' },
      { q: 'ünï' },
    ];
    for (const partial of cases) {
      const fromGateway = (await queryCalls(logs, toCallQuery(f(partial), 100))).calls
        .map((c) => c.id)
        .sort();
      expect(ids(f(partial)).sort(), JSON.stringify(partial)).toEqual(fromGateway);
    }
  });
});

describe('status words', () => {
  it('name every state with a word, telling allowed from approved and waiting from running', () => {
    expect(statusLabel({ status: 'ok', decision: 'allow' }).word).toBe('allowed');
    expect(statusLabel({ status: 'ok', decision: 'approve' }).word).toBe('approved');
    expect(statusLabel({ status: 'pending', decision: 'approve' }).word).toBe('waiting');
    expect(statusLabel({ status: 'pending', decision: 'allow' }).word).toBe('running');
    expect(statusLabel({ status: 'denied', decision: 'deny' }).word).toBe('denied');
    expect(statusLabel({ status: 'rate_limited', decision: 'allow' }).word).toBe('rate-limited');
    expect(statusLabel({ status: 'rejected', decision: 'approve' }).word).toBe('rejected');
    expect(statusLabel({ status: 'timed_out', decision: 'approve' }).word).toBe('timed out');
    expect(statusLabel({ status: 'error', decision: 'allow' }).word).toBe('error');
    expect(statusLabel({ status: 'invalid_args', decision: 'deny' }).word).toBe('bad arguments');
  });
});
