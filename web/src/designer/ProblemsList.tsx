import type { FlowProblem } from './validate';

/** Every problem of the flow; clicking one selects and centres its node. */
export function ProblemsList({ problems, onSelect }: { problems: FlowProblem[]; onSelect: (nodeId: string) => void }) {
  if (problems.length === 0) return <div className="problems ok" aria-label="Problems">No problems: this flow validates.</div>;
  return (
    <ul className="problems" aria-label="Problems">
      {problems.map((p, i) => (
        <li key={i} data-node={p.nodeId} onClick={() => p.nodeId && onSelect(p.nodeId)}>
          {p.nodeId && <code>{p.nodeId}</code>} {p.message}
        </li>
      ))}
    </ul>
  );
}
