// The gateway's descendants from /proc, each known by its pid and its start time (so that a pid another process took
// over later is never mistaken for the same process), zombies excluded: they have exited.
import fs from 'node:fs';

function stat(pid) {
  try {
    const text = fs.readFileSync(`/proc/${pid}/stat`, 'utf8');
    // "pid (comm) state ppid …": the command name may hold spaces and parentheses, the fields after ")" are fixed.
    const fields = text.slice(text.lastIndexOf(')') + 2).split(' ');
    return { state: fields[0], ppid: Number(fields[1]), start: fields[19] };
  } catch {
    return undefined;
  }
}

function commandLine(pid) {
  try {
    return fs.readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0').filter(Boolean).join(' ');
  } catch {
    return '';
  }
}

/** Every running descendant of `pid`: `{ pid, start, command }`. */
export function liveDescendants(pid) {
  const children = new Map();
  for (const entry of fs.readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    const s = stat(entry);
    if (!s || s.state === 'Z') continue;
    const list = children.get(s.ppid) ?? [];
    list.push({ pid: Number(entry), start: s.start });
    children.set(s.ppid, list);
  }
  const found = [];
  const queue = [pid];
  while (queue.length > 0 && found.length < 1000) {
    for (const child of children.get(queue.shift()) ?? []) {
      found.push({ ...child, command: commandLine(child.pid) });
      queue.push(child.pid);
    }
  }
  return found;
}

/** Whether this very process (same pid, same start time) still runs. */
export function stillRunning(proc) {
  const s = stat(proc.pid);
  return s !== undefined && s.state !== 'Z' && s.start === proc.start;
}
