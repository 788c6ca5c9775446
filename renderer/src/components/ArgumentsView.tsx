// A call's arguments in full: each name and value, markers for invisible characters, long values scroll (never cut).
import { summarizeSuspicious } from '../../../shared/escape-text';
import { EscapedText } from './EscapedText';
import { plural } from '../lib/format';

function valueText(value: unknown): string {
  if (typeof value === 'string') return value;
  if (value === undefined) return 'undefined';
  return JSON.stringify(value, null, 2) ?? String(value);
}

export function ArgumentsView({ args, labelledBy }: { args: unknown; labelledBy?: string }) {
  const suspicious = summarizeSuspicious(args);
  const entries =
    args && typeof args === 'object' && !Array.isArray(args)
      ? Object.entries(args as Record<string, unknown>)
      : null;
  return (
    <div className="arguments" aria-labelledby={labelledBy}>
      {suspicious.count > 0 && (
        <p className="arguments-warning" role="note">
          ⚠ {plural(suspicious.count, 'invisible or unusual character')}
          {suspicious.bidi > 0 ? `, ${suspicious.bidi} of them changing the text direction,` : ''} shown as
          ⟦U+…⟧ markers.
        </p>
      )}
      {entries === null ? (
        <pre className="argument-value" tabIndex={0}>
          <EscapedText text={valueText(args)} />
        </pre>
      ) : entries.length === 0 ? (
        <p className="muted">No arguments.</p>
      ) : (
        <dl className="argument-list">
          {entries.map(([name, value]) => (
            <div key={name} className="argument">
              <dt>
                <EscapedText text={name} />
                <span className="argument-meta">
                  {typeof value === 'string'
                    ? `text, ${plural([...value].length, 'character')}`
                    : Array.isArray(value)
                      ? 'list'
                      : typeof value}
                </span>
              </dt>
              <dd>
                {/* Focusable so a keyboard user can scroll a long value to its end. */}
                <pre
                  className={`argument-value ${typeof value === 'string' ? 'is-string' : ''}`}
                  tabIndex={0}
                >
                  <EscapedText text={valueText(value)} />
                </pre>
              </dd>
            </div>
          ))}
        </dl>
      )}
    </div>
  );
}
