// Which requests are OAuth's probes, and a WWW-Authenticate header that stays valid whatever the install's path.
import { describe, expect, it } from 'vitest';
import {
  grantTokenHint,
  isOAuthProbe,
  wwwAuthenticate,
} from '../../../electron/gateway/front/oauth-probes.js';

describe('OAuth probes', () => {
  it('are the metadata documents (with a resource path or not) and the guessed endpoints, nothing else', () => {
    for (const probe of [
      '/.well-known/oauth-protected-resource',
      '/.well-known/oauth-protected-resource/mcp',
      '/.well-known/oauth-authorization-server',
      '/.well-known/oauth-authorization-server/mcp',
      '/.well-known/openid-configuration',
      '/register',
      '/authorize',
      '/token/',
    ]) {
      expect([probe, isOAuthProbe(probe)]).toEqual([probe, true]);
    }
    for (const other of [
      '/',
      '/mcp',
      '/api/health',
      '/registered',
      '/.well-known/security.txt',
      '/assets/token.js',
    ]) {
      expect([other, isOAuthProbe(other)]).toEqual([other, false]);
    }
  });

  it('the 401 header keeps to the characters RFC 6750 allows in a description', () => {
    const hint = grantTokenHint('node "/Users/José/My Apps/bin/gatehouse.js" grant add NAME');
    expect(wwwAuthenticate(hint)).toBe(
      'Bearer realm="gatehouse", error="invalid_token", error_description="Gatehouse does not use OAuth: send ' +
        '`Authorization: Bearer <grant token>`; missing, unknown or revoked grant token: create one with ' +
        '`node ?/Users/Jos?/My Apps/bin/gatehouse.js? grant add NAME`"',
    );
  });

  it('without a command of this install (the tray app), points to the dashboard, never to a bare command', () => {
    const hint = grantTokenHint(undefined);
    expect(hint).toContain('create one in the Gatehouse dashboard (Clients: Create a grant)');
    expect(hint).not.toMatch(/gatehouse grant/);
  });
});
