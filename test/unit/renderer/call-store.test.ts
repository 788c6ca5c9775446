import { describe, expect, it } from 'vitest';
import type { CallRecord } from '../../../shared/call-record';
import { CallStore } from '../../../renderer/src/lib/call-store';
import { callRecord } from '../../helpers/call-record';

const call = (id: string, extra: Partial<CallRecord> = {}): CallRecord =>
  callRecord(id, { arguments: { message: id }, status: 'pending', ...extra });

describe('CallStore: newest first, merged by id', () => {
  it('puts live calls above the pages of older calls, newest first', () => {
    const store = new CallStore();
    store.appendOlder([call('c3'), call('c2'), call('c1')]);
    store.upsertLive(call('c4'));
    store.upsertLive(call('c5'));
    expect(Array.from({ length: store.size }, (_, i) => store.at(i)?.id)).toEqual([
      'c5',
      'c4',
      'c3',
      'c2',
      'c1',
    ]);
    expect(store.rowOf('c5')).toBe(0);
    expect(store.rowOf('c2')).toBe(3);
    expect(store.rowOf('nope')).toBe(-1);
  });

  it('updates a call in place when its outcome arrives, wherever it stands', () => {
    const store = new CallStore();
    store.appendOlder([call('old')]);
    store.upsertLive(call('new'));
    store.upsertLive(call('old', { status: 'ok', durationMs: 12 }));
    store.upsertLive(call('new', { status: 'error', error: 'boom' }));
    expect(store.size).toBe(2);
    expect(store.at(1)).toMatchObject({ id: 'old', status: 'ok', durationMs: 12 });
    expect(store.get('new')).toMatchObject({ status: 'error' });
  });

  it('admits a new live call only when the filter accepts it, but always updates one it holds', () => {
    const store = new CallStore();
    const deniedOnly = (r: CallRecord) => r.status === 'denied';
    expect(store.upsertLive(call('a'), deniedOnly)).toBe(false);
    expect(store.upsertLive(call('b', { status: 'denied' }), deniedOnly)).toBe(true);
    expect(store.upsertLive(call('b', { status: 'denied', reason: 'again' }), () => false)).toBe(true);
    expect(store.size).toBe(1);
  });

  it('does not duplicate a call that is both in a page and in the live stream', () => {
    const store = new CallStore();
    store.upsertLive(call('x'));
    store.appendOlder([call('x'), call('y')]);
    expect(store.size).toBe(2);
  });

  it('holds 100,000 records in order, updates them in place, and notifies subscribers once per batch', () => {
    const store = new CallStore();
    let notified = 0;
    store.subscribe(() => notified++);
    const page: CallRecord[] = [];
    for (let i = 50_000; i > 0; i--) page.push(call(`old-${i}`));
    store.appendOlder(page);
    for (let i = 1; i <= 50_000; i++) store.upsertLive(call(`new-${i}`));
    store.notify();
    for (let i = 1; i <= 50_000; i++) store.upsertLive(call(`new-${i}`, { status: 'ok' }));
    expect(store.size).toBe(100_000);
    expect(store.at(0)?.id).toBe('new-50000');
    expect(store.at(99_999)?.id).toBe('old-1');
    expect(store.at(50_000)?.id).toBe('old-50000');
    expect(notified).toBe(1);
    store.clear();
    expect(store.size).toBe(0);
  });
});
