import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { APP_CSP, createAppHandler, registerAppScheme } from '../../../electron/shell/protocol.js';

const base = fs.mkdtempSync(path.join(os.tmpdir(), 'gatehouse-protocol-'));
const root = path.join(base, 'renderer');
fs.mkdirSync(path.join(root, 'assets'), { recursive: true });
fs.writeFileSync(path.join(root, 'index.html'), '<!doctype html><title>Gatehouse</title>');
fs.writeFileSync(path.join(root, 'assets', 'index-1.js'), 'export {};');
fs.writeFileSync(path.join(root, 'assets', 'index-1.css'), 'body{}');
fs.writeFileSync(path.join(root, 'favicon.svg'), '<svg/>');
fs.writeFileSync(path.join(root, 'assets', 'blob.bin'), 'x');
fs.writeFileSync(path.join(base, 'secret.txt'), 'not for the page');
fs.symlinkSync(path.join(base, 'secret.txt'), path.join(root, 'link.txt'));
afterAll(() => fs.rmSync(base, { recursive: true, force: true }));

const serve = createAppHandler(root);
const get = (url: string, method = 'GET') => serve(new Request(url, { method }));

describe('the gatehouse: protocol', () => {
  it('registers gatehouse: as a standard, secure scheme', () => {
    const registered: unknown[] = [];
    registerAppScheme({ registerSchemesAsPrivileged: (s) => registered.push(...s), handle: () => undefined });
    expect(registered).toEqual([
      { scheme: 'gatehouse', privileges: { standard: true, secure: true, supportFetchAPI: true } },
    ]);
  });

  it('serves the dashboard’s index at / with its CSP', async () => {
    const res = await get('gatehouse://app/?mcp=x#calls');
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('text/html; charset=utf-8');
    expect(res.headers.get('content-security-policy')).toBe(APP_CSP);
    expect(APP_CSP).toContain("default-src 'self'");
    expect(APP_CSP).toContain("script-src 'self'");
    expect(APP_CSP).not.toMatch(/unsafe-eval|script-src[^;]*unsafe-inline/);
    expect(await res.text()).toContain('<title>Gatehouse</title>');
  });

  it('gives each file its MIME type (no CSP but on HTML) and refuses sniffing', async () => {
    const types = await Promise.all(
      ['assets/index-1.js', 'assets/index-1.css', 'favicon.svg', 'assets/blob.bin'].map(async (file) => {
        const res = await get(`gatehouse://app/${file}`);
        expect(res.headers.get('x-content-type-options')).toBe('nosniff');
        expect(res.headers.get('content-security-policy')).toBeNull();
        return res.headers.get('content-type');
      }),
    );
    expect(types).toEqual([
      'text/javascript; charset=utf-8',
      'text/css; charset=utf-8',
      'image/svg+xml',
      'application/octet-stream',
    ]);
  });

  it('answers HEAD without a body and refuses other methods', async () => {
    const head = await get('gatehouse://app/index.html', 'HEAD');
    expect(head.status).toBe(200);
    expect(await head.text()).toBe('');
    expect((await get('gatehouse://app/index.html', 'POST')).status).toBe(405);
  });

  it('never leaves dist/renderer: .., encoded or not, and symlinks out are 404', async () => {
    for (const url of [
      'gatehouse://app/../secret.txt',
      'gatehouse://app/%2e%2e/secret.txt',
      'gatehouse://app/assets/..%2f..%2fsecret.txt',
      'gatehouse://app/..%5c..%5csecret.txt',
      'gatehouse://app/%2e%2e%2f%2e%2e%2f%2e%2e%2fetc%2fpasswd',
      'gatehouse://app/link.txt',
      'gatehouse://app/%00index.html',
      'gatehouse://app/%E0%A4%A',
    ]) {
      const res = await get(url);
      expect([url, res.status]).toEqual([url, 404]);
      expect(await res.text()).not.toContain('not for the page');
    }
  });

  it('answers 404 for a missing file, a folder, another host and a dashboard not built', async () => {
    expect((await get('gatehouse://app/nothing.js')).status).toBe(404);
    expect((await get('gatehouse://app/assets')).status).toBe(404);
    expect((await get('gatehouse://other/index.html')).status).toBe(404);
    const unbuilt = createAppHandler(path.join(base, 'no-build'));
    expect((await unbuilt(new Request('gatehouse://app/'))).status).toBe(404);
  });
});
