import { useContext, useState } from 'react';
import { DesignerContext } from './context';
import type { ActivityInput } from '../api/types';
import { isExpr } from './model';
import { EnvironmentEditor, SiteEnvironment } from './ScriptEnvironment';

/**
 * A typed editor for one activity input, chosen by its kind: number fields for ints and ports
 * (with their range), a duration field with a readable preview, a checkbox for booleans, a JSON
 * text area (name/value rows for a script's environment), text with the declared pattern for
 * systems, a script picker that shows the site's environment for the chosen script. The "=" toggle switches the
 * field to an expression over earlier nodes' outputs. `error` is shown under the field as the
 * user types.
 */
export function InputEditor({ input, value, error, nodeInput, onChange }: {
  input: ActivityInput;
  value: unknown;
  error?: string;
  /** The node's other inputs (the script picker reads the chosen systemId). */
  nodeInput?: Record<string, unknown>;
  onChange: (value: unknown) => void;
}) {
  const { readOnly } = useContext(DesignerContext);
  const id = `input-${input.name}`;
  const expr = isExpr(value);
  return (
    <div className={`field ${error ? 'has-error' : ''}`} data-field={input.name}>
      <label htmlFor={id}>
        {input.name}{input.required && <span className="required" title="required"> *</span>}
        <span className="kind">{input.kind}{input.uiHint ? ` · ${input.uiHint}` : ''}</span>
        {readOnly
          ? expr && <span className="expr-toggle on" title="An expression over earlier outputs">=</span>
          : (
            <button
              type="button"
              className={`expr-toggle ${expr ? 'on' : ''}`}
              title="Use an expression over earlier outputs, e.g. nodes.open-port-1.output.port"
              onClick={() => onChange(expr ? undefined : { $expr: '' })}
            >=</button>
          )}
      </label>
      {expr
        ? <input id={id} className="mono" value={value.$expr} placeholder={readOnly ? undefined : 'nodes.<id>.output.<name>'} onChange={(e) => onChange({ $expr: e.target.value })} />
        : <Literal id={id} input={input} value={value} nodeInput={nodeInput} onChange={onChange} />}
      <div className="help">{input.description}</div>
      {error && <div className="field-error" role="alert">{error}</div>}
    </div>
  );
}

function Literal({ id, input, value, nodeInput, onChange }: { id: string; input: ActivityInput; value: unknown; nodeInput?: Record<string, unknown>; onChange: (v: unknown) => void }) {
  // A format to type in is no help to a role that cannot type.
  const { readOnly } = useContext(DesignerContext);
  switch (input.kind) {
    case 'int':
    case 'port':
      return (
        <input
          id={id}
          type="number"
          step={1}
          min={input.minimum ?? (input.kind === 'port' ? 1 : undefined)}
          max={input.maximum ?? (input.kind === 'port' ? 65535 : undefined)}
          value={typeof value === 'number' ? value : value === undefined || value === null ? '' : String(value)}
          onChange={(e) => onChange(e.target.value === '' ? undefined : Number(e.target.value))}
        />
      );
    case 'bool':
      return <input id={id} type="checkbox" checked={value === true} onChange={(e) => onChange(e.target.checked)} />;
    case 'duration':
      return (
        <>
          <input id={id} className="mono" placeholder={readOnly ? undefined : 'hh:mm:ss'} value={typeof value === 'string' ? value : ''} onChange={(e) => onChange(e.target.value || undefined)} />
          {typeof value === 'string' && <span className="muted small">{humanDuration(value)}</span>}
        </>
      );
    case 'json':
      // A script's environment (the script activities' `environment`) gets name/value rows.
      return input.name === 'environment'
        ? <EnvironmentEditor id={id} value={value} nodeInput={nodeInput} onChange={onChange} />
        : <JsonField id={id} value={value} onChange={onChange} />;
    case 'system':
      return <SystemPicker id={id} value={value} pattern={input.pattern} onChange={onChange} />;
    case 'script':
      return <ScriptPicker id={id} value={value} system={nodeInput?.systemId} onChange={onChange} />;
    default:
      return input.uiHint === 'multiline'
        ? <textarea id={id} rows={3} value={typeof value === 'string' ? value : ''} onChange={(e) => onChange(e.target.value || undefined)} />
        : <input id={id} value={typeof value === 'string' ? value : ''} placeholder={input.pattern && !readOnly ? `pattern ${input.pattern}` : ''} onChange={(e) => onChange(e.target.value || undefined)} />;
  }
}

// A text field with the site's systems as suggestions (and their zone), so ids are picked, not typed.
function SystemPicker({ id, value, pattern, onChange }: { id: string; value: unknown; pattern?: string | null; onChange: (v: unknown) => void }) {
  const { systems, readOnly } = useContext(DesignerContext);
  return (
    <>
      <input id={id} list={`${id}-systems`} className="mono" value={typeof value === 'string' ? value : ''}
        placeholder={readOnly ? 'none' : systems.length ? 'pick a system' : pattern ? `pattern ${pattern}` : ''}
        onChange={(e) => onChange(e.target.value || undefined)} />
      <datalist id={`${id}-systems`}>
        {systems.map((s) => <option key={s.id} value={s.id}>{s.zone ? `zone ${s.zone}` : ''}</option>)}
      </datalist>
    </>
  );
}

// A select of the scripts the site allows on the node's system; a name the site does not list
// (typed in an imported flow) stays selectable so it is not silently replaced.
function ScriptPicker({ id, value, system, onChange }: { id: string; value: unknown; system: unknown; onChange: (v: unknown) => void }) {
  const { systems, readOnly } = useContext(DesignerContext);
  const chosen = typeof system === 'string' ? systems.find((s) => s.id === system) : undefined;
  const names = new Set(chosen ? chosen.scripts : systems.flatMap((s) => s.scripts));
  const current = typeof value === 'string' ? value : '';
  if (current) names.add(current);
  return (
    <>
      <select id={id} className="mono" value={current} onChange={(e) => onChange(e.target.value || undefined)}>
        <option value="">{readOnly ? 'none' : chosen ? `pick a script of ${chosen.id}` : 'pick a script'}</option>
        {[...names].sort().map((n) => <option key={n} value={n}>{n}</option>)}
      </select>
      <SiteEnvironment system={system} script={current} />
    </>
  );
}

// JSON is kept as text while it does not parse, so a half-typed object is not thrown away.
function JsonField({ id, value, onChange }: { id: string; value: unknown; onChange: (v: unknown) => void }) {
  const [text, setText] = useState(value === undefined ? '' : JSON.stringify(value, null, 2));
  const [bad, setBad] = useState<string>();
  return (
    <>
      <textarea
        id={id}
        rows={4}
        className="mono"
        value={text}
        onChange={(e) => {
          setText(e.target.value);
          if (!e.target.value.trim()) { setBad(undefined); onChange(undefined); return; }
          try { onChange(JSON.parse(e.target.value)); setBad(undefined); } catch (err) { setBad((err as Error).message); }
        }}
      />
      {bad && <div className="field-error" role="alert">not valid JSON yet: {bad}</div>}
    </>
  );
}

export function humanDuration(text: string): string {
  const m = /^(?:(\d+)\.)?(\d{1,2}):(\d{2}):(\d{2})/.exec(text);
  if (!m) return '';
  const [d, h, min, s] = [m[1], m[2], m[3], m[4]].map((x) => Number(x ?? 0));
  const parts = [d && `${d} d`, h && `${h} h`, min && `${min} min`, s && `${s} s`].filter(Boolean);
  return parts.length ? `= ${parts.join(' ')}` : '= no wait';
}
