// The task book: Gatehouse's own task for every call run as a task, answered at once and followed by the upstream's
// task or ended by the call's own result; bound to the creating grant, forgotten after its ttl.
import { describe, expect, it } from 'vitest';
import { McpError, type CreateTaskResult } from '@modelcontextprotocol/sdk/types.js';
import { TaskBook, taskStatusFor } from '../../../electron/gateway/relay/task-book.js';

function book() {
  let now = Date.parse('2026-11-24T12:00:00Z');
  let n = 0;
  const tasks = new TaskBook(
    () => now,
    () => `gh-${++n}`,
  );
  return { tasks, advance: (ms: number) => (now += ms) };
}

const upstreamTask = (taskId: string, ttl: number | null = 60_000): CreateTaskResult => ({
  task: { taskId, status: 'working', ttl, createdAt: 'x', lastUpdatedAt: 'x' },
  _meta: { 'io.modelcontextprotocol/related-task': { taskId } },
});
const owner = { grant: 'a', session: 's1', server: 'ev' };

function notFound(tasks: TaskBook, grant: string, id: string): string {
  try {
    tasks.find(grant, id);
  } catch (err) {
    expect(err).toBeInstanceOf(McpError);
    return (err as McpError).message;
  }
  return 'found';
}

describe('TaskBook', () => {
  it('holds a call as a working task of its own, then follows the upstream task under that id', async () => {
    const { tasks } = book();
    const held = tasks.hold(owner, { ttl: 60_000 });
    expect(held.created.task).toMatchObject({ taskId: 'gh-1', status: 'working', ttl: 60_000 });
    const entry = tasks.find('a', 'gh-1');
    expect(entry.deciding).toBeDefined();
    const done = entry.deciding!.done;
    const attached = tasks.attach(held.id, upstreamTask('up-1'));
    expect(attached.task.taskId).toBe('gh-1');
    expect(attached._meta?.['io.modelcontextprotocol/related-task']).toEqual({ taskId: 'gh-1' });
    await done; // whoever waited for the decision goes on
    expect(tasks.find('a', 'gh-1').upstreamId).toBe('up-1');
    expect(tasks.find('a', 'gh-1').deciding).toBeUndefined();
  });

  it('answers another grant exactly as it answers an unknown id', () => {
    const { tasks } = book();
    const { id } = tasks.hold(owner, {});
    tasks.attach(id, upstreamTask('up-1'));
    expect(notFound(tasks, 'b', id)).toBe(`MCP error -32602: Task not found: ${id}`);
    expect(notFound(tasks, 'b', 'gh-99')).toBe('MCP error -32602: Task not found: gh-99');
    expect(notFound(tasks, 'a', 'up-1')).toContain('Task not found: up-1'); // the upstream's own id is no key
    expect(tasks.ofGrant('b')).toEqual([]);
    expect(tasks.ofGrant('a').map((t) => t.id)).toEqual([id]);
  });

  it('settles a refused call with its result: failed, with the denial as the status message', () => {
    const { tasks } = book();
    const { id } = tasks.hold(owner, { ttl: 5000 });
    const denial = {
      isError: true,
      content: [{ type: 'text' as const, text: 'Gatehouse denied ev__x: no' }],
    };
    tasks.settle(id, denial);
    const entry = tasks.find('a', id);
    expect(entry.settled?.task).toMatchObject({
      taskId: id,
      status: 'failed',
      statusMessage: 'Gatehouse denied ev__x: no',
      ttl: 5000,
    });
    expect(entry.settled?.result).toBe(denial);
    const other = tasks.hold(owner, {});
    tasks.settle(other.id, { content: [] });
    expect(tasks.find('a', other.id).settled?.task).toMatchObject({ status: 'completed', ttl: null });
  });

  it('cancels a task being decided: its signal aborts, and the result that follows ends it as cancelled', async () => {
    const { tasks } = book();
    const held = tasks.hold(owner, {});
    const entry = tasks.find('a', held.id);
    held.signal.addEventListener('abort', () =>
      tasks.settle(held.id, { isError: true, content: [{ type: 'text', text: 'cancelled' }] }),
    );
    await tasks.cancelDeciding(entry);
    expect(entry.settled?.task.status).toBe('cancelled');
  });

  it('forgets a task a minute after its ttl, and one without a ttl after a day', () => {
    const { tasks, advance } = book();
    tasks.attach(tasks.hold(owner, {}).id, upstreamTask('up-1', 10_000));
    tasks.attach(tasks.hold(owner, {}).id, upstreamTask('up-2', null));
    advance(10_000 + 59_000);
    expect(tasks.ofGrant('a')).toHaveLength(2);
    advance(2_000);
    expect(tasks.ofGrant('a').map((t) => t.upstreamId)).toEqual(['up-2']);
    advance(24 * 3_600_000);
    expect(tasks.ofGrant('a')).toEqual([]);
  });

  it("routes an upstream's status notification to the creating session only, under Gatehouse's id", () => {
    const { tasks } = book();
    const { id } = tasks.hold(owner, {});
    tasks.attach(id, upstreamTask('up-1'));
    const note = { method: 'notifications/tasks/status', params: { taskId: 'up-1', status: 'completed' } };
    expect(taskStatusFor(tasks, 'ev', note)).toEqual({
      session: 's1',
      notification: { method: note.method, params: { taskId: id, status: 'completed' } },
    });
    expect(taskStatusFor(tasks, 'other', note)).toBeUndefined();
    expect(taskStatusFor(tasks, 'ev', note, 's2')).toBeUndefined(); // a session's own instance: its tasks only
    expect(taskStatusFor(tasks, 'ev', { ...note, params: { taskId: 'unknown' } })).toBeUndefined();
  });
});
