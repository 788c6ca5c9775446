// "What would this change?": a draft policy replayed over the recorded calls of a chosen period, before it is saved —
// how many calls it would have denied or asked for, each changed call (time, client, tool, was → would, the rule and
// why), and the simulator's notes (arguments the log redacted, limits replayed in time order).
import { useId, useState } from 'react';
import type { GatehouseApi } from '../../../shared/api/operations';
import { useSimulation } from '../hooks/useSimulation';
import { formatTime } from '../lib/format';
import { OUTCOME_WORD, SIMULATION_PERIODS, simulationSummary } from '../lib/simulation-summary';
import { EscapedText } from './EscapedText';

export interface SimulationPanelProps {
  api: GatehouseApi;
  /** The draft's text; the answer shown is always about this very text. */
  text: string;
  /** What the draft is, for the region's name: "the draft", "the recommended policy". */
  subject: string;
  disabled?: boolean;
}

export function SimulationPanel({ api, text, subject, disabled = false }: SimulationPanelProps) {
  const simulation = useSimulation(api);
  const [since, setSince] = useState('7d');
  const id = useId();
  const answer = simulation.answer?.text === text ? simulation.answer : undefined;
  const period = SIMULATION_PERIODS.find((p) => p.since === answer?.since)?.words ?? '';
  return (
    <section className="simulation" aria-label={`What ${subject} would change`}>
      <div className="simulation-ask">
        <label htmlFor={`${id}-since`}>Replay the calls of</label>
        <select id={`${id}-since`} value={since} onChange={(e) => setSince(e.target.value)}>
          {SIMULATION_PERIODS.map((p) => (
            <option key={p.since} value={p.since}>
              {p.words}
            </option>
          ))}
        </select>
        <button
          type="button"
          className="secondary"
          disabled={disabled || simulation.busy}
          onClick={() => simulation.run(text, since)}
        >
          {simulation.busy ? 'Replaying…' : 'What would this change?'}
        </button>
      </div>
      {simulation.error && (
        <p className="policy-outcome is-error" role="alert">
          Could not replay {subject}: {simulation.error}
        </p>
      )}
      {answer && (
        <div role="status" aria-live="polite">
          <p className="simulation-summary">{simulationSummary(answer.simulation, period)}</p>
          {answer.simulation.changed.length > 0 && (
            <table className="simulation-table" aria-label="Calls that would change">
              <thead>
                <tr>
                  <th scope="col">Time</th>
                  <th scope="col">Client</th>
                  <th scope="col">Tool</th>
                  <th scope="col">Was → would</th>
                  <th scope="col">Rule</th>
                  <th scope="col">Why</th>
                </tr>
              </thead>
              <tbody>
                {answer.simulation.changed.map((call) => (
                  <tr key={call.id}>
                    <td>{formatTime(call.ts)}</td>
                    <td>
                      <EscapedText text={call.grant} />
                    </td>
                    <td className="mono">
                      <EscapedText text={`${call.server}/${call.tool}`} />
                    </td>
                    <td>
                      {OUTCOME_WORD[call.was]} → <strong>{OUTCOME_WORD[call.would]}</strong>
                    </td>
                    <td className="mono">
                      <EscapedText text={call.rule} />
                    </td>
                    <td>
                      <EscapedText text={call.reason} />
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          )}
          {answer.simulation.notes.length > 0 && (
            <ul className="simulation-notes" aria-label="Notes">
              {answer.simulation.notes.map((note) => (
                <li key={note}>{note}</li>
              ))}
            </ul>
          )}
        </div>
      )}
    </section>
  );
}
