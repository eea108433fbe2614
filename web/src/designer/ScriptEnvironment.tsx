import { useContext, useEffect, useRef, useState } from 'react';
import type { SiteScriptCall } from '../api/client';
import { DesignerContext } from './context';

/**
 * The environment of a script node. Two parts:
 * - the site's environment for the chosen script on the node's system (read-only: it belongs to
 *   the site file, where backup jobs take it from). A flow run does not add it by itself; the
 *   node sends only its own `environment` input, so "Copy the site's values" puts them there.
 * - the node's own variables, edited as name/value rows and stored in the node's `environment`
 *   input (an object of names to text). Rows are kept locally while typed, so an empty or repeated
 *   name is shown with a note instead of being dropped silently; only named rows are stored.
 * Names and values are checked by `checkEnvironment` (validate.ts) with the disk agents' rule
 * (scriptEnvironment.ts) and the controller's configured prefixes.
 */

/** The site's calls of `script` on `system` (a script used in two roles shows twice, once per role). */
export function siteCallsOf(calls: { id: string; scriptCalls: SiteScriptCall[] }[], system: unknown, script: unknown): SiteScriptCall[] {
  if (typeof system !== 'string' || typeof script !== 'string' || !script) return [];
  return calls.find((s) => s.id === system)?.scriptCalls.filter((c) => c.name === script) ?? [];
}

/** Read-only list of the site's environment for the node's script, shown under the script picker. */
export function SiteEnvironment({ system, script }: { system: unknown; script: unknown }) {
  const { systems } = useContext(DesignerContext);
  const calls = siteCallsOf(systems, system, script);
  if (!calls.length) return null;
  return (
    <div className="site-env" data-testid="site-env" aria-label="Site environment">
      {calls.map((c) => (
        <div key={c.role}>
          <div className="small muted">the site runs it as <b>{c.role}</b> of {String(system)} with {Object.keys(c.env).length ? 'this environment' : 'no environment'}:</div>
          {Object.keys(c.env).length > 0 && (
            <table className="grid compact env-table">
              <tbody>
                {Object.entries(c.env).map(([k, v]) => <tr key={k} data-env={k}><td className="mono">{k}</td><td className="mono">{v}</td></tr>)}
              </tbody>
            </table>
          )}
        </div>
      ))}
    </div>
  );
}

type Row = { name: string; value: string };

const rowsOf = (value: unknown): Row[] =>
  value && typeof value === 'object' && !Array.isArray(value)
    ? Object.entries(value as Record<string, unknown>).map(([name, v]) => ({ name, value: typeof v === 'string' ? v : JSON.stringify(v) }))
    : [];

const objectOf = (rows: Row[]): Record<string, string> | undefined => {
  const named = rows.filter((r) => r.name.trim());
  return named.length ? Object.fromEntries(named.map((r) => [r.name.trim(), r.value])) : undefined;
};

/** The node's own environment as name/value rows, with the site's values offered for copying. */
export function EnvironmentEditor({ id, value, nodeInput, onChange }: {
  id: string;
  value: unknown;
  nodeInput?: Record<string, unknown>;
  onChange: (v: unknown) => void;
}) {
  const { systems, readOnly } = useContext(DesignerContext);
  const [rows, setRows] = useState<Row[]>(() => rowsOf(value));
  const emitted = useRef(JSON.stringify(value ?? null));
  // Undo, redo or a paste changes the value from outside: show that one, not the stale rows.
  useEffect(() => {
    const now = JSON.stringify(value ?? null);
    if (now !== emitted.current) {
      emitted.current = now;
      setRows(rowsOf(value));
    }
  }, [value]);

  const update = (next: Row[]) => {
    setRows(next);
    const object = objectOf(next);
    emitted.current = JSON.stringify(object ?? null);
    onChange(object);
  };
  const site = siteCallsOf(systems, nodeInput?.systemId, nodeInput?.script);
  const siteEnv = Object.assign({}, ...site.map((c) => c.env)) as Record<string, string>;
  const counts = new Map<string, number>();
  rows.forEach((r) => counts.set(r.name.trim(), (counts.get(r.name.trim()) ?? 0) + 1));

  if (value !== undefined && rows.length === 0 && (typeof value !== 'object' || value === null || Array.isArray(value))) {
    // Not an object (an imported flow with something else): say so instead of hiding it.
    return <div className="field-error">environment is {JSON.stringify(value)}, not an object of names to text{!readOnly && <> <button type="button" onClick={() => update([])}>Clear</button></>}</div>;
  }
  return (
    <div className="env-editor" id={id}>
      {rows.length > 0 && (
        <table className="grid compact env-table" aria-label="Node environment">
          <tbody>
            {rows.map((r, i) => (
              <tr key={i} data-row={i}>
                <td><input aria-label={`variable ${i + 1} name`} className="mono" value={r.name} placeholder="UDC_NAME" onChange={(e) => update(rows.map((x, j) => (j === i ? { ...x, name: e.target.value } : x)))} /></td>
                <td><input aria-label={`variable ${i + 1} value`} className="mono" value={r.value} onChange={(e) => update(rows.map((x, j) => (j === i ? { ...x, value: e.target.value } : x)))} /></td>
                {!readOnly && <td><button type="button" title="Remove this variable" onClick={() => update(rows.filter((_, j) => j !== i))}>✕</button></td>}
              </tr>
            ))}
          </tbody>
        </table>
      )}
      {!readOnly && rows.some((r) => !r.name.trim()) && <div className="small muted">a row without a name is not stored</div>}
      {[...counts].filter(([n, c]) => n && c > 1).map(([n]) => <div key={n} className="field-error" role="alert">{n} is given twice; the last value is stored</div>)}
      {readOnly && rows.length === 0 && <div className="small muted">none</div>}
      {!readOnly && <div className="env-actions">
        <button type="button" onClick={() => update([...rows, { name: '', value: '' }])}>Add variable</button>
        {Object.keys(siteEnv).length > 0 && (
          <button
            type="button"
            title="The run sends only this node's environment: copy the site's values for this script here"
            onClick={() => update([...rows.filter((r) => !(r.name.trim() in siteEnv)), ...Object.entries(siteEnv).map(([name, v]) => ({ name, value: v }))])}
          >Copy the site's values</button>
        )}
      </div>}
    </div>
  );
}
