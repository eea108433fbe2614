import { useEffect, useState } from 'react';
import { api, signalsOf } from '../api/client';
import { Notice } from '../ui/Notice';
import { parseJsonText } from '../ui/jsonText';
import { useInlinePanel } from '../ui/useInlinePanel';

/**
 * Sends a named signal with an optional JSON payload (e.g. an approval) to a running run. It offers
 * the signals the run's workflow type takes, as the controller lists them: a choice with none
 * chosen when there are several (a flow run's approve and reject), the only one chosen when there
 * is one, and no form when there are none. A name is typed only when the controller does not list
 * them (an older one): a preset name was sent by a stray Enter to any run.
 */
export function SignalForm({ id, type, onDone, onClose }: { id: string; type: string; onDone: (message: string) => void; onClose: () => void }) {
  // undefined while the controller is asked; null when it does not say which signals the type takes.
  const [signals, setSignals] = useState<string[] | null>();
  const [name, setName] = useState('');
  const [input, setInput] = useState('');
  const [error, setError] = useState<string>();
  const { value: payload, error: parseError } = parseJsonText(input, 'Payload');
  // Keyed on the answer, so the focus moves to the first field once there is one.
  const panel = useInlinePanel<HTMLDivElement>(onClose, signals === undefined ? 'asking' : 'answered');

  useEffect(() => {
    let current = true;
    signalsOf(type).then(
      (listed) => {
        if (!current) return;
        setSignals(listed ?? null);
        setName(listed?.length === 1 ? listed[0] : '');
      },
      // A list that cannot be read leaves the name to type; the controller still refuses a wrong one.
      () => current && setSignals(null),
    );
    return () => { current = false; };
  }, [type]);

  async function send() {
    try {
      await api.signal(id, name.trim(), payload);
      onDone(`Signal ${name.trim()} recorded.`);
    } catch (e) {
      setError((e as Error).message);
    }
  }

  return (
    <div ref={panel}>
      {signals === undefined && <div className="card"><p className="muted">Loading the signals of {type}…</p></div>}
      {signals?.length === 0 && (
        <div className="card" role="region" aria-label="Signal">
          <p>This run takes no signals: its workflow type <span className="mono">{type}</span> declares none.</p>
          <div><button type="button" onClick={onClose}>Close</button></div>
        </div>
      )}
      {signals !== undefined && signals?.length !== 0 && (
        // A form, so Enter in a typed name sends the signal as the button does.
        <form className="card form" aria-label="Signal" onSubmit={(e) => { e.preventDefault(); if (name.trim() && !parseError) void send(); }}>
          {signals === null ? (
            <>
              <label>Signal name<input value={name} onChange={(e) => setName(e.target.value)} placeholder="as the workflow type declares it" /></label>
              <p className="muted">This controller does not list the signals of {type}; a name the run does not take is refused.</p>
            </>
          ) : (
            <label>Signal name
              <select value={name} onChange={(e) => setName(e.target.value)}>
                {signals.length > 1 && <option value="" disabled>Choose a signal…</option>}
                {signals.map((s) => <option key={s} value={s}>{s}</option>)}
              </select>
            </label>
          )}
          <label>Payload (JSON, optional)<textarea rows={2} value={input} onChange={(e) => setInput(e.target.value)} /></label>
          {parseError && <Notice kind="error">{parseError}</Notice>}
          {error && <Notice kind="error">{error}</Notice>}
          <div><button className="primary" type="submit" disabled={!name.trim() || !!parseError}>Send signal</button></div>
        </form>
      )}
    </div>
  );
}
