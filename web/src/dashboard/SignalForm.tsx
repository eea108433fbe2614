import { useState } from 'react';
import { api } from '../api/client';
import { Notice } from '../ui/Notice';
import { parseJsonText } from '../ui/jsonText';
import { useInlinePanel } from '../ui/useInlinePanel';

/** Sends a named signal with an optional JSON payload (e.g. an approval) to a running run. */
export function SignalForm({ id, onDone, onClose }: { id: string; onDone: (message: string) => void; onClose: () => void }) {
  const [name, setName] = useState('approve');
  const [input, setInput] = useState('');
  const [error, setError] = useState<string>();
  const { value: payload, error: parseError } = parseJsonText(input, 'Payload');
  const form = useInlinePanel<HTMLFormElement>(onClose);

  async function send() {
    try {
      await api.signal(id, name.trim(), payload);
      onDone(`Signal ${name} recorded.`);
    } catch (e) {
      setError((e as Error).message);
    }
  }

  return (
    // A form, so Enter in the name field sends the signal as the button does.
    <form ref={form} className="card form" aria-label="Signal" onSubmit={(e) => { e.preventDefault(); if (name.trim() && !parseError) void send(); }}>
      <label>Signal name<input value={name} onChange={(e) => setName(e.target.value)} /></label>
      <label>Payload (JSON, optional)<textarea rows={2} value={input} onChange={(e) => setInput(e.target.value)} /></label>
      {parseError && <Notice kind="error">{parseError}</Notice>}
      {error && <Notice kind="error">{error}</Notice>}
      <div><button className="primary" type="submit" disabled={!name.trim() || !!parseError}>Send signal</button></div>
    </form>
  );
}
