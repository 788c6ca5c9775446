// The policy that decided the generated history's calls (written into the generated home as policy.json).

const limit = (counter: string, max: number, scope: 'global' | 'grant') => ({
  limits: [{ counter, window: 'minute', max, scope }],
});

/** The policy that decided the history's calls: each rule named in a record above is here. */
export const HISTORY_POLICY = {
  version: '1',
  default: 'deny',
  approvalTimeoutSeconds: 600,
  tools: {
    'delete_*': { action: 'deny', reason: 'destructive: not through an agent' },
    run_procedure: limit('run_procedure_rate', 10, 'grant'),
  },
  servers: {
    github: {
      tools: {
        'search_*': { action: 'allow' },
        'get_*': { action: 'allow' },
        'list_*': { action: 'allow' },
        create_issue: limit('github_writes', 10, 'grant'),
        create_pull_request: { action: 'approve', reason: 'opens a pull request: a person reviews it first' },
        push_files: { action: 'allow' },
      },
    },
    filesystem: {
      tools: {
        'read_*': { action: 'allow', args: { path: { path: { within: ['/home/dev/src'] } } } },
        write_file: { action: 'allow' },
        'list_*': { action: 'allow' },
        'search_*': { action: 'allow' },
        move_file: { action: 'approve' },
      },
    },
    postgres: {
      tools: {
        query: limit('pg_queries', 100, 'global'),
        execute: { action: 'approve', reason: 'writes to the database' },
      },
    },
    slack: {
      default: 'allow',
      tools: {
        'get_*': { action: 'allow' },
        'post_*': {
          action: 'deny',
          monitor: true,
          reason: 'watching posts before enforcing: agents should not post',
        },
      },
    },
    fetch: { tools: { fetch: { action: 'allow' } } },
    memory: { tools: { 'search_*': { action: 'allow' }, 'create_*': { action: 'allow' } } },
    komodo: {
      default: 'approve',
      tools: {
        'list_*': { action: 'allow' },
        'destroy_*': { action: 'deny' },
      },
    },
  },
  grants: {
    'nightly-batch': {
      servers: {
        github: { tools: { 'push_*': { action: 'deny', reason: 'the nightly batch never pushes' } } },
        slack: { tools: { 'post_*': { action: 'deny', reason: 'not from the nightly batch' } } },
      },
    },
  },
};
