// What Gatehouse says of itself to MCP clients: its name, version and the capabilities of its client sessions (the
// gateway's sessions and the bridge's stdio server both offer these).
export const GATEHOUSE_VERSION = '0.1.0';

export const SERVER_INFO = { name: 'gatehouse', version: GATEHOUSE_VERSION };

/**
 * What the gateway's client sessions can do: everything an upstream may offer, under the policy — tools/call also as
 * a task, and tasks/get, tasks/result, tasks/list and tasks/cancel for the session's grant's own tasks.
 */
export const SESSION_CAPABILITIES = {
  tools: { listChanged: true },
  resources: { subscribe: true, listChanged: true },
  prompts: { listChanged: true },
  completions: {},
  logging: {},
  tasks: { list: {}, cancel: {}, requests: { tools: { call: {} } } },
};
