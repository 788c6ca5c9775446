// The dashboard shell. Until its views land, it says plainly what exists today and how to use it.
export function App() {
  return (
    <main
      style={{ fontFamily: 'system-ui, sans-serif', maxWidth: 640, margin: '3rem auto', lineHeight: 1.5 }}
    >
      <h1>Gatehouse</h1>
      <p>
        The dashboard is not built yet. The gateway is running: connect MCP clients to <code>/mcp</code> with
        a grant token (<code>gatehouse grant add NAME</code>) and read every decision in the call log under{' '}
        <code>logs/</code> in the Gatehouse home directory.
      </p>
    </main>
  );
}
