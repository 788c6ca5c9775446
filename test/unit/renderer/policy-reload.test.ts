// What the Policy view does with policy.json changed on disk, given the text it read and the draft.
import { describe, expect, it } from 'vitest';
import { diskChangeOf } from '../../../renderer/src/lib/policy-reload';

describe('diskChangeOf', () => {
  it('does nothing when the file is the text as read, whatever the draft', () => {
    expect(diskChangeOf('a', 'a', 'a')).toBe('same');
    expect(diskChangeOf('a', 'draft', 'a')).toBe('same');
  });

  it('reloads the view when there is no draft', () => {
    expect(diskChangeOf('a', 'a', 'b')).toBe('reload');
  });

  it('takes the file as read when it is the draft (the view’s own save)', () => {
    expect(diskChangeOf('a', 'b', 'b')).toBe('adopt');
  });

  it('never overwrites a draft that differs from the new file', () => {
    expect(diskChangeOf('a', 'draft', 'b')).toBe('conflict');
  });
});
