import { describe, expect, it } from 'vitest';
import {
  TOKEN_KEY,
  loginCodeOf,
  readToken,
  writeToken,
  type TokenStorage,
} from '../../../renderer/src/lib/login';

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
    const map = new Map<string, string>();
    const storage: TokenStorage = {
      getItem: (k) => map.get(k) ?? null,
      setItem: (k, v) => void map.set(k, v),
      removeItem: (k) => void map.delete(k),
    };
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
});
