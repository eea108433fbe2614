import { useEffect, useState } from 'react';
import { flowsApi } from '../api/flows';
import type { PlanStep } from '../api/flowTypes';
import { Dialog } from '../ui/Dialog';
import { Notice } from '../ui/Notice';
import { navigate } from '../ui/router';

/**
 * The plan of a run before it starts (POST /api/flows/{id}/plan on the published version and the
 * applied site): every step in order with the system, script and port it touches. "Run now" is
 * offered only under a plan the server could build, so nobody starts a run they have not seen.
 */
export function PlanDialog({ flowId, version, mayRun, onClose }: { flowId: string; version: number; mayRun: boolean; onClose: () => void }) {
  const [steps, setSteps] = useState<PlanStep[]>();
  const [error, setError] = useState<string>();
  const [starting, setStarting] = useState(false);

  useEffect(() => {
    flowsApi.plan(flowId, version).then((p) => setSteps(p.steps), (e: Error) => setError(e.message));
  }, [flowId, version]);

  async function run() {
    setStarting(true);
    try {
      const started = await flowsApi.run(flowId, version);
      navigate(`/runs/${encodeURIComponent(started.workflowId)}`);
    } catch (e) {
      setError((e as Error).message);
      setStarting(false);
    }
  }

  return (
    <Dialog title={`Plan of ${flowId} v${version}`} onClose={onClose} wide>
      {error && <Notice kind="error">{error}</Notice>}
      {!steps && !error && <p className="muted">Planning…</p>}
      {steps && (
        <table className="grid" aria-label="Plan">
          <thead><tr><th>#</th><th>Node</th><th>Step</th><th>System</th><th>Script</th><th>Port</th></tr></thead>
          <tbody>
            {steps.map((s) => (
              <tr key={`${s.order}-${s.nodeId}`} data-node={s.nodeId}>
                <td>{s.order}</td>
                <td className="mono">{s.nodeId}</td>
                <td>{s.summary}<div className="muted small mono">{s.activity ?? s.kind}</div></td>
                <td className="mono">{s.system ?? '—'}</td>
                <td className="mono">{s.script ?? '—'}</td>
                <td className="mono">{s.port ?? '—'}</td>
              </tr>
            ))}
            {steps.length === 0 && <tr><td colSpan={6} className="empty">This flow does nothing.</td></tr>}
          </tbody>
        </table>
      )}
      <div className="dialog-actions">
        {mayRun
          ? <button className="primary" disabled={!steps || starting} onClick={run}>Run now</button>
          : <span className="muted small">Your role may view the plan but not start runs.</span>}
        <button onClick={onClose}>Close</button>
      </div>
    </Dialog>
  );
}
