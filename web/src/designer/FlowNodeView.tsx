import { useContext } from 'react';
import { Handle, Position, type NodeProps } from '@xyflow/react';
import { isExpr, portsOf, type FlowNode } from './model';
import { DesignerContext } from './context';

const KIND_LABEL: Record<string, string> = {
  start: 'start', activity: 'activity', sequence: 'sequence', parallel: 'parallel', join: 'join',
  if: 'if / else', forEach: 'for each', try: 'try / finally', wait: 'wait', approval: 'approval',
};

/**
 * One node on the canvas: kind, label, a one-line summary (the activity's summary template filled
 * with its inputs, or the control node's settings), one target handle on top and one source
 * handle per port at the bottom, and a red outline with the problem count when it does not validate.
 */
export function FlowNodeView({ id, data, selected }: NodeProps<FlowNode>) {
  const { problemsByNode, catalog } = useContext(DesignerContext);
  const problems = problemsByNode.get(id) ?? [];
  const ports = portsOf(data.kind);
  const activity = data.kind === 'activity' ? catalog?.find((a) => a.name === data.activity) : undefined;
  return (
    <div
      className={`fnode fnode-${data.kind} ${problems.length ? 'invalid' : ''} ${selected ? 'selected' : ''}`}
      data-node-id={id}
      data-testid={`node-${id}`}
      title={problems.map((p) => p.message).join('\n')}
    >
      {data.kind !== 'start' && <Handle type="target" position={Position.Top} />}
      <div className="fnode-kind">
        {activity ? activity.category : KIND_LABEL[data.kind]}
        {problems.length > 0 && <span className="fnode-problems" aria-label={`${problems.length} problems`}>{problems.length}</span>}
      </div>
      <div className="fnode-label">{data.label}</div>
      <div className="fnode-summary">{summary(data, activity?.summary)}</div>
      <div className="fnode-ports">
        {ports.map((port, i) => (
          <Handle
            key={port}
            id={port}
            type="source"
            position={Position.Bottom}
            style={{ left: `${((i + 1) / (ports.length + 1)) * 100}%` }}
            className={`port port-${port}`}
          >
            {ports.length > 1 && <span className="port-label">{port}</span>}
          </Handle>
        ))}
      </div>
    </div>
  );
}

// A value as a few words: lists by their items' names (data sets), objects as short JSON.
function inline(v: unknown): string {
  if (Array.isArray(v)) return v.map((x) => (x && typeof x === 'object' && 'name' in x ? String((x as { name: unknown }).name) : inline(x))).join(', ');
  return v !== null && typeof v === 'object' ? JSON.stringify(v) : String(v);
}

function summary(data: FlowNode['data'], template: string | undefined): string {
  const c = data.config ?? {};
  switch (data.kind) {
    case 'activity':
      return (template ?? data.activity ?? '').replace(/\{(\w+)\}/g, (_, name: string) => {
        const v = data.input?.[name];
        if (v === undefined || v === null || v === '') return `‹${name}›`;
        return isExpr(v) ? `=${v.$expr}` : inline(v);
      });
    case 'if': return c.condition ? `if ${c.condition}` : 'no condition';
    case 'forEach': return `${c.variable} in ${c.source} ${c.value || '‹?›'}${Number(c.parallelism) > 1 ? ` ×${c.parallelism}` : ''}`;
    case 'wait': return `for ${c.duration}`;
    case 'approval': return `signal ${c.signal}${c.timeout ? `, timeout ${c.timeout}` : ''}`;
    case 'parallel': return c.failFast ? 'fail fast' : 'run all branches';
    default: return '';
  }
}
