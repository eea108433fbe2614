import { ACTIVITY_OPTIONS, type ActivityOptions } from './model';
import { humanDuration } from './InputEditor';

/**
 * The run options of an activity node (how often it is tried, how long an attempt may take), in a
 * collapsible group under the inputs: empty fields take the interpreter's defaults, shown as the
 * placeholder. A cleared field removes the option, so an untouched node carries no `options`.
 * Errors (`options.<name>`) show under their field as the user types.
 */
export function RunOptionsEditor({ options, fieldError, onChange }: {
  options: ActivityOptions | undefined;
  fieldError: (field: string) => string | undefined;
  onChange: (options: ActivityOptions, field: string) => void;
}) {
  const o = options ?? {};
  const set = (name: keyof ActivityOptions, value: string | number | undefined) => {
    const next: ActivityOptions = { ...o };
    if (value === undefined || value === '' || Number.isNaN(value)) delete next[name];
    else (next as Record<string, unknown>)[name] = value;
    onChange(next, `options.${name}`);
  };
  const count = Object.keys(o).length;
  return (
    <details className="run-options" open={count > 0 || ACTIVITY_OPTIONS.some((d) => fieldError(`options.${d.name}`))}>
      <summary>Retries and timeouts{count ? ` (${count} set)` : ''}</summary>
      {ACTIVITY_OPTIONS.map((d) => {
        const id = `option-${d.name}`;
        const error = fieldError(`options.${d.name}`);
        const value = o[d.name];
        return (
          <div key={d.name} className={`field ${error ? 'has-error' : ''}`} data-field={`options.${d.name}`}>
            <label htmlFor={id}>{d.name}<span className="kind">{d.kind}</span></label>
            {d.kind === 'int'
              ? <input id={id} type="number" min={1} max={100} step={1} placeholder={d.placeholder} value={value ?? ''}
                  onChange={(e) => set(d.name, e.target.value === '' ? undefined : Number(e.target.value))} />
              : <input id={id} className="mono" placeholder={d.placeholder} value={typeof value === 'string' ? value : ''}
                  onChange={(e) => set(d.name, e.target.value || undefined)} />}
            {d.kind === 'duration' && typeof value === 'string' && <span className="muted small">{humanDuration(value)}</span>}
            <div className="help">{d.help}</div>
            {error && <div className="field-error" role="alert">{error}</div>}
          </div>
        );
      })}
    </details>
  );
}
