// The call log after the soak, read as electron/gateway/log/reader.ts reads it (day files; a decision line, then an
// outcome line with the same id), matched against what the clients saw through each call's `note` marker.
import fs from 'node:fs';
import path from 'node:path';
import { DENIED_TOOLS, LIMITS } from './home.mjs';

const DAY_FILE = /^\d{4}-\d{2}-\d{2}\.jsonl$/;
/** Decision lines can be a little later than the charge they record: a window this much shorter is counted. */
const TIMESTAMP_SLACK_MS = 10;

export function readLog(logsDir) {
  const byId = new Map();
  let lines = 0;
  let unreadable = 0;
  let orphanOutcomes = 0;
  const files = fs.existsSync(logsDir) ? fs.readdirSync(logsDir).filter((f) => DAY_FILE.test(f)) : [];
  for (const file of files.sort()) {
    for (const line of fs.readFileSync(path.join(logsDir, file), 'utf8').split('\n')) {
      if (line.trim() === '') continue;
      lines++;
      let value;
      try {
        value = JSON.parse(line);
      } catch {
        unreadable++;
        continue;
      }
      if (typeof value.decision === 'string') {
        byId.set(value.id, { ...value, outcomes: 0 });
      } else if (typeof value.id === 'string' && typeof value.status === 'string') {
        const record = byId.get(value.id);
        if (!record) {
          orphanOutcomes++;
          continue;
        }
        record.status = value.status;
        record.outcomes++;
      } else {
        unreadable++;
      }
    }
  }
  const byMarker = new Map();
  for (const record of byId.values()) {
    const marker = record.arguments?.note;
    if (typeof marker === 'string') byMarker.set(marker, record);
  }
  return { files: files.length, lines, unreadable, orphanOutcomes, records: byId.size, byMarker, all: byId };
}

/** The most charged calls in any window of a limit, over the call log (per session for a session limit). */
function mostInAnyWindow(records, tool) {
  const limit = LIMITS[tool];
  const groups = new Map();
  for (const record of records) {
    if (record.tool !== tool || record.decision !== 'allow') continue;
    const key = limit.scope === 'session' ? record.session : 'global';
    const times = groups.get(key) ?? [];
    times.push(Date.parse(record.ts));
    groups.set(key, times);
  }
  let most = 0;
  for (const times of groups.values()) {
    times.sort((a, b) => a - b);
    let first = 0;
    for (let last = 0; last < times.length; last++) {
      while (times[first] <= times[last] - limit.windowMs + TIMESTAMP_SLACK_MS) first++;
      most = Math.max(most, last - first + 1);
    }
  }
  return { most, max: limit.max };
}

/**
 * What the log lost or got wrong: calls answered with a result but without a decision line, forwarded calls still
 * pending (no outcome line), and denied tools that were forwarded; plus figures (limits, policy versions).
 */
export function reconcile(tally, log) {
  const missingDecision = [];
  const missingOutcome = [];
  const deniedForwarded = [];
  let noAnswerLogged = 0;
  for (const [marker, seen] of tally.byMarker) {
    const record = log.byMarker.get(marker);
    const tool = seen.tool.split('__')[1];
    if (seen.kind === 'forwarded' && DENIED_TOOLS.has(tool)) deniedForwarded.push(`${marker} ${seen.tool}`);
    if (seen.kind === 'no-answer') {
      if (record) noAnswerLogged++;
      continue;
    }
    // A JSON-RPC error means the gateway refused the request before any decision (DESIGN.md §5): no line is due.
    if (seen.kind === 'rpc-error') continue;
    if (!record) {
      missingDecision.push(`${marker} ${seen.tool} (${seen.kind})`);
      continue;
    }
    if (seen.kind === 'forwarded' && record.status === 'pending')
      missingOutcome.push(`${marker} ${seen.tool} (${record.outcomes} outcome lines)`);
  }
  const records = [...log.all.values()];
  for (const record of records) {
    if (DENIED_TOOLS.has(record.tool) && record.decision !== 'deny')
      deniedForwarded.push(`record ${record.id} ${record.tool} decision ${record.decision}`);
  }
  const versions = new Set(records.map((r) => r.policyVersion));
  const unmatched = records.filter((r) => !tally.byMarker.has(r.arguments?.note)).length;
  return {
    missingDecision,
    missingOutcome,
    deniedForwarded,
    noAnswerLogged,
    unmatched,
    policyVersions: versions.size,
    limits: Object.fromEntries(Object.keys(LIMITS).map((tool) => [tool, mostInAnyWindow(records, tool)])),
  };
}
