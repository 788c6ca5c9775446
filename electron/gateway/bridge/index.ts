// The bridge: a stdio MCP server for clients that only launch stdio servers (Claude Desktop), forwarding to the
// running gateway as a grant. `runBridge` is what `gatehouse bridge` runs.
export { runBridge } from './bridge.js';
