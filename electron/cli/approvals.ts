// `gatehouse approvals [--watch]` (DESIGN.md §3, §6): what waits for a person, answered by key in a terminal — the
// same reach as the tray's popup where there is no Electron (a headless gateway, an SSH box). One request is shown
// at a time, the one whose client stops waiting first; keys typed before it was shown, or within a second of it,
// never answer it. With --watch new requests are followed as they come; without it the command ends when every
// waiting request was answered or skipped.
import type { Command } from 'commander';
import type { PendingApproval } from '../../shared/api/approvals.js';
import type { EventPayload } from '../../shared/api/events.js';
import type { GatehouseApi } from '../../shared/api/operations.js';
import { errorMessage, findGateway, gatewayClient, NoGatewayError } from '../gateway/control/client.js';
import { homePaths } from '../gateway/home/paths.js';
import { actionOfKey, byExpiry, formatApproval, KEY_HELP } from './approval-text.js';
import type { CliContext } from './servers.js';

/** A key pressed sooner than this after a request is shown is ignored: no answer to something not yet read. */
const READ_FIRST_MS = 1000;

interface Terminal {
  write(text: string): void;
  /** Calls back with each key (a TTY in raw mode) or each character of each line (a pipe). */
  onKey(listener: (key: string) => void): void;
  close(): void;
}

function processTerminal(): Terminal {
  const { stdin, stdout } = process;
  if (stdin.isTTY) stdin.setRawMode(true);
  stdin.setEncoding('utf8');
  return {
    write: (text) => void stdout.write(text),
    onKey: (listener) => {
      stdin.on('data', (chunk: string) => {
        for (const key of chunk) if (key !== '\n' && key !== '\r') listener(key);
      });
      stdin.on('end', () => listener('\u0004'));
    },
    close: () => {
      if (stdin.isTTY) stdin.setRawMode(false);
      stdin.pause();
    },
  };
}

class TerminalApprovals {
  private queue: PendingApproval[] = [];
  private readonly skipped = new Set<string>();
  private current: { approval: PendingApproval; shownAt: number } | undefined;
  private answering = false;
  private finish!: () => void;
  readonly done = new Promise<void>((resolve) => (this.finish = resolve));

  constructor(
    private readonly api: GatehouseApi,
    private readonly terminal: Terminal,
    private readonly watch: boolean,
  ) {}

  add(approvals: readonly PendingApproval[]): void {
    const known = new Set(this.queue.map((a) => a.id));
    this.queue = byExpiry([...this.queue, ...approvals.filter((a) => !known.has(a.id))]);
    if (!this.current) this.showNext();
  }

  /** Answered elsewhere (the dashboard, the popup, a timeout): gone from the queue, said if it was on screen. */
  resolved(id: string, outcome: string): void {
    this.queue = this.queue.filter((a) => a.id !== id);
    if (this.current?.approval.id !== id || this.answering) return;
    this.terminal.write(`\n  → ${outcome} elsewhere\n`);
    this.current = undefined;
    this.showNext();
  }

  key(key: string): void {
    const action = actionOfKey(key);
    if (action === 'quit') return this.stop();
    const current = this.current;
    if (!current || this.answering || action === undefined) return;
    if (Date.now() - current.shownAt < READ_FIRST_MS) return;
    if (action === 'skip') {
      this.skipped.add(current.approval.id);
      this.terminal.write('  → skipped: it still waits in the dashboard\n');
      this.current = undefined;
      this.showNext();
      return;
    }
    this.answering = true;
    const { id } = current.approval;
    this.api
      .answerApproval({ id, ...action.answer })
      .then(
        () => this.terminal.write(`  → ${action.said}\n`),
        (err: unknown) => this.terminal.write(`  → not answered: ${errorMessage(err)}\n`),
      )
      .finally(() => {
        this.answering = false;
        this.queue = this.queue.filter((a) => a.id !== id);
        this.current = undefined;
        this.showNext();
      });
  }

  stop(): void {
    this.current = undefined;
    this.finish();
  }

  private showNext(): void {
    const next = this.queue.find((a) => !this.skipped.has(a.id));
    if (!next) {
      if (this.watch) this.terminal.write('\nWaiting for approval requests… ([q] quits)\n');
      else {
        this.terminal.write(this.skipped.size > 0 ? '\nNo other approvals waiting.\n' : '');
        this.stop();
      }
      return;
    }
    const waiting = this.queue.filter((a) => !this.skipped.has(a.id)).length;
    const position = `Approval request${waiting > 1 ? ` (1 of ${waiting} waiting)` : ''}`;
    this.current = { approval: next, shownAt: Date.now() };
    this.terminal.write(`\n${formatApproval(next, position, Date.now())}\n${KEY_HELP}\n`);
  }
}

async function runApprovals(api: GatehouseApi, watch: boolean): Promise<void> {
  const { approvals } = await api.listApprovals({});
  if (approvals.length === 0 && !watch) {
    process.stdout.write('No approvals waiting.\n');
    return;
  }
  const terminal = processTerminal();
  const session = new TerminalApprovals(api, terminal, watch);
  terminal.onKey((key) => session.key(key));
  const stream = new AbortController();
  if (watch) {
    void api
      .subscribe(
        (event) => {
          if (event.type !== 'approval') return;
          const { state, approval, outcome } = event.data as EventPayload<'approval'>;
          if (state === 'pending') session.add([approval]);
          else session.resolved(approval.id, outcome ?? 'answered');
        },
        {
          signal: stream.signal,
          onStatus: ({ connected, error }) => {
            if (!connected)
              terminal.write(
                `\n(the gateway cannot be reached${error ? `: ${error.message}` : ''}; retrying)\n`,
              );
          },
        },
      )
      .catch((err: unknown) => {
        terminal.write(`\ngatehouse: ${errorMessage(err)}\n`);
        session.stop();
      });
  }
  session.add(approvals);
  await session.done;
  stream.abort();
  terminal.close();
}

export function addApprovalsCommand(program: Command, ctx: CliContext): void {
  program
    .command('approvals')
    .description('what waits for a person, answered by key: a approve, d deny, 1 for 15 minutes, s skip')
    .option('--watch', 'keep running and show new requests as they come')
    .action(async (opts: { watch?: boolean }, command: Command) => {
      const paths = homePaths(ctx.homeOf(command));
      const runtime = await findGateway(paths);
      if (!runtime) ctx.fail(new NoGatewayError(paths.home).message);
      // Its errors end the command like any other's (cli/errors.ts): in one line, with the fix.
      await runApprovals(gatewayClient(runtime), opts.watch === true);
    });
}
