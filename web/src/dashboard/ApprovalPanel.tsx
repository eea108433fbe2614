import { useEffect, useState } from 'react';
import { api } from '../api/client';
import type { NodeState, PendingApproval } from '../api/types';
import { Notice } from '../ui/Notice';

/**
 * The approvals a running run waits for, each with Approve and Reject and an optional note
 * (operators and admins). The list is asked again whenever the run's node states change (they
 * arrive on the run's live stream), so it appears when a node starts waiting and goes away once
 * answered. The controller records the signed-in user as the one who answered.
 */
export function ApprovalPanel({ id, running, nodes, mayAnswer, onDone }: {
  id: string;
  running: boolean;
  nodes: NodeState[] | undefined;
  mayAnswer: boolean;
  onDone: (message: string) => void;
}) {
  const [pending, setPending] = useState<PendingApproval[]>([]);
  const [notes, setNotes] = useState<Record<string, string>>({});
  const [busy, setBusy] = useState<string>();
  const [error, setError] = useState<string>();
  const waitingNodes = (nodes ?? []).filter((n) => n.state === 'running').map((n) => n.nodeId).join(',');

  useEffect(() => {
    if (!running) {
      setPending([]);
      return;
    }
    let current = true;
    api.approvals(id).then((list) => current && setPending(list), (e) => current && setError((e as Error).message));
    return () => { current = false; };
  }, [id, running, waitingNodes]);

  if (pending.length === 0) return null;

  async function answer(node: string, verb: 'approve' | 'reject') {
    setBusy(node);
    setError(undefined);
    try {
      const accepted = await api.answer(id, node, verb, notes[node]?.trim() ?? '');
      setPending((list) => list.filter((p) => p.node !== node));
      onDone(`${accepted.what}.`);
    } catch (e) {
      setError((e as Error).message);
    } finally {
      setBusy(undefined);
    }
  }

  return (
    <div className="card approval-card" role="region" aria-label="Approvals">
      <h2>Waiting for approval</h2>
      {error && <Notice kind="error">{error}</Notice>}
      {pending.map((p) => (
        <div key={p.node} className="form approval" data-node={p.node}>
          <p>
            <strong>{p.label || p.node}</strong> <span className="muted mono">({p.node})</span>
            {p.timeout && <span className="muted"> — rejected if nobody answers within {p.timeout}</span>}
          </p>
          {mayAnswer ? (
            <>
              <label>Note (optional)<input aria-label={`Note for ${p.node}`} value={notes[p.node] ?? ''} maxLength={500} onChange={(e) => setNotes((n) => ({ ...n, [p.node]: e.target.value }))} /></label>
              <div className="actions">
                <button className="primary" disabled={busy === p.node} onClick={() => answer(p.node, 'approve')}>Approve</button>
                <button className="danger" disabled={busy === p.node} onClick={() => answer(p.node, 'reject')}>Reject</button>
              </div>
            </>
          ) : (
            <p className="muted">An operator or admin can approve or reject it.</p>
          )}
        </div>
      ))}
    </div>
  );
}
