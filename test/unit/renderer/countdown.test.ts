import { describe, expect, it } from 'vitest';
import { countdown, formatSeconds } from '../../../renderer/src/lib/countdown';

const created = '2026-11-24T10:00:00.000Z';
const expires = '2026-11-24T10:00:50.000Z';
const at = (s: number) => Date.parse(created) + s * 1000;

describe('countdown: how long the client still waits', () => {
  it('counts whole seconds, rounded up, from expiresAt', () => {
    expect(countdown(created, expires, at(0))).toMatchObject({
      secondsLeft: 50,
      expired: false,
      fraction: 1,
      text: '50 s',
    });
    expect(countdown(created, expires, at(10.2)).secondsLeft).toBe(40);
    expect(countdown(created, expires, at(49.9))).toMatchObject({
      secondsLeft: 1,
      expired: false,
      urgent: true,
    });
  });

  it('reaches 0 and says expired exactly when the client stops waiting, never negative', () => {
    expect(countdown(created, expires, at(50))).toMatchObject({ secondsLeft: 0, expired: true, fraction: 0 });
    expect(countdown(created, expires, at(500))).toMatchObject({
      secondsLeft: 0,
      expired: true,
      text: '0 s',
    });
  });

  it('gives the share of the wait left, for a progress bar', () => {
    expect(countdown(created, expires, at(25)).fraction).toBeCloseTo(0.5);
    // A clock behind the server's: never more than the whole wait.
    expect(countdown(created, expires, at(-5)).fraction).toBe(1);
  });

  it('turns urgent in the last 10 seconds', () => {
    expect(countdown(created, expires, at(39.5)).urgent).toBe(false);
    expect(countdown(created, expires, at(40)).urgent).toBe(true);
  });

  it('treats an unreadable expiresAt as expired rather than waiting forever', () => {
    expect(countdown(created, 'not a date', at(0))).toMatchObject({ expired: true, secondsLeft: 0 });
  });

  it('formats minutes for long timeouts', () => {
    expect(formatSeconds(59)).toBe('59 s');
    expect(formatSeconds(65)).toBe('1 min 05 s');
    expect(formatSeconds(3600)).toBe('60 min 00 s');
  });
});
