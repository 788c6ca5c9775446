// The policy Gatehouse runs under in the bench: 100 rules as a real user might write them — globs and exact keys
// in every section, some denies, argument rules and a rate limit on the echo that is measured (its max is high
// enough never to trigger), and a grant overlay. The call log stays on (it always is).
export const BENCH_GRANT = 'bench';
export const BENCH_SERVER = 'ev';

export function benchPolicy() {
  const tools = {};
  for (let i = 0; i < 40; i++) {
    tools[`tool_${i}_*`] =
      i % 3 === 0 ? { action: 'deny', reason: `tool family ${i} is off` } : { action: 'allow' };
  }
  for (let i = 0; i < 30; i++) tools[`exact_tool_${i}`] = { action: i % 4 === 0 ? 'deny' : 'allow' };
  tools['delete_*'] = { action: 'deny', reason: 'nothing gets deleted' };
  tools['*_admin'] = { action: 'approve' };
  tools['list_*'] = { action: 'allow' };
  tools['read_*'] = { action: 'allow', limits: [{ counter: 'reads', window: 'minute', max: 600 }] };

  const evTools = {
    echo: {
      action: 'allow',
      args: { message: { pattern: '[a-z0-9 ]+', maxLength: 200 } },
      limits: [
        { counter: 'echo_rate', window: 'second', max: 1_000_000, scope: 'global' },
        { counter: 'echo_grant', window: 'second', max: 1_000_000, scope: 'grant' },
      ],
    },
    'get-sum': { limits: [{ counter: 'sums', window: 'minute', max: 1000, scope: 'grant' }] },
    'get-*': { action: 'allow' },
    'trigger-*': { action: 'deny', reason: 'no long operations' },
    'toggle-*': { action: 'approve' },
    'gzip-file-as-resource': { action: 'deny' },
    'simulate-research-query': { action: 'approve' },
  };
  for (let i = 0; i < 8; i++) evTools[`ev_extra_${i}*`] = { action: i % 2 ? 'allow' : 'deny' };

  const grantTools = {};
  for (let i = 0; i < 8; i++) grantTools[`grant_only_${i}`] = { action: i % 2 ? 'allow' : 'deny' };
  const grantServerTools = { 'get-tiny-image': { action: 'deny' }, 'get-env': { action: 'deny' } };

  const policy = {
    version: '1',
    default: 'deny',
    tools,
    servers: {
      [BENCH_SERVER]: { default: 'deny', tools: evTools },
      other: { tools: { 'x_*': { action: 'allow' } } },
    },
    grants: {
      [BENCH_GRANT]: { tools: grantTools, servers: { [BENCH_SERVER]: { tools: grantServerTools } } },
    },
  };
  return policy;
}

export function countRules(policy) {
  let n = Object.keys(policy.tools ?? {}).length;
  for (const block of Object.values(policy.servers ?? {})) n += Object.keys(block.tools ?? {}).length;
  for (const overlay of Object.values(policy.grants ?? {})) {
    n += Object.keys(overlay.tools ?? {}).length;
    for (const block of Object.values(overlay.servers ?? {})) n += Object.keys(block.tools ?? {}).length;
  }
  return n;
}
