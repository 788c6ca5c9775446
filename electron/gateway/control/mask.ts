// Secrets of servers.json never leave the gateway: env values and header values are masked in every API answer.
import type { ServerConfig } from '../../../shared/servers.js';

const MASK = '••••••';

export function maskServerConfig(config: ServerConfig): Record<string, unknown> {
  const out: Record<string, unknown> = { ...config };
  if ('env' in config && config.env)
    out.env = Object.fromEntries(Object.keys(config.env).map((k) => [k, MASK]));
  if ('headers' in config && config.headers) {
    out.headers = Object.fromEntries(Object.keys(config.headers).map((k) => [k, MASK]));
  }
  if ('url' in config) {
    try {
      const url = new URL(config.url);
      if (url.password) url.password = MASK;
      for (const key of [...url.searchParams.keys()]) url.searchParams.set(key, MASK);
      out.url = url.toString();
    } catch {
      out.url = MASK;
    }
  }
  return out;
}
