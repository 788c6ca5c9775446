// The words of a tool's name and what each verb says the tool does: the vocabulary the risk classes read.
// Plural and third-person forms ("lists", "deletes") are taken as their verb.

export type VerbClass = 'read' | 'reach' | 'write' | 'execute' | 'destroy';

const VERBS: Record<VerbClass, readonly string[]> = {
  read: [
    'get',
    'list',
    'read',
    'search',
    'find',
    'show',
    'describe',
    'view',
    'query',
    'echo',
    'stat',
    'status',
    'inspect',
    'check',
    'count',
    'lookup',
    'look',
    'browse',
    'diff',
    'print',
    'tail',
    'logs',
    'export',
    'download',
    'whoami',
    'validate',
    'ping',
    'health',
    'info',
    'peek',
    'watch',
    'summarize',
    'open',
    'explain',
  ],
  reach: ['fetch', 'navigate', 'scrape', 'crawl', 'http', 'curl', 'webhook', 'web'],
  write: [
    'create',
    'add',
    'new',
    'update',
    'edit',
    'set',
    'put',
    'post',
    'send',
    'write',
    'move',
    'rename',
    'upload',
    'insert',
    'merge',
    'push',
    'commit',
    'patch',
    'modify',
    'save',
    'append',
    'copy',
    'import',
    'tag',
    'assign',
    'enable',
    'disable',
    'pause',
    'unpause',
    'label',
    'comment',
    'rotate',
    'sync',
    'pull',
    'clone',
    'link',
    'replace',
    'upsert',
    'store',
    'toggle',
  ],
  execute: [
    'run',
    'exec',
    'execute',
    'shell',
    'eval',
    'deploy',
    'apply',
    'start',
    'stop',
    'restart',
    'trigger',
    'install',
    'invoke',
    'launch',
    'spawn',
    'build',
    'reboot',
    'rollback',
    'scale',
    'redeploy',
    'call',
    'dispatch',
    'evaluate',
  ],
  destroy: [
    'delete',
    'remove',
    'rm',
    'drop',
    'destroy',
    'purge',
    'prune',
    'kill',
    'terminate',
    'truncate',
    'wipe',
    'reset',
    'erase',
    'uninstall',
    'revoke',
    'unlink',
    'rmdir',
    'clear',
    'clean',
  ],
};

const VERB_CLASS = new Map<string, VerbClass>(
  (Object.entries(VERBS) as [VerbClass, readonly string[]][]).flatMap(([cls, words]) =>
    words.map((word) => [word, cls] as const),
  ),
);

/** What a verb says: the word itself, or its form without a trailing s/es ("deletes", "pushes"). */
export function verbOf(word: string): VerbClass | undefined {
  const lower = word.toLowerCase();
  return (
    VERB_CLASS.get(lower) ??
    (lower.endsWith('es') ? VERB_CLASS.get(lower.slice(0, -2)) : undefined) ??
    (lower.endsWith('s') ? VERB_CLASS.get(lower.slice(0, -1)) : undefined)
  );
}

/** A name's words, in order and lower case: split at `_`, `-`, `.`, digits and camelCase humps. */
export function nameWords(name: string): string[] {
  return name
    .replace(/([a-z])([A-Z])/g, '$1 $2')
    .split(/[^A-Za-z]+/)
    .filter((w) => w.length > 0)
    .map((w) => w.toLowerCase());
}
