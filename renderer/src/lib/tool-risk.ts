// The Tools view's risk: a tool's class in words, the filter by level and the order riskiest first. Pure.
import type { ToolInfo } from '../../../shared/api/operations';

type Level = ToolInfo['risk']['level'];

const LEVEL_RANK: Record<Level, number> = { low: 0, medium: 1, high: 2 };

/** The risk filter's choices: the lowest level shown ('' shows every tool). */
export const RISK_FILTERS: readonly { value: '' | Level; label: string }[] = [
  { value: '', label: 'Any risk' },
  { value: 'medium', label: 'Medium and high risk' },
  { value: 'high', label: 'High risk only' },
];

/** "Destructive · high", the badge's words. */
export function riskWords(risk: ToolInfo['risk']): string {
  return `${risk.category.charAt(0).toUpperCase()}${risk.category.slice(1)} · ${risk.level}`;
}

/** The badge's title: why the tool was put in its class. */
export function riskTitle(risk: ToolInfo['risk']): string {
  const why = risk.reasons.length > 0 ? risk.reasons.join('; ') : 'no sign of risk found';
  return `${risk.level} risk (${risk.category}): ${why}`;
}

/**
 * The tools at or above `lowest` level, and, when `riskiestFirst`, ordered high to low (a stable sort: the order
 * within a level stays the catalog's). The input is returned as it is when neither applies.
 */
export function toolsByRisk(
  tools: readonly ToolInfo[],
  lowest: '' | Level,
  riskiestFirst: boolean,
): readonly ToolInfo[] {
  const kept = lowest === '' ? tools : tools.filter((t) => LEVEL_RANK[t.risk.level] >= LEVEL_RANK[lowest]);
  if (!riskiestFirst) return kept;
  return [...kept].sort((a, b) => LEVEL_RANK[b.risk.level] - LEVEL_RANK[a.risk.level]);
}
