// The files of the home a running gateway is configured by — policy.json, servers.json, grants.json, settings.json —
// read at start, watched, and applied again when they change. A file that cannot be read or is invalid leaves the
// last good state in force, and says so.
import type { ServersFile } from '../../../shared/servers.js';
import type { Settings } from '../../../shared/settings.js';
import { readGrants, type GrantEntry } from '../grants/store.js';
import { loadServers, loadSettings } from '../home/index.js';
import type { HomePaths } from '../home/paths.js';
import { loadPolicyFile, PolicyHolder, type PolicyInForce } from '../policy/holder.js';
import { noLocalRules, teamPolicyInForce, type TeamPolicyInput } from '../policy/team-overlay.js';
import { plural } from '../text/plural.js';
import { ConfigWatcher } from './config-watch.js';

/** What the rest of the gateway does when a file brings something new. */
export interface HomeReactions {
  policyChanged: (next: PolicyInForce) => void;
  serversChanged: (servers: ServersFile) => void;
  grantsRevoked: (names: string[]) => void;
  settingsChanged: (next: Settings) => void;
}

export class HomeFiles {
  readonly policy: PolicyHolder;
  /** policy.json as last read valid: the policy in force, unless the team's policy decides (team mode). */
  private local: PolicyInForce;
  private team: TeamPolicyInput | undefined;
  private currentSettings: Settings;
  private currentServers: ServersFile;
  private currentGrants: GrantEntry[];
  private watcher: ConfigWatcher | undefined;

  /** Reads every file; throws (naming the file and the problem) when one cannot be used at start. */
  constructor(
    private readonly paths: HomePaths,
    private readonly diagnostics: (line: string) => void,
    private readonly reactions: HomeReactions,
  ) {
    this.currentSettings = loadSettings(paths);
    this.local = this.firstLocalPolicy();
    this.policy = new PolicyHolder(this.local);
    this.currentServers = loadServers(paths);
    this.currentGrants = readGrants(paths.grants);
  }

  /**
   * policy.json at start. In team mode an invalid file does not stop the gateway: the team's policy decides, and the
   * file adds no rule until it is mended.
   */
  private firstLocalPolicy(): PolicyInForce {
    try {
      return loadPolicyFile(this.paths.policy);
    } catch (err) {
      if (!this.currentSettings.policySource) throw err;
      this.diagnostics(
        `${(err as Error).message}\nthe team's policy decides; policy.json adds nothing until it is valid`,
      );
      return noLocalRules();
    }
  }

  get settings(): Settings {
    return this.currentSettings;
  }

  get servers(): ServersFile {
    return this.currentServers;
  }

  get grants(): GrantEntry[] {
    return this.currentGrants;
  }

  /** Starts watching; resolves once the watcher is ready. */
  async watch(): Promise<void> {
    this.watcher = new ConfigWatcher(
      [
        { path: this.paths.policy, onChange: (event) => this.reloadPolicy(event) },
        { path: this.paths.servers, onChange: () => this.reloadServers() },
        { path: this.paths.grants, onChange: () => this.reloadGrants() },
        { path: this.paths.settings, onChange: () => this.reloadSettings() },
      ],
      this.diagnostics,
    );
    await this.watcher.ready();
  }

  async close(): Promise<void> {
    await this.watcher?.close();
  }

  /** A valid policy applies at once; an invalid or deleted one leaves the last good policy in force, and says so. */
  reloadPolicy(event: 'change' | 'unlink' = 'change'): boolean {
    const current = this.local;
    if (event === 'unlink') {
      this.diagnostics(
        `${this.paths.policy} was deleted; still enforcing the last good policy (version ${current.version})`,
      );
      return false;
    }
    let next;
    try {
      next = loadPolicyFile(this.paths.policy);
    } catch (err) {
      this.diagnostics(
        `${(err as Error).message}\nstill enforcing the last good policy (version ${current.version})`,
      );
      return false;
    }
    this.local = next;
    if (this.team) this.applyTeam(this.team);
    else this.install(next, `policy reloaded: version ${next.version} (was ${current.version})`);
    return true;
  }

  /**
   * Team mode (settings.json `policySource`): the team's policy decides, with the local file's deny rules where the
   * team allows them; `undefined` ends team mode and policy.json is in force again.
   */
  setTeamPolicy(team: TeamPolicyInput | undefined): void {
    this.team = team;
    if (team) this.applyTeam(team);
    else this.install(this.local, `policy.json in force again: version ${this.local.version}`);
  }

  private applyTeam(team: TeamPolicyInput): void {
    const { inForce, localDenies, localIgnored } = teamPolicyInForce(team, this.local.text);
    const local =
      localDenies > 0
        ? `, with ${plural(localDenies, 'deny rule')} of policy.json`
        : localIgnored > 0
          ? `; policy.json's ${plural(localIgnored, 'rule')} left out`
          : '';
    this.install(inForce, `team policy in force: version ${inForce.version}${local}`);
  }

  private install(next: PolicyInForce, line: string): void {
    const current = this.policy.get();
    if (next.version === current.version) return;
    this.policy.set(next);
    this.diagnostics(line);
    this.reactions.policyChanged(next);
  }

  reloadSettings(): void {
    try {
      const next = loadSettings(this.paths);
      if (next.port !== this.currentSettings.port) {
        this.diagnostics(`settings.json: the new port ${next.port} applies at the next start`);
      }
      this.currentSettings = next;
      this.diagnostics('settings reloaded');
      this.reactions.settingsChanged(next);
    } catch (err) {
      this.diagnostics(`${(err as Error).message}; keeping the settings in force`);
    }
  }

  reloadServers(): void {
    try {
      this.currentServers = loadServers(this.paths);
    } catch (err) {
      this.diagnostics(`${(err as Error).message}; keeping the servers in force`);
      return;
    }
    this.reactions.serversChanged(this.currentServers);
  }

  /**
   * Reads grants.json again, whoever asks (the watcher, or a request with a token not known yet). A grant gone from
   * the file, or given a new token, is revoked: its live sessions end. Comparing here, with the list this method
   * itself replaces, means no reader in between can make a revoke go unnoticed.
   */
  reloadGrants(): GrantEntry[] {
    const before = this.currentGrants;
    try {
      this.currentGrants = readGrants(this.paths.grants);
    } catch (err) {
      this.diagnostics(
        `grants.json could not be read, keeping the grants in force: ${(err as Error).message}`,
      );
      return this.currentGrants;
    }
    const kept = new Set(this.currentGrants.map((g) => `${g.name}\u0000${g.tokenHash}`));
    const revoked = before.filter((g) => !kept.has(`${g.name}\u0000${g.tokenHash}`)).map((g) => g.name);
    if (revoked.length > 0) this.reactions.grantsRevoked(revoked);
    return this.currentGrants;
  }
}
