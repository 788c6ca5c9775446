// Settings: the pause switch at the top, then every key of settings.json with what it does and its default, an input
// of its kind, and the gateway's refusal shown next to the key (PUT /api/settings). Both follow changes live: they are
// read again when the event stream says the policy or a server changed, and after each change made here.
import { useState, type FormEvent } from 'react';
import type { GatehouseApi } from '../../../shared/api/operations';
import { ApiRequestError } from '../../../shared/api/operations';
import type { Settings, SettingsPatch } from '../../../shared/settings';
import { SettingField } from '../components/SettingField';
import { SettingPause } from '../components/SettingPause';
import { CounterBackendLine } from '../components/CounterBackendLine';
import { OnSwitch } from '../components/OnSwitch';
import type { EventStream } from '../hooks/useEventStream';
import { useLoaded } from '../hooks/useLoaded';

export interface SettingsViewProps {
  api: GatehouseApi;
  events: EventStream;
  onError: (err: unknown) => void;
}

const CHANGED_BY = ['policy', 'server'] as const;
const SERVERS_CHANGED_BY = ['server'] as const;

type Draft = { [K in keyof Settings]?: K extends 'port' | 'logRetentionDays' ? string : Settings[K] };

/** A number typed in a field, or the text itself when it is not one (the gateway's contract then says why). */
const numberOf = (text: string): unknown => (/^\s*-?\d+(\.\d+)?\s*$/.test(text) ? Number(text) : text);

export function SettingsView({ api, events, onError }: SettingsViewProps) {
  const settings = useLoaded(() => api.getSettings({}), events, CHANGED_BY, onError);
  const pause = useLoaded(() => api.getPause({}), events, CHANGED_BY, onError);
  const servers = useLoaded(() => api.listServers({}), events, SERVERS_CHANGED_BY, onError);
  const [draft, setDraft] = useState<Draft>({});
  const [errors, setErrors] = useState<Record<string, string>>({});
  const [status, setStatus] = useState<string>();
  const [sending, setSending] = useState(false);

  const reloadAll = () => {
    settings.reload();
    pause.reload();
  };
  const current = settings.value;
  const value = <K extends keyof Settings>(key: K): Draft[K] | Settings[K] | undefined =>
    key in draft ? draft[key] : current?.[key];
  const edit = <K extends keyof Draft>(key: K, next: Draft[K]) => {
    setDraft((d) => ({ ...d, [key]: next }));
    setStatus(undefined);
  };
  const textOf = (key: 'port' | 'logRetentionDays') => String(value(key) ?? '');

  const save = (e: FormEvent) => {
    e.preventDefault();
    const patch: Record<string, unknown> = {};
    for (const [key, v] of Object.entries(draft)) {
      patch[key] = key === 'port' || key === 'logRetentionDays' ? numberOf(v as string) : v;
    }
    if (Object.keys(patch).length === 0) {
      setStatus('Nothing changed');
      return;
    }
    setSending(true);
    setStatus(undefined);
    setErrors({});
    api
      .putSettings(patch as SettingsPatch)
      .then(
        () => {
          setDraft({});
          setStatus('saved');
          reloadAll();
        },
        (err: unknown) => {
          if (err instanceof ApiRequestError && err.status === 400) {
            const byKey: Record<string, string> = {};
            for (const issue of err.body.errors ?? []) {
              const key = issue.path.split('.')[0] || '_';
              byKey[key] = byKey[key] ? `${byKey[key]}; ${issue.message}` : issue.message;
            }
            if (Object.keys(byKey).length === 0) byKey._ = err.message;
            setErrors(byKey);
            setStatus('Not saved');
          } else {
            setErrors({ _: (err as Error).message });
            setStatus('Not saved');
            onError(err);
          }
        },
      )
      .finally(() => setSending(false));
  };

  const trusted = (value('trustedServers') as string[] | undefined) ?? [];
  const serverNames = [...new Set([...(servers.value?.servers.map((s) => s.name) ?? []), ...trusted])].sort();
  const toggleTrusted = (name: string, on: boolean) =>
    edit(
      'trustedServers',
      on ? [...trusted.filter((n) => n !== name), name] : trusted.filter((n) => n !== name),
    );
  const mode = value('pauseMode') as Settings['pauseMode'] | undefined;
  const pinChange = value('pinChange') as Settings['pinChange'] | undefined;

  return (
    <div className="view settings-view">
      <div className="view-head">
        <h1>Settings</h1>
        <p className="muted">settings.json in the Gatehouse home</p>
      </div>
      {(settings.error ?? pause.error) && (
        <p className="error-banner" role="alert">
          The settings could not be read: {settings.error ?? pause.error}
        </p>
      )}
      <SettingPause api={api} pause={pause.value} onChanged={reloadAll} onError={onError} />
      <CounterBackendLine api={api} events={events} onError={onError} />
      {current && (
        <form className="settings-form" onSubmit={save} noValidate>
          <SettingField
            id="setting-pauseMode"
            name="pauseMode"
            label="While paused"
            about="What a paused Gatehouse does with each tool call: ask a person (approve) or refuse it at once (deny). Default: approve."
            error={errors.pauseMode}
          >
            <select
              id="setting-pauseMode"
              value={mode}
              onChange={(e) => edit('pauseMode', e.target.value as Settings['pauseMode'])}
            >
              <option value="approve">approve — ask a person</option>
              <option value="deny">deny — refuse at once</option>
            </select>
          </SettingField>
          <SettingField
            id="setting-pinChange"
            name="pinChange"
            label="When a tool's definition changes"
            about="What happens to calls of a tool whose description or schema changed since it was first seen: hold them for a person to approve (hold) or refuse them (deny). Default: hold."
            error={errors.pinChange}
          >
            <select
              id="setting-pinChange"
              value={pinChange}
              onChange={(e) => edit('pinChange', e.target.value as Settings['pinChange'])}
            >
              <option value="hold">hold — ask a person</option>
              <option value="deny">deny — refuse</option>
            </select>
          </SettingField>
          <SettingField
            id="setting-trustedServers"
            name="trustedServers"
            label="Trusted servers"
            about="Servers whose tool definitions may change without holding their calls (no pin check). Default: none."
            error={errors.trustedServers}
          >
            <fieldset className="setting-servers" id="setting-trustedServers">
              <legend className="visually-hidden">Trusted servers</legend>
              {serverNames.length === 0 && <span className="muted">No servers in servers.json</span>}
              {serverNames.map((name) => (
                <label key={name}>
                  <input
                    type="checkbox"
                    checked={trusted.includes(name)}
                    onChange={(e) => toggleTrusted(name, e.target.checked)}
                  />{' '}
                  <code>{name}</code>
                </label>
              ))}
            </fieldset>
          </SettingField>
          <SettingField
            id="setting-elicitationApprovals"
            name="elicitationApprovals"
            label="Approve inside the agent's client"
            about="Lets Gatehouse ask for an approval through the client that made the call (MCP elicitation) besides this dashboard. Default: off."
            warning={
              <>
                Warning: the agent's own client would be asked to approve the agent's call. It is never
                offered for destructive tools, the tripwire, the pause or a changed tool.
              </>
            }
            error={errors.elicitationApprovals}
          >
            <OnSwitch
              id="setting-elicitationApprovals"
              checked={Boolean(value('elicitationApprovals'))}
              onChange={(on) => edit('elicitationApprovals', on)}
            />
          </SettingField>
          <SettingField
            id="setting-logRetentionDays"
            name="logRetentionDays"
            label="Keep the call log for (days)"
            about="Days of call log kept in logs/; older days are removed. 1 to 3650. Default: 30."
            error={errors.logRetentionDays}
          >
            <input
              id="setting-logRetentionDays"
              type="number"
              className="mono"
              value={textOf('logRetentionDays')}
              aria-invalid={errors.logRetentionDays ? true : undefined}
              onChange={(e) => edit('logRetentionDays', e.target.value)}
            />
          </SettingField>
          <SettingField
            id="setting-logArgumentValues"
            name="logArgumentValues"
            label="Log argument values"
            about="Whether the call log stores each call's arguments (redacted) or only their hash. Default: on."
            error={errors.logArgumentValues}
          >
            <OnSwitch
              id="setting-logArgumentValues"
              checked={Boolean(value('logArgumentValues'))}
              onChange={(on) => edit('logArgumentValues', on)}
            />
          </SettingField>
          <SettingField
            id="setting-port"
            name="port"
            label="Port"
            about="The one port on 127.0.0.1 for MCP, the API and this dashboard; it applies at the next start. Default: 7451."
            error={errors.port}
          >
            <input
              id="setting-port"
              type="number"
              className="mono"
              value={textOf('port')}
              aria-invalid={errors.port ? true : undefined}
              onChange={(e) => edit('port', e.target.value)}
            />
          </SettingField>
          {errors._ && (
            <p className="field-error" role="alert">
              {errors._}
            </p>
          )}
          <div className="settings-actions">
            <button type="submit" className="approve" disabled={sending}>
              Save settings
            </button>
            <span role="status" aria-live="polite" className="muted" data-testid="settings-status">
              {status}
            </span>
          </div>
        </form>
      )}
    </div>
  );
}
