// `Gatehouse --bridge --grant NAME [--server S] [--home DIR]`: the packaged app is its own stdio bridge for Claude
// Desktop (DESIGN.md §3), so no system `node` is needed and the RunAsNode fuse stays off. Handled before the
// single-instance lock: a bridge is not a second instance of the app, and opens no window and no tray.
import { parseArgs } from 'node:util';
import type { BridgeOptions } from '../gateway/bridge/bridge.js';
import { defaultHomeDir } from '../gateway/home/paths.js';

/** The arguments after `--bridge`, or undefined when the app was not started as a bridge. */
export function bridgeArgsOf(argv: readonly string[]): string[] | undefined {
  const at = argv.indexOf('--bridge');
  return at < 0 ? undefined : argv.slice(at + 1);
}

/** The options of `gatehouse bridge`, from the arguments after `--bridge`; an error names what is wrong. */
export function bridgeOptionsOf(args: string[], env: NodeJS.ProcessEnv = process.env): BridgeOptions {
  const { values } = parseArgs({
    args,
    options: { grant: { type: 'string' }, server: { type: 'string' }, home: { type: 'string' } },
    strict: true,
    allowPositionals: false,
  });
  if (!values.grant) throw new Error('--bridge needs --grant NAME (the grant the calls are made as)');
  return {
    home: values.home ?? defaultHomeDir(env),
    grant: values.grant,
    ...(values.server ? { server: values.server } : {}),
  };
}
