import { describe, expect, it } from 'vitest';
import { mayAskInClient, type ElicitingClient } from '../../../electron/gateway/approvals/elicitation.js';
import { classifyTool } from '../../../electron/gateway/risk/classify.js';

const client = (elicitation: boolean) =>
  ({ capabilities: elicitation ? { elicitation: {} } : {} }) as unknown as ElicitingClient;

describe('approving inside the client', () => {
  it('is asked only when enabled, supported by the client, and never for a destructive tool', () => {
    const safe = classifyTool({ name: 'list_stacks' });
    const destructive = classifyTool({ name: 'delete_stack' });
    const marked = classifyTool({ name: 'tidy', annotations: { destructiveHint: true } });
    expect(mayAskInClient(true, safe, client(true))).toBe(true);
    expect(mayAskInClient(false, safe, client(true))).toBe(false);
    expect(mayAskInClient(true, safe, client(false))).toBe(false);
    expect(mayAskInClient(true, safe, undefined)).toBe(false);
    expect(mayAskInClient(true, destructive, client(true))).toBe(false);
    expect(mayAskInClient(true, marked, client(true))).toBe(false);
  });
});
