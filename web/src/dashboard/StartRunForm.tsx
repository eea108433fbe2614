import { useState } from 'react';
import { api } from '../api/client';
import { Notice } from '../ui/Notice';
import { parseJsonText } from '../ui/jsonText';
import { formatTime } from '../ui/format';
import { linkProps, navigate } from '../ui/router';
import { useInlinePanel } from '../ui/useInlinePanel';

/**
 * Starts a run of a registered workflow type with a JSON input; opens the new run on success. An id
 * whose earlier run is closed starts another run under that id: the form stays open and says so,
 * naming the earlier run, so a reused id is not taken for a new one.
 */
export function StartRunForm({ types, onDone }: { types: string[]; onDone: () => void }) {
  const [type, setType] = useState(types[0] ?? '');
  const [input, setInput] = useState('');
  const [id, setId] = useState('');
  const [error, setError] = useState<string>();
  const [reused, setReused] = useState<{ id: string; text: string }>();

  const { value: parsed, error: parseError } = parseJsonText(input, 'Input');
  const form = useInlinePanel<HTMLFormElement>(onDone);

  async function start() {
    setError(undefined);
    setReused(undefined);
    try {
      const started = await api.start(type || types[0], parsed, id.trim());
      const previous = started.previousRun;
      if (previous) {
        setReused({
          id: started.workflowId,
          text: `Started another run of ${started.workflowId}: the id was used before, by a ${previous.workflowType} run that ended ${previous.status}${previous.closeTime ? ` at ${formatTime(previous.closeTime)}` : ''}.`,
        });
        return;
      }
      onDone();
      navigate(`/runs/${encodeURIComponent(started.workflowId)}`);
    } catch (e) {
      setError((e as Error).message);
    }
  }

  return (
    // A form, so Enter in the id field starts the run as the button does.
    <form ref={form} className="card form" aria-label="Start run" onSubmit={(e) => { e.preventDefault(); if (!parseError && types.length > 0) void start(); }}>
      <label>Workflow type
        <select value={type} onChange={(e) => setType(e.target.value)}>
          {types.map((t) => <option key={t}>{t}</option>)}
        </select>
      </label>
      <label>Workflow id (optional)
        <input value={id} onChange={(e) => setId(e.target.value)} placeholder="generated when empty" />
      </label>
      <label>Input (JSON, optional)
        <textarea rows={3} value={input} onChange={(e) => setInput(e.target.value)} placeholder='{"steps": 3}' />
      </label>
      {parseError && <Notice kind="error">{parseError}</Notice>}
      {error && <Notice kind="error">{error}</Notice>}
      {reused && (
        <Notice kind="info">
          {reused.text} <a {...linkProps(`/runs/${encodeURIComponent(reused.id)}`)}>Open the new run</a>
        </Notice>
      )}
      <div><button className="primary" type="submit" disabled={!!parseError || types.length === 0}>Start</button></div>
    </form>
  );
}
