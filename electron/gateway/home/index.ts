// The home directory: creating it with starter files, and reading settings.json with its defaults.
// Files Gatehouse writes get strict modes; files written by others are read whatever their mode, with a warning.
import fs from 'node:fs';
import { z } from 'zod';
import { Settings } from '../../../shared/settings.js';
import { ServersFile } from '../../../shared/servers.js';
import { FileError, parseJsonFile, readTextIfExists, tooOpenWarning, writeFileAtomic } from './files.js';
import type { HomePaths } from './paths.js';
import { serversProblems } from './servers-problems.js';

const STARTER_POLICY_TEXT = '{\n  "version": "1",\n  "default": "approve"\n}\n';
const STARTER_SERVERS_TEXT = '{\n  "mcpServers": {}\n}\n';

/** Creates the home folders and starter files that are missing; returns warnings to show the user. */
export function ensureHome(paths: HomePaths): string[] {
  fs.mkdirSync(paths.home, { recursive: true, mode: 0o700 });
  fs.mkdirSync(paths.state, { recursive: true, mode: 0o700 });
  fs.mkdirSync(paths.logs, { recursive: true, mode: 0o700 });
  if (process.platform !== 'win32') fs.chmodSync(paths.logs, 0o700);
  if (!fs.existsSync(paths.policy)) writeFileAtomic(paths.policy, STARTER_POLICY_TEXT, 0o600);
  if (!fs.existsSync(paths.servers)) writeFileAtomic(paths.servers, STARTER_SERVERS_TEXT, 0o600);
  return [paths.servers, paths.grants].map(tooOpenWarning).filter((w): w is string => w !== undefined);
}

export function formatZodIssues(error: z.ZodError): string {
  return error.issues
    .map((issue) => `${issue.path.length ? issue.path.join('.') : '(top level)'}: ${issue.message}`)
    .join('; ');
}

export function loadSettings(paths: HomePaths): Settings {
  const text = readTextIfExists(paths.settings);
  if (text === undefined || text.trim() === '') return Settings.parse({});
  const parsed = Settings.safeParse(parseJsonFile(paths.settings, text));
  if (!parsed.success) throw new FileError(paths.settings, formatZodIssues(parsed.error));
  return parsed.data;
}

export function loadServers(paths: HomePaths): ServersFile {
  const text = readTextIfExists(paths.servers);
  if (text === undefined || text.trim() === '') return { mcpServers: {} };
  const value = parseJsonFile(paths.servers, text);
  const parsed = ServersFile.safeParse(value);
  if (parsed.success) return parsed.data;
  const problems = serversProblems(value);
  throw new FileError(
    paths.servers,
    problems.length > 0 ? problems.join('; ') : formatZodIssues(parsed.error),
  );
}
