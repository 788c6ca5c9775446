// Risk of a tool, from what the server says of it (annotations) and its name: a hint for the person approving,
// never a substitute for the policy. Pure.
import type { Tool } from '@modelcontextprotocol/sdk/types.js';
import type { Risk } from '../../../shared/api/approvals.js';

const DESTRUCTIVE =
  /(^|[_\-.])(delete|remove|rm|drop|destroy|purge|kill|terminate|truncate|wipe|reset)([_\-.]|$)/i;
const EXECUTES =
  /(^|[_\-.])(exec|execute|run|shell|eval|deploy|apply|start|trigger|install|procedure)([_\-.]|$)/i;
const WRITES =
  /(^|[_\-.])(write|create|update|edit|set|put|post|send|move|rename|upload|insert|merge|push|commit)([_\-.]|$)/i;
const READS =
  /(^|[_\-.])(get|list|read|search|find|fetch|show|describe|view|query|echo|stat|status)([_\-.]|$)/i;

export function classifyTool(tool: Pick<Tool, 'name' | 'annotations'>): Risk {
  const a = tool.annotations ?? {};
  const reasons: string[] = [];
  if (a.destructiveHint === true && a.readOnlyHint !== true) reasons.push('the server marks it destructive');
  if (DESTRUCTIVE.test(tool.name)) reasons.push(`its name says it deletes or destroys ("${tool.name}")`);
  if (reasons.length > 0) return { category: 'destructive', level: 'high', reasons };
  if (EXECUTES.test(tool.name)) {
    return {
      category: 'executes',
      level: 'high',
      reasons: [`its name says it runs or deploys something ("${tool.name}")`],
    };
  }
  if (a.readOnlyHint === true)
    return { category: 'read-only', level: 'low', reasons: ['the server marks it read-only'] };
  if (WRITES.test(tool.name)) {
    return {
      category: 'writes',
      level: 'medium',
      reasons: [`its name says it changes something ("${tool.name}")`],
    };
  }
  if (READS.test(tool.name))
    return { category: 'reads', level: 'low', reasons: [`its name says it only reads ("${tool.name}")`] };
  if (a.openWorldHint === true)
    return { category: 'external', level: 'medium', reasons: ['the server says it reaches outside systems'] };
  return {
    category: 'unknown',
    level: 'medium',
    reasons: ['neither its name nor the server says what it does'],
  };
}
