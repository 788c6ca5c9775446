// The text inside the history's arguments and results: words of code, tickets and chat, cut from one corpus.
import { Random } from './random.js';

// Words of code, tickets and chat. None of the planted markers (generate.ts) can be formed from them.
export const WORDS = (
  'the a of to in for on with and or not is are was be this that it from by as at when after before ' +
  'build test deploy release merge branch commit review fix bug issue error warning timeout retry cache ' +
  'request response client server session user account order invoice payment report export import ' +
  'config policy rule grant token limit window queue worker job task schedule cron backup restore ' +
  'database table index query column migration schema record row value field key name id status ' +
  'service api endpoint route handler middleware logger metric trace span alert incident outage ' +
  'frontend backend mobile desktop dashboard view component button form input modal layout style ' +
  'customer team project sprint milestone roadmap feature flag experiment rollout canary staging ' +
  'production cluster node pod container image registry volume network proxy gateway upstream ' +
  'latency throughput memory cpu disk file folder path directory script package dependency version ' +
  'update upgrade remove add change rename move copy delete create read write list search find ' +
  'should must could would will can may might please thanks note todo fixme done open closed draft'
).split(' ');

export const NAMES = ['alice', 'bob', 'carol', 'dmitri', 'eva', 'farid', 'grace', 'hiro', 'ines', 'jonas'];
export const REPOS = [
  'gatehouse',
  'billing-api',
  'web-app',
  'infra',
  'mobile',
  'data-pipeline',
  'docs',
  'auth-service',
];
export const OWNERS = ['acme', 'acme-labs', 'platform-team'];
export const FOLDERS = [
  'src',
  'src/api',
  'src/lib',
  'test',
  'docs',
  'scripts',
  'config',
  'src/components',
  'migrations',
];
export const EXTENSIONS = ['ts', 'tsx', 'md', 'json', 'sql', 'py', 'yaml', 'go'];
export const TABLES = [
  'orders',
  'customers',
  'invoices',
  'events',
  'sessions',
  'payments',
  'audit_log',
  'products',
];
export const CHANNELS = ['#eng', '#deploys', '#incidents', '#random', '#billing', '#support', '#release'];
export const HOSTS = [
  'docs.example.com',
  'api.example.org',
  'status.example.net',
  'blog.example.io',
  'example.com',
];
export const STACKS = ['web', 'api', 'worker', 'postgres', 'redis', 'grafana', 'traefik'];
export const PROCEDURES = ['rotate-logs', 'backup-db', 'refresh-cache', 'reindex-search', 'prune-images'];

/** About 1 MB of words to cut snippets from: cheaper than drawing every word of every argument. */
function corpusOf(r: Random, chars: number): string {
  const parts: string[] = [];
  let length = 0;
  while (length < chars) {
    const word = r.pick(WORDS);
    const end = r.chance(0.08) ? '. ' : r.chance(0.05) ? ', ' : r.chance(0.02) ? '\n' : ' ';
    parts.push(word, end);
    length += word.length + end.length;
  }
  return parts.join('');
}

export class TextSource {
  private readonly corpus: string;

  constructor(private readonly r: Random) {
    this.corpus = corpusOf(new Random(0x5eed), 1 << 20);
  }

  /** About `chars` characters of prose, starting and ending at a word. */
  text(chars: number): string {
    const at = this.r.int(0, this.corpus.length - chars - 64);
    const start = this.corpus.indexOf(' ', at) + 1;
    const end = this.corpus.indexOf(' ', start + chars);
    return this.corpus.slice(start, end).trim();
  }

  words(min: number, max: number): string {
    const n = this.r.int(min, max);
    const out: string[] = [];
    for (let i = 0; i < n; i++) out.push(this.r.pick(WORDS));
    return out.join(' ');
  }

  slug(): string {
    return `${this.r.pick(WORDS)}-${this.r.pick(WORDS)}`;
  }

  path(): string {
    return `/home/dev/src/${this.r.pick(REPOS)}/${this.r.pick(FOLDERS)}/${this.slug()}.${this.r.pick(EXTENSIONS)}`;
  }
}
