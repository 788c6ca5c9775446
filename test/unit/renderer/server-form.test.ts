import { describe, expect, it } from 'vitest';
import { maskServerConfig } from '../../../electron/gateway/control/mask';
import {
  EMPTY_SERVER_FORM,
  NAME_RULE,
  MASK,
  formOf,
  parseArgs,
  parseEnv,
  parseHeaders,
  readServerForm,
  withDisabled,
  type ServerForm,
} from '../../../renderer/src/lib/server-form';

const form = (changes: Partial<ServerForm>): ServerForm => ({ ...EMPTY_SERVER_FORM, ...changes });

describe('the Add a server form', () => {
  it('reads a command and its arguments, one per line, kept exactly', () => {
    expect(
      readServerForm(
        form({ name: 'mem', command: ' node ', args: '/opt/x/index.js\n\n  --root "a b"\r\n--flag=1 \n' }),
      ),
    ).toEqual({
      ok: true,
      name: 'mem',
      config: { command: 'node', args: ['/opt/x/index.js', '  --root "a b"', '--flag=1 '] },
    });
    expect(readServerForm(form({ name: 'a', command: 'uvx' }))).toEqual({
      ok: true,
      name: 'a',
      config: { command: 'uvx' },
    });
    // A program path with spaces stays one program.
    expect(readServerForm(form({ name: 'w', command: 'C:\\Program Files\\node.exe' }))).toMatchObject({
      ok: true,
    });
    expect(parseArgs('  \n\n')).toEqual([]);
  });

  it('refuses a bad name, a missing command and a whole command line typed as the program', () => {
    expect(readServerForm(form({ name: 'Bad Name', command: 'node' }))).toEqual({
      ok: false,
      errors: [{ field: 'name', message: NAME_RULE }],
    });
    for (const name of ['-x', 'a'.repeat(33), 'a_b', 'ÄB']) {
      expect(readServerForm(form({ name, command: 'node' })).ok).toBe(false);
    }
    expect(readServerForm(form({ name: 'a'.repeat(32), command: 'node' })).ok).toBe(true);
    expect(readServerForm(form({}))).toEqual({
      ok: false,
      errors: [
        { field: 'name', message: 'Give the server a name.' },
        { field: 'command', message: expect.stringMatching(/command to run/) as unknown as string },
      ],
    });
    const whole = readServerForm(form({ name: 'x', command: 'npx -y @scope/pkg' }));
    expect(whole).toEqual({
      ok: false,
      errors: [{ field: 'command', message: expect.stringMatching(/program alone/) as unknown as string }],
    });
  });

  it('reads a URL with headers, and refuses what does not parse', () => {
    expect(
      readServerForm(
        form({
          name: 'remote',
          kind: 'url',
          url: ' https://example.com/mcp ',
          headers: 'Authorization: Bearer abc:def\n\nX-Team:  blue ',
          command: 'ignored',
        }),
      ),
    ).toEqual({
      ok: true,
      name: 'remote',
      config: {
        url: 'https://example.com/mcp',
        headers: { Authorization: 'Bearer abc:def', 'X-Team': 'blue' },
      },
    });
    expect(readServerForm(form({ name: 'r', kind: 'url', url: 'http://127.0.0.1:8080' }))).toEqual({
      ok: true,
      name: 'r',
      config: { url: 'http://127.0.0.1:8080' },
    });
    for (const url of ['example.com/mcp', 'not a url', 'ftp://example.com', 'file:///etc/passwd']) {
      const result = readServerForm(form({ name: 'r', kind: 'url', url }));
      expect(result).toEqual({
        ok: false,
        errors: [{ field: 'url', message: expect.stringMatching(/is not a URL/) as unknown as string }],
      });
    }
    expect(readServerForm(form({ name: 'r', kind: 'url' }))).toMatchObject({
      ok: false,
      errors: [{ field: 'url' }],
    });
    expect(parseHeaders('Authorization Bearer x')).toEqual({ error: expect.stringMatching(/^Line 1 /) });
    expect(parseHeaders('A: 1\n: 2')).toEqual({ error: expect.stringMatching(/^Line 2 /) });
    expect(parseHeaders('A: 1\nA: 2')).toEqual({ error: expect.stringMatching(/given twice/) });
    expect(
      readServerForm(form({ name: 'r', kind: 'url', url: 'https://x.test', headers: 'nope' })),
    ).toMatchObject({ ok: false, errors: [{ field: 'headers' }] });
  });
});

describe('the edit form', () => {
  const stored = {
    command: 'node',
    args: ['x.js', '--api-key', 'sk-live-123456'],
    cwd: '/srv',
    env: { TOKEN: 'abcdefgh', DEBUG: '1' },
    toolPrefix: 'm_',
    disabled: true,
  };

  it('is prefilled from the config as shown, secrets masked, and reads back to the same config', () => {
    const shown = maskServerConfig(stored);
    const filled = formOf('db', shown);
    expect(filled).toEqual({
      ...EMPTY_SERVER_FORM,
      name: 'db',
      command: 'node',
      args: `x.js\n--api-key\n${MASK}`,
      cwd: '/srv',
      env: `TOKEN=${MASK}\nDEBUG=${MASK}`,
    });
    expect(JSON.stringify(filled)).not.toMatch(/sk-live|abcdefgh/);
    // The keys it does not show (toolPrefix, disabled) are kept.
    expect(readServerForm(filled, shown)).toEqual({ ok: true, name: 'db', config: shown });
    expect(readServerForm({ ...filled, env: `TOKEN=new-one\nDEBUG=${MASK}`, cwd: '' }, shown)).toEqual({
      ok: true,
      name: 'db',
      config: { ...shown, cwd: undefined, env: { TOKEN: 'new-one', DEBUG: MASK } },
    });
  });

  it('is prefilled for a URL with its headers, and drops the stdio keys when switched to a URL', () => {
    const shown = maskServerConfig({
      url: 'https://example.com/mcp',
      headers: { A: 'b-123456' },
      type: 'http',
    });
    expect(formOf('r', shown)).toMatchObject({
      kind: 'url',
      url: 'https://example.com/mcp',
      headers: `A: ${MASK}`,
    });
    const switched = readServerForm(
      { ...formOf('db', maskServerConfig(stored)), kind: 'url', url: 'https://x.test/mcp' },
      maskServerConfig(stored),
    );
    expect(switched).toEqual({
      ok: true,
      name: 'db',
      config: { url: 'https://x.test/mcp', toolPrefix: 'm_', disabled: true },
    });
  });

  it('reads environment variables, one NAME=value per line, and names a bad line', () => {
    expect(parseEnv('A=1\n\nB_2 = x=y ')).toEqual({ env: { A: '1', B_2: 'x=y' } });
    expect(parseEnv('A 1')).toEqual({
      error: expect.stringMatching(/^Line 1 is not a variable: write it as NAME=value/),
    });
    expect(parseEnv('A=1\nA=2')).toEqual({ error: '"A" is given twice (line 2).' });
    expect(readServerForm(form({ name: 'x', command: 'node', env: '1A=2' }))).toMatchObject({
      ok: false,
      errors: [{ field: 'env' }],
    });
  });
});

describe('the enable switch', () => {
  it('sets and removes disabled on the config as shown, masks included (the gateway keeps the secrets)', () => {
    const plain = maskServerConfig({ command: 'node', args: ['x.js'], toolPrefix: 'm_' });
    expect(withDisabled(plain, true)).toEqual({
      config: { command: 'node', args: ['x.js'], toolPrefix: 'm_', disabled: true },
    });
    expect(withDisabled({ ...plain, disabled: true }, false)).toEqual({
      config: { command: 'node', args: ['x.js'], toolPrefix: 'm_' },
    });
    const secret = maskServerConfig({ command: 'node', env: { TOKEN: 'abcdefgh' } });
    expect(withDisabled(secret, true)).toEqual({
      config: { command: 'node', env: { TOKEN: MASK }, disabled: true },
    });
    expect(withDisabled({ command: '' }, true)).toMatchObject({ refused: expect.any(String) as unknown });
  });
});
