// Clients that try OAuth after a 401 (the MCP SDK's auth flow, mcp-remote, VS Code) show Gatehouse's own words: send
// a grant token, and how to create one with this checkout's launcher by absolute path.
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import type { OAuthClientProvider } from '@modelcontextprotocol/sdk/client/auth.js';
import { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import { CLI, exitOf, REPO_ROOT, scratchpad } from '../../helpers/gateway-fixture.js';

const scratch = scratchpad();
const CREATE = `create one with \`node ${CLI} grant add NAME\``;
const NO_OAUTH = 'Gatehouse does not use OAuth: send `Authorization: Bearer <grant token>`';

async function serving() {
  const h = scratch.home();
  return (await scratch.serve(h.home)).runtime.mcpUrl;
}

/** What `client.connect` fails with. */
async function connectError(
  mcpUrl: string,
  options: ConstructorParameters<typeof StreamableHTTPClientTransport>[1],
) {
  const client = new Client({ name: 'oauth-probe-test', version: '1.0.0' });
  const error = await client.connect(new StreamableHTTPClientTransport(new URL(mcpUrl), options)).then(
    () => undefined,
    (err: Error) => err,
  );
  await client.close();
  return error?.message ?? 'connected';
}

/** An OAuth client as VS Code's: nothing stored, so it discovers and registers. */
function oauthProvider(): OAuthClientProvider {
  let info: Awaited<ReturnType<OAuthClientProvider['clientInformation']>>;
  return {
    redirectUrl: 'http://127.0.0.1:9/callback',
    clientMetadata: { redirect_uris: ['http://127.0.0.1:9/callback'], client_name: 'probe' },
    clientInformation: () => info,
    saveClientInformation: (value) => void (info = value),
    tokens: () => undefined,
    saveTokens: () => undefined,
    redirectToAuthorization: () => {
      throw new Error('no authorization page was expected');
    },
    saveCodeVerifier: () => undefined,
    codeVerifier: () => 'verifier',
  };
}

describe('a client without a valid grant token', () => {
  it('the SDK client without OAuth: the 401 says what to send and how to create a token', async () => {
    const mcpUrl = await serving();
    const none = await connectError(mcpUrl, {});
    expect(none).toContain('missing bearer token');
    expect(none).toContain(NO_OAUTH);
    expect(none).toContain(CREATE);
    const wrong = await connectError(mcpUrl, {
      requestInit: { headers: { Authorization: 'Bearer gh_wrong' } },
    });
    expect(wrong).toContain('unknown or revoked grant token');
    expect(wrong).toContain(CREATE);
  });

  it('the SDK client with OAuth: discovery finds nothing, registration is refused in our words', async () => {
    const mcpUrl = await serving();
    const message = await connectError(mcpUrl, {
      authProvider: oauthProvider(),
      requestInit: { headers: { Authorization: 'Bearer gh_wrong' } },
    });
    expect(message).toBe(`${NO_OAUTH}; missing, unknown or revoked grant token: ${CREATE}`);
  });

  it('each OAuth endpoint answers an OAuth error whose description says what to do', async () => {
    const mcpUrl = await serving();
    const unauthorized = await fetch(mcpUrl, {
      method: 'POST',
      headers: { Authorization: 'Bearer gh_wrong' },
    });
    expect(unauthorized.status).toBe(401);
    expect(unauthorized.headers.get('www-authenticate')).toBe(
      `Bearer realm="gatehouse", error="invalid_token", error_description="${NO_OAUTH}; missing, unknown or revoked grant token: ${CREATE}"`,
    );
    const answers: [string, string, number, string][] = [
      ['GET', '/.well-known/oauth-protected-resource', 404, 'not_found'],
      ['GET', '/.well-known/oauth-protected-resource/mcp', 404, 'not_found'],
      ['GET', '/.well-known/oauth-authorization-server', 404, 'not_found'],
      ['GET', '/.well-known/openid-configuration', 404, 'not_found'],
      ['POST', '/register', 400, 'access_denied'],
      ['GET', '/authorize?response_type=code', 400, 'access_denied'],
      ['POST', '/token', 400, 'access_denied'],
    ];
    for (const [method, route, status, error] of answers) {
      const res = await fetch(new URL(route, mcpUrl), { method });
      expect([route, res.status]).toEqual([route, status]);
      expect(await res.json()).toEqual({
        error,
        error_description: expect.stringContaining(CREATE) as string,
      });
    }
  });

  it('mcp-remote with a wrong header prints our words', async () => {
    const mcpUrl = await serving();
    const configDir = fs.mkdtempSync(path.join(os.tmpdir(), 'gatehouse-mcp-remote-'));
    const child = spawn(
      process.execPath,
      [
        path.join(REPO_ROOT, 'node_modules', 'mcp-remote', 'dist', 'proxy.js'),
        mcpUrl,
        '--header',
        'Authorization: Bearer gh_wrong',
        '--allow-http',
      ],
      { env: { ...process.env, MCP_REMOTE_CONFIG_DIR: configDir }, stdio: ['pipe', 'ignore', 'pipe'] },
    );
    let stderr = '';
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    const timer = setTimeout(() => child.kill('SIGKILL'), 20_000);
    await exitOf(child);
    clearTimeout(timer);
    fs.rmSync(configDir, { recursive: true, force: true });
    expect(stderr).toContain(`${NO_OAUTH}; missing, unknown or revoked grant token: ${CREATE}`);
  });
});
