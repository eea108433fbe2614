import { useState } from 'react';
import { can } from '../api/auth';
import { flowsApi } from '../api/flows';
import type { ServerProblem } from '../api/flowTypes';
import { ApiError } from '../api/http';
import { Notice } from '../ui/Notice';
import { useSession } from '../ui/session';
import { HistoryDialog } from './HistoryDialog';
import type { FlowDocument } from './model';
import { PlanDialog } from './PlanDialog';
import { ScheduleDialog } from './ScheduleDialog';
import type { ServerFlow } from './useServerFlow';

const SAVE_TEXT: Record<string, string> = {
  saved: 'saved', unsaved: 'unsaved changes', saving: 'saving…', conflict: 'not saved: conflict', error: 'not saved', 'read-only': 'read-only',
};

/**
 * The flow's life-cycle bar: draft revision and save state, publish (admin; only a saved draft
 * without problems, and a 422 from the server puts its errors on the nodes), history with roll
 * back, the plan of a run with "Run now" (operator), and scheduling (admin). Buttons a role may
 * not use are not shown; buttons that wait for a state (a published version) say why they are off.
 */
export function FlowActions({ flowId, server, problemCount, onRefused, onLoad, onReload }: {
  flowId: string;
  server: ServerFlow;
  problemCount: number;
  onRefused: (errors: ServerProblem[]) => void;
  onLoad: (doc: FlowDocument) => void;
  onReload: () => void;
}) {
  const session = useSession();
  const [dialog, setDialog] = useState<'history' | 'plan' | 'schedule'>();
  const [message, setMessage] = useState<{ kind: 'error' | 'info'; text: string }>();
  const published = server.publishedVersion;
  const publishBlocked = problemCount > 0 ? 'Fix the problems first: a flow that does not validate cannot be published.'
    : server.saveState !== 'saved' ? 'Wait until the draft is saved.' : undefined;

  async function publish() {
    setMessage(undefined);
    try {
      const r = await flowsApi.publish(flowId, server.revision);
      server.setPublished(r.version);
      setMessage({ kind: 'info', text: `Published as v${r.version}.` });
    } catch (e) {
      const errors = e instanceof ApiError ? (e.body?.errors as ServerProblem[] | undefined) : undefined;
      if (errors?.length) onRefused(errors);
      setMessage({ kind: 'error', text: `Not published: ${(e as Error).message}` });
    }
  }

  return (
    <>
      <div className="toolbar flow-actions" role="toolbar" aria-label="Flow">
        <span className="small">draft r{server.revision}</span>
        <span className={`save-state save-${server.saveState}`} data-testid="save-state" title={server.saveError}>{SAVE_TEXT[server.saveState]}</span>
        <span className="small" data-testid="published-version">{published ? `published v${published}` : 'never published'}</span>
        <span className="spacer" />
        {can(session, 'admin') && (
          <button className="primary" onClick={publish} disabled={!!publishBlocked} title={publishBlocked ?? 'Publish this draft as the next version'}>Publish</button>
        )}
        <button onClick={() => setDialog('history')}>History</button>
        <button onClick={() => setDialog('plan')} disabled={!published}
          title={published ? (can(session, 'operator') ? 'What a run will do, then run it' : 'What a run will do')
            : can(session, 'admin') ? 'Publish a version first' : 'No version is published yet'}>
          {can(session, 'operator') ? 'Plan & run…' : 'Plan…'}
        </button>
        {can(session, 'admin') && (
          <button onClick={() => setDialog('schedule')} disabled={!published} title={published ? undefined : 'Publish a version first'}>Schedule…</button>
        )}
      </div>
      {(server.saveState === 'conflict' || server.saveState === 'error') && (
        <Notice kind="error">
          {server.saveError}{' '}
          <button onClick={() => server.overwrite().catch((e: Error) => setMessage({ kind: 'error', text: e.message }))}>Save mine over it</button>{' '}
          <button onClick={onReload}>Load the stored draft</button>
        </Notice>
      )}
      {message && <Notice kind={message.kind}>{message.text}</Notice>}
      {dialog === 'history' && (
        <HistoryDialog
          flowId={flowId}
          mayRollback={can(session, 'admin')}
          mayEdit={can(session, 'operator')}
          onRolledBack={(v) => server.setPublished(v)}
          onLoad={onLoad}
          onClose={() => setDialog(undefined)}
        />
      )}
      {dialog === 'plan' && published && (
        <PlanDialog flowId={flowId} version={published} mayRun={can(session, 'operator')} onClose={() => setDialog(undefined)} />
      )}
      {dialog === 'schedule' && <ScheduleDialog flowId={flowId} onClose={() => setDialog(undefined)} />}
    </>
  );
}
