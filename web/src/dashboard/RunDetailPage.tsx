import { useState } from 'react';
import { api } from '../api/client';
import type { NodeState, WorkflowDetails } from '../api/types';
import { can } from '../api/auth';
import { useSession } from '../ui/session';
import { LiveGraph } from './LiveGraph';
import { useLive } from '../api/useLive';
import { between, formatTime, json } from '../ui/format';
import { Notice } from '../ui/Notice';
import { linkProps } from '../ui/router';
import { StatusBadge } from '../ui/StatusBadge';
import { FailureText } from './FailureText';
import { PendingActivities } from './PendingActivities';
import { RunTimeline } from './RunTimeline';
import { SignalForm } from './SignalForm';
import { ApprovalPanel } from './ApprovalPanel';
import { useNow } from '../ui/useNow';
import { restoreSummary } from './restoreSummary';

/**
 * One run: status, actions (cancel for operators and admins; for admins the signal form, which
 * offers the signals the run's type takes), Approve/Reject for the approvals it waits at, for a
 * completed restore what it wrote and what was already correct, the live graph of its nodes,
 * pending activities and the history timeline, all from the run's live stream.
 */
export function RunDetailPage({ id }: { id: string }) {
  const live = useLive<WorkflowDetails, NodeState[]>(`/api/live/workflows/${encodeURIComponent(id)}`, 'run', 'nodes');
  const session = useSession();
  const mayAct = can(session, 'operator');
  const mayAdmin = can(session, 'admin');
  // untilClosed: a note about the run's next steps (a cancel recorded) that is out of date once it has closed.
  const [message, setMessage] = useState<{ kind: 'error' | 'info'; text: string; untilClosed?: boolean }>();
  const [signalling, setSignalling] = useState(false);
  const run = live.data;
  const now = useNow(!!run && !run.closeTime);
  const restored = run?.workflowType === 'restore' && run.status === 'Completed' ? restoreSummary(run.result) : undefined;

  async function cancel() {
    const reason = window.prompt('Cancel this run? The cleanup steps still run. Reason:', 'canceled by operator');
    if (reason === null) return;
    try {
      await api.cancel(id, reason);
      setMessage({ kind: 'info', text: 'Cancellation recorded; cleanup runs next.', untilClosed: true });
    } catch (e) {
      setMessage({ kind: 'error', text: (e as Error).message });
    }
  }

  return (
    <section>
      <p className="crumbs"><a {...linkProps('/runs')}>Runs</a> / <span className="mono">{id}</span></p>
      {!run && !live.error && <p className="muted">Loading…</p>}
      {live.error && <Notice kind="error">{live.error}</Notice>}
      {run && (
        <>
          <header className="page-header">
            <h1 className="mono">{run.workflowId}</h1>
            <StatusBadge status={run.status} />
            <div className="actions">
              {mayAdmin && <button disabled={run.status !== 'Running'} onClick={() => setSignalling((s) => !s)}>Signal…</button>}
              {mayAct && <button className="danger" disabled={run.status !== 'Running'} onClick={cancel}>Cancel run</button>}
            </div>
          </header>
          {message && !(message.untilClosed && run.closeTime) && <Notice kind={message.kind}>{message.text}</Notice>}
          <ApprovalPanel
            id={id}
            running={run.status === 'Running'}
            nodes={live.extra}
            mayAnswer={mayAct}
            onDone={(text) => setMessage({ kind: 'info', text })}
          />
          {signalling && (
            <SignalForm
              id={id}
              type={run.workflowType}
              onDone={(text) => { setSignalling(false); setMessage({ kind: 'info', text }); }}
              onClose={() => setSignalling(false)}
            />
          )}
          <dl className="facts">
            <dt>Type</dt><dd className="mono">{run.workflowType}</dd>
            <dt>Run id</dt><dd className="mono">{run.runId}</dd>
            <dt>Started</dt><dd>{formatTime(run.startTime)}</dd>
            <dt>Closed</dt><dd>{formatTime(run.closeTime)}</dd>
            <dt>Duration</dt><dd>{between(run.startTime, run.closeTime, now)}</dd>
            {restored && (<><dt>Restored</dt><dd data-testid="restore-summary">{restored}</dd></>)}
            {run.parentWorkflowId && (<><dt>Parent</dt><dd><a {...linkProps(`/runs/${encodeURIComponent(run.parentWorkflowId)}`)}>{run.parentWorkflowId}</a></dd></>)}
            <dt>Updates</dt><dd>{live.ended ? 'run closed' : live.connected ? 'live' : 'reconnecting'}</dd>
          </dl>
          {run.failure && (
            // A canceled run records why as its failure, but nothing went wrong: it is headed as what it is.
            <div className={`card failure-card${run.status === 'Canceled' ? ' canceled-card' : ''}`}>
              <h2>{run.status === 'Canceled' ? 'Canceled' : 'Failure'}</h2><FailureText failure={run.failure} />
            </div>
          )}
          <LiveGraph run={run} nodes={live.extra} />
          <PendingActivities pending={run.pendingActivities} />
          <div className="two-col">
            <div className="card"><h2>Input</h2><pre>{json(run.input)}</pre></div>
            <div className="card"><h2>Result</h2><pre>{json(run.result)}</pre></div>
          </div>
          <div className="card">
            <h2>History <span className="muted">({run.history.length} events)</span></h2>
            <RunTimeline history={run.history} pending={run.pendingActivities} runStart={run.startTime} runClose={run.closeTime} />
          </div>
        </>
      )}
    </section>
  );
}
