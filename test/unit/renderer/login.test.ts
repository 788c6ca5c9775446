import { describe, expect, it } from 'vitest';
import {
  ENDED_KEY,
  SESSION_ENDED,
  TOKEN_KEY,
  loginCodeOf,
  readToken,
  signOut,
  tokenChangeOf,
  writeToken,
  type TokenStorage,
} from '../../../renderer/src/lib/login';

function memoryStorage(): TokenStorage & { map: Map<string, string> } {
  const map = new Map<string, string>();
  return {
    map,
    getItem: (k) => map.get(k) ?? null,
    setItem: (k, v) => void map.set(k, v),
    removeItem: (k) => void map.delete(k),
  };
}

describe('dashboard login', () => {
  it('reads the one-time code of a #login= fragment only', () => {
    expect(loginCodeOf('#login=abc_DEF-123')).toBe('abc_DEF-123');
    expect(loginCodeOf('login=xyz')).toBe('xyz');
    expect(loginCodeOf('#login=a%2Bb')).toBe('a+b');
    expect(loginCodeOf('#approvals')).toBeUndefined();
    expect(loginCodeOf('')).toBeUndefined();
    expect(loginCodeOf('#login=')).toBeUndefined();
  });

  it('keeps the token in the given storage and survives a storage that throws', () => {
    const storage = memoryStorage();
    const { map } = storage;
    writeToken(storage, 't1');
    expect(map.get(TOKEN_KEY)).toBe('t1');
    expect(readToken(storage)).toBe('t1');
    writeToken(storage, undefined);
    expect(readToken(storage)).toBeUndefined();
    const broken: TokenStorage = {
      getItem: () => {
        throw new Error('denied');
      },
      setItem: () => {
        throw new Error('denied');
      },
      removeItem: () => {
        throw new Error('denied');
      },
    };
    expect(readToken(broken)).toBeUndefined();
    expect(() => writeToken(broken, 'x')).not.toThrow();
  });

  it("follows another tab's sign-in, sign-out and ended session, and ignores other keys", () => {
    const storage = memoryStorage();
    expect(tokenChangeOf({ key: TOKEN_KEY, newValue: 't2' }, storage)).toEqual({ token: 't2' });
    writeToken(storage, undefined, 'signed-out');
    expect(tokenChangeOf({ key: TOKEN_KEY, newValue: null }, storage)).toEqual({
      token: undefined,
      notice: { text: 'You signed out in another tab.', error: false },
    });
    writeToken(storage, undefined);
    expect(tokenChangeOf({ key: TOKEN_KEY, newValue: null }, storage)).toEqual({
      token: undefined,
      notice: SESSION_ENDED,
    });
    expect(tokenChangeOf({ key: null, newValue: null }, memoryStorage())).toEqual({
      token: undefined,
      notice: SESSION_ENDED,
    });
    expect(tokenChangeOf({ key: 'gatehouse.theme', newValue: 'dark' }, storage)).toBeUndefined();
    expect(tokenChangeOf({ key: ENDED_KEY, newValue: 'ended' }, storage)).toBeUndefined();
  });

  it('signs out at the gateway, then forgets the token', async () => {
    const storage = memoryStorage();
    writeToken(storage, 't1');
    const order: string[] = [];
    const outcome = await signOut(async () => {
      order.push(`logout while stored: ${readToken(storage)}`);
      return { ok: true };
    }, storage);
    expect(order).toEqual(['logout while stored: t1']);
    expect(readToken(storage)).toBeUndefined();
    expect(outcome).toEqual({ text: 'You are signed out.', error: false });
  });

  it('forgets the token when the gateway cannot be reached, and says so; a 401 is a sign-out already done', async () => {
    const storage = memoryStorage();
    writeToken(storage, 't1');
    const outcome = await signOut(() => Promise.reject(new Error('the gateway is not reachable')), storage);
    expect(readToken(storage)).toBeUndefined();
    expect(outcome.error).toBe(true);
    expect(outcome.text).toContain('signed out in this browser, but the gateway could not end the sign-in');
    expect(outcome.text).toContain('the gateway is not reachable');
    writeToken(storage, 't2');
    const ended = Object.assign(new Error('unauthorized'), { status: 401 });
    expect((await signOut(() => Promise.reject(ended), storage)).error).toBe(false);
    expect(readToken(storage)).toBeUndefined();
  });
});
