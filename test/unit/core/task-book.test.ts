// The task book: Gatehouse's own ids for upstream tasks, bound to the creating grant, forgotten after their ttl.
import { describe, expect, it } from 'vitest';
import { McpError, type CreateTaskResult } from '@modelcontextprotocol/sdk/types.js';
import { TaskBook, taskStatusFor } from '../../../electron/gateway/core/tasks.js';

function book() {
  let now = Date.parse('2026-11-24T12:00:00Z');
  let n = 0;
  const tasks = new TaskBook(
    () => now,
    () => `gh-${++n}`,
  );
  return { tasks, advance: (ms: number) => (now += ms) };
}

const created = (taskId: string, ttl: number | null = 60_000): CreateTaskResult => ({
  task: { taskId, status: 'working', ttl, createdAt: 'x', lastUpdatedAt: 'x' },
  _meta: { 'io.modelcontextprotocol/related-task': { taskId } },
});
const owner = { grant: 'a', session: 's1', server: 'ev' };

describe('TaskBook', () => {
  it('hands out its own id and rewrites the related-task metadata', () => {
    const { tasks } = book();
    const adopted = tasks.adopt(owner, created('up-1'));
    expect(adopted.task.taskId).toBe('gh-1');
    expect(adopted._meta?.['io.modelcontextprotocol/related-task']).toEqual({ taskId: 'gh-1' });
    expect(tasks.find('a', 'gh-1')).toMatchObject({ upstreamId: 'up-1', server: 'ev', session: 's1' });
  });

  it('answers another grant exactly as it answers an unknown id', () => {
    const { tasks } = book();
    tasks.adopt(owner, created('up-1'));
    const message = (grant: string, id: string) => {
      try {
        tasks.find(grant, id);
      } catch (err) {
        expect(err).toBeInstanceOf(McpError);
        return (err as McpError).message;
      }
      return 'found';
    };
    expect(message('b', 'gh-1').replace('gh-1', 'ID')).toBe(message('b', 'gh-99').replace('gh-99', 'ID'));
    expect(message('b', 'gh-1')).toContain('Task not found: gh-1');
    expect(message('a', 'up-1')).toContain('Task not found: up-1'); // the upstream's own id is no key
    expect(tasks.ofGrant('b')).toEqual([]);
    expect(tasks.ofGrant('a').map((t) => t.id)).toEqual(['gh-1']);
  });

  it('forgets a task a minute after its ttl, and one without a ttl after a day', () => {
    const { tasks, advance } = book();
    tasks.adopt(owner, created('up-1', 10_000));
    tasks.adopt(owner, created('up-2', null));
    advance(10_000 + 59_000);
    expect(tasks.ofGrant('a')).toHaveLength(2);
    advance(2_000);
    expect(tasks.ofGrant('a').map((t) => t.upstreamId)).toEqual(['up-2']);
    advance(24 * 3_600_000);
    expect(tasks.ofGrant('a')).toEqual([]);
  });

  it('settles a refused call as a task that is already over, carrying the result', () => {
    const { tasks } = book();
    const denial = {
      isError: true,
      content: [{ type: 'text' as const, text: 'Gatehouse denied ev__x: no' }],
    };
    const settled = tasks.settle(owner, denial, { ttl: 5000 });
    expect(settled.task).toMatchObject({
      status: 'failed',
      statusMessage: 'Gatehouse denied ev__x: no',
      ttl: 5000,
    });
    expect(tasks.find('a', settled.task.taskId).settled?.result).toBe(denial);
    expect(tasks.settle(owner, { content: [] }, {}).task).toMatchObject({ status: 'completed', ttl: null });
  });

  it("routes an upstream's status notification to the creating session only, under Gatehouse's id", () => {
    const { tasks } = book();
    tasks.adopt(owner, created('up-1'));
    const note = { method: 'notifications/tasks/status', params: { taskId: 'up-1', status: 'completed' } };
    expect(taskStatusFor(tasks, 'ev', note)).toEqual({
      session: 's1',
      notification: { method: note.method, params: { taskId: 'gh-1', status: 'completed' } },
    });
    expect(taskStatusFor(tasks, 'other', note)).toBeUndefined();
    expect(taskStatusFor(tasks, 'ev', note, 's2')).toBeUndefined(); // a session's own instance: its tasks only
    expect(taskStatusFor(tasks, 'ev', { ...note, params: { taskId: 'unknown' } })).toBeUndefined();
  });
});
