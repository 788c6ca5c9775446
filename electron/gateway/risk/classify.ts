// Risk of a tool, from what the server says of it (annotations), its name, description and input schema: a hint for
// the person approving and the start of a recommended policy, never a substitute for the policy. Pure.
import type { Tool } from '@modelcontextprotocol/sdk/types.js';
import type { Risk } from '../../../shared/api/approvals.js';
import { nameWords, verbOf, type VerbClass } from './words.js';

/** The classes, mildest first: a tool takes the highest class any of its signals gives. */
export const RISK_CATEGORIES = ['read', 'open-world', 'write', 'execute', 'destructive'] as const;
type RiskCategory = (typeof RISK_CATEGORIES)[number];

const LEVEL: Record<RiskCategory, Risk['level']> = {
  read: 'low',
  'open-world': 'medium',
  write: 'medium',
  execute: 'high',
  destructive: 'high',
};

/** Input fields that carry something to run, or somewhere outside to reach. */
const EXECUTING_FIELDS = new Set(['command', 'cmd', 'script', 'shell', 'code', 'eval', 'sql', 'exec']);
const REACHING_FIELDS = new Set(['url', 'uri', 'endpoint', 'href']);

export interface ClassifyOptions {
  /** The server is in settings.json `trustedServers`: its annotations may also lower the class, not only raise it. */
  trusted?: boolean;
}

type ClassifiedTool = Pick<Tool, 'name'> & Partial<Pick<Tool, 'annotations' | 'description' | 'inputSchema'>>;

interface Signal {
  category: RiskCategory;
  reason: string;
}

const rank = (category: RiskCategory) => RISK_CATEGORIES.indexOf(category);

const VERB_CATEGORY: Record<VerbClass, RiskCategory> = {
  read: 'read',
  reach: 'open-world',
  write: 'write',
  execute: 'execute',
  destroy: 'destructive',
};

/** The class the name gives: its first word that is a known verb ("name starts with delete_"). */
function nameSignal(name: string): Signal | undefined {
  const words = nameWords(name);
  for (const [index, word] of words.entries()) {
    const verb = verbOf(word);
    if (verb === undefined) continue;
    const reason =
      index === 0
        ? words.length === 1
          ? `name is ${name}`
          : `name starts with ${startOf(name, word)}`
        : `name has the word ${word}`;
    return { category: VERB_CATEGORY[verb], reason };
  }
  return undefined;
}

/** The name's first word as written, with the separator after it: `delete_`, `deploy-`, `get`. */
function startOf(name: string, word: string): string {
  const at = name.toLowerCase().indexOf(word);
  const end = at + word.length;
  return name.slice(0, /[_\-.]/.test(name.charAt(end)) ? end + 1 : end);
}

/** Only when the name says nothing: the description's first word ("Deletes …", "Lists …"). */
function descriptionSignal(description: string | undefined): Signal | undefined {
  const first = /^\s*([A-Za-z]+)/.exec(description ?? '')?.[1];
  if (first === undefined) return undefined;
  const verb = verbOf(first.toLowerCase());
  return verb === undefined
    ? undefined
    : { category: VERB_CATEGORY[verb], reason: `description starts with "${first}"` };
}

function schemaSignals(schema: ClassifiedTool['inputSchema']): Signal[] {
  const properties = schema?.properties;
  if (typeof properties !== 'object' || properties === null) return [];
  const signals: Signal[] = [];
  for (const field of Object.keys(properties).slice(0, 200)) {
    const lower = field.toLowerCase();
    if (EXECUTING_FIELDS.has(lower))
      signals.push({ category: 'execute', reason: `input has a field named ${field}` });
    else if (REACHING_FIELDS.has(lower))
      signals.push({ category: 'open-world', reason: `input has a field named ${field}` });
  }
  return signals;
}

export function classifyTool(tool: ClassifiedTool, options: ClassifyOptions = {}): Risk {
  const hints = tool.annotations ?? {};
  const trusted = options.trusted === true;
  const signals: Signal[] = [];
  const fromName = nameSignal(tool.name);
  if (fromName) signals.push(fromName);
  else {
    const fromDescription = descriptionSignal(tool.description);
    if (fromDescription) signals.push(fromDescription);
  }
  signals.push(...schemaSignals(tool.inputSchema));
  // Absent hints say nothing (the spec's worst-case defaults would make every tool destructive and open-world).
  // Hints that raise the class are taken from any server: a server gains nothing by overstating.
  if (hints.destructiveHint === true && hints.readOnlyHint !== true)
    signals.push({ category: 'destructive', reason: 'destructiveHint: true' });
  if (hints.openWorldHint === true) signals.push({ category: 'open-world', reason: 'openWorldHint: true' });

  let category: RiskCategory = 'write';
  const reasons: string[] = [];
  if (signals.length === 0) {
    reasons.push('neither its name, description nor input says what it does: treated as a write');
  } else {
    category = signals.reduce<RiskCategory>(
      (worst, s) => (rank(s.category) > rank(worst) ? s.category : worst),
      'read',
    );
    reasons.push(...signals.map((s) => s.reason));
  }

  // Hints that lower the class only from a trusted server: an untrusted read-only hint cannot hide a delete_.
  if (hints.readOnlyHint === true) {
    if (trusted) {
      category = 'read';
      reasons.unshift('readOnlyHint: true (trusted server)');
    } else if (category !== 'read') {
      reasons.push('readOnlyHint: true ignored (server not in trustedServers)');
    }
  } else if (hints.destructiveHint === false && category === 'destructive') {
    if (trusted) {
      category = 'write';
      reasons.unshift('destructiveHint: false (trusted server)');
    } else {
      reasons.push('destructiveHint: false ignored (server not in trustedServers)');
    }
  }
  if (trusted && hints.idempotentHint === true && category === 'write') reasons.push('idempotentHint: true');
  return { category, level: LEVEL[category], reasons };
}
