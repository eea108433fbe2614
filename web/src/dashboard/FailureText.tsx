import type { Failure } from '../api/types';

/** A failure and its causes, each once, with the error type operators match retry rules on. */
export function FailureText({ failure }: { failure: Failure }) {
  const parts: Failure[] = [];
  for (let f: Failure | null | undefined = failure; f; f = f.cause) parts.push(f);
  return (
    <span className="failure">
      {parts
        .filter((p, i) => i === 0 || !parts[i - 1].message.includes(p.message))
        .map((p, i) => (
          <span key={i}>
            {i > 0 && ' ← '}
            {p.message}
            {p.errorType && <code className="error-type"> {p.errorType}</code>}
          </span>
        ))}
    </span>
  );
}
