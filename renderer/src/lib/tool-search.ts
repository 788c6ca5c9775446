// The Tools view's search: which tools match what was typed. Every word must appear (any order, any case) in the
// tool's name, its server, its exposed name, its description, its action or the rule that decides it. Pure.
import type { ToolInfo } from '../../../shared/api/operations';

const ACTION_WORDS: Record<ToolInfo['action'], string> = {
  allow: 'allow',
  approve: 'ask approve',
  deny: 'deny',
};

function haystackOf(tool: ToolInfo): string {
  return [
    tool.tool,
    tool.server,
    tool.exposedName,
    tool.description ?? '',
    ACTION_WORDS[tool.action],
    tool.rule,
  ]
    .join('\n')
    .toLowerCase();
}

export function searchTools(tools: readonly ToolInfo[], query: string): readonly ToolInfo[] {
  const words = query.toLowerCase().split(/\s+/).filter(Boolean);
  if (words.length === 0) return tools;
  return tools.filter((tool) => {
    const haystack = haystackOf(tool);
    return words.every((word) => haystack.includes(word));
  });
}
