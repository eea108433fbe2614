import type { ActivityDescriptor } from '../api/types';
import { controlSpec, type FlowNode } from './model';
import { humanDuration, InputEditor } from './InputEditor';
import { RunOptionsEditor } from './RunOptionsEditor';
import type { FlowProblem } from './validate';

/**
 * Edits the selected node: its label, then either the activity's inputs (editors generated from
 * the catalogue's input metadata) or the control node's settings. Problems of the node are
 * shown next to the field they are about, recomputed on every keystroke.
 */
const CONFIG_FIELDS: Record<string, string[]> = {
  if: ['condition'], forEach: ['source', 'value', 'variable', 'parallelism'], wait: ['duration'], approval: ['signal', 'prompt', 'timeout'],
};

const READ_ONLY = 'Read-only: your role may view this flow, not change it.';

export function PropertiesPanel({ node, catalog, problems, onChange, readOnly }: {
  readOnly?: boolean;
  node: FlowNode | undefined;
  catalog: ActivityDescriptor[] | undefined;
  problems: FlowProblem[];
  onChange: (id: string, update: Partial<FlowNode['data']>, field: string) => void;
}) {
  if (!node) {
    return (
      <aside className="props" aria-label="Properties">
        <p className="muted">{readOnly
          ? `${READ_ONLY} Select a node to see its settings.`
          : 'Select a node to edit it. Drag activities from the palette; connect a port (bottom) to a node (top).'}</p>
      </aside>
    );
  }
  const d = node.data;
  const fieldError = (field: string) => problems.find((p) => p.field === field)?.message;
  const activity = d.kind === 'activity' ? catalog?.find((a) => a.name === d.activity) : undefined;
  // Problems of a field with an editor show under it; the rest (ports, structure) show on top.
  const edited = new Set(d.kind === 'activity'
    ? [...activity?.inputs.map((i) => i.name) ?? [], 'options.timeout', 'options.maxAttempts', 'options.retryInterval', 'options.heartbeatTimeout']
    : CONFIG_FIELDS[d.kind] ?? []);
  const general = problems.filter((p) => !p.field || !edited.has(p.field));
  const setConfig = (key: string, value: unknown) => onChange(node.id, { config: { ...(d.config ?? {}), [key]: value } }, key);

  return (
    <aside className="props" aria-label="Properties">
      <fieldset className="bare" disabled={readOnly}>
      {readOnly && <p className="muted small">{READ_ONLY}</p>}
      <h2>{activity?.displayName ?? controlSpec(d.kind)?.label ?? d.kind}</h2>
      <p className="muted small mono">{node.id}{d.activity ? ` · ${d.activity}` : ''}</p>
      {activity?.description && <p className="small">{activity.description}</p>}
      <div className="field">
        <label htmlFor="node-label">label</label>
        <input id="node-label" value={d.label} onChange={(e) => onChange(node.id, { label: e.target.value }, 'label')} />
      </div>
      {general.map((p, i) => <div key={i} className="field-error" role="alert">{p.message}</div>)}
      {activity?.inputs.map((input) => (
        <InputEditor
          key={`${node.id}-${input.name}`}
          input={input}
          value={d.input?.[input.name]}
          error={fieldError(input.name)}
          nodeInput={d.input}
          onChange={(value) => {
            const next = { ...(d.input ?? {}) };
            if (value === undefined) delete next[input.name]; else next[input.name] = value;
            onChange(node.id, { input: next }, input.name);
          }}
        />
      ))}
      {d.kind === 'activity' && (
        <RunOptionsEditor options={d.options} fieldError={fieldError} onChange={(options, field) => onChange(node.id, { options }, field)} />
      )}
      {activity && activity.outputs.length > 0 && (
        <div className="outputs">
          <h3>Outputs</h3>
          {activity.outputs.map((o) => <div key={o.name} className="small"><code>nodes.{node.id}.output.{o.name}</code> <span className="muted">{o.kind} — {o.description}</span></div>)}
        </div>
      )}
      {d.kind !== 'activity' && <ControlSettings node={node} fieldError={fieldError} setConfig={setConfig} />}
      </fieldset>
    </aside>
  );
}

function ControlSettings({ node, fieldError, setConfig }: {
  node: FlowNode;
  fieldError: (field: string) => string | undefined;
  setConfig: (key: string, value: unknown) => void;
}) {
  const c = node.data.config ?? {};
  const text = (key: string, label: string, help: string, placeholder = '') => (
    <div className={`field ${fieldError(key) ? 'has-error' : ''}`} data-field={key}>
      <label htmlFor={`cfg-${key}`}>{label}</label>
      <input id={`cfg-${key}`} className="mono" value={String(c[key] ?? '')} placeholder={placeholder} onChange={(e) => setConfig(key, e.target.value)} />
      {(key === 'duration' || key === 'timeout') && typeof c[key] === 'string' && <span className="muted small">{humanDuration(String(c[key]))}</span>}
      <div className="help">{help}</div>
      {fieldError(key) && <div className="field-error" role="alert">{fieldError(key)}</div>}
    </div>
  );
  switch (node.data.kind) {
    case 'if':
      return text('condition', 'condition', 'An expression over earlier outputs; then runs when it is true, else otherwise.', 'nodes.check-1.output.exitCode == 0');
    case 'forEach':
      return (
        <>
          <div className="field" data-field="source">
            <label htmlFor="cfg-source">source</label>
            <select id="cfg-source" value={String(c.source)} onChange={(e) => setConfig('source', e.target.value)}>
              <option value="zone">systems of a zone</option>
              <option value="tier">systems of a tier</option>
              <option value="expression">a list from an expression</option>
            </select>
          </div>
          {text('value', c.source === 'expression' ? 'expression' : String(c.source), 'The zone or tier id, or the expression giving the list.')}
          {text('variable', 'variable', 'Name the body uses for the current item: vars.<name>.')}
          <div className={`field ${fieldError('parallelism') ? 'has-error' : ''}`}>
            <label htmlFor="cfg-parallelism">parallelism</label>
            <input id="cfg-parallelism" type="number" min={1} value={Number(c.parallelism ?? 1)} onChange={(e) => setConfig('parallelism', Number(e.target.value))} />
            {fieldError('parallelism') && <div className="field-error" role="alert">{fieldError('parallelism')}</div>}
          </div>
        </>
      );
    case 'wait':
      return text('duration', 'duration', 'A durable timer: survives a controller restart.', 'hh:mm:ss');
    case 'approval':
      return (
        <>
          {text('signal', 'signal', 'The signal an operator sends to approve (reject with "<signal>.reject").')}
          {text('prompt', 'prompt', 'What the operator is asked.')}
          {text('timeout', 'timeout', 'Empty waits forever; after it, the rejected port is taken.', 'hh:mm:ss')}
        </>
      );
    case 'parallel':
      return (
        <div className="field">
          <label><input type="checkbox" checked={c.failFast === true} onChange={(e) => setConfig('failFast', e.target.checked)} /> fail fast (cancel the other branches when one fails)</label>
        </div>
      );
    default:
      return <p className="muted small">{controlSpec(node.data.kind)?.summary}</p>;
  }
}
