import { useState } from 'react';
import { api } from '../api/client';
import type { ScheduleInfo } from '../api/types';
import { useLive } from '../api/useLive';
import { formatTime, relative } from '../ui/format';
import { Notice } from '../ui/Notice';
import { linkProps } from '../ui/router';
import { can } from '../api/auth';
import { useSession } from '../ui/session';
import { ScheduleEditor } from './ScheduleEditor';

/**
 * Schedules: when each fires next, what it did last; operators pause with a note, unpause and
 * trigger now; admins also edit (cron with its preview, time zone, overlap, input).
 */
export function SchedulesPage() {
  const live = useLive<ScheduleInfo[]>('/api/live/schedules', 'schedules');
  const [message, setMessage] = useState<{ kind: 'error' | 'info'; text: string }>();
  const [editing, setEditing] = useState<string>();
  const session = useSession();
  const mayOperate = can(session, 'operator');
  const mayEdit = can(session, 'admin');

  async function act(what: () => Promise<string>) {
    try {
      setMessage({ kind: 'info', text: await what() });
    } catch (e) {
      setMessage({ kind: 'error', text: (e as Error).message });
    }
  }

  const pause = (s: ScheduleInfo) => {
    const note = window.prompt(`Pause ${s.scheduleId}. Why? (shown to other operators)`, '');
    if (note === null) return;
    void act(async () => { await api.pause(s.scheduleId, note); return `${s.scheduleId} paused.`; });
  };
  const unpause = (s: ScheduleInfo) =>
    act(async () => { await api.unpause(s.scheduleId, ''); return `${s.scheduleId} resumed.`; });
  const trigger = (s: ScheduleInfo) =>
    act(async () => {
      const r = await api.trigger(s.scheduleId);
      return `${s.scheduleId}: ${r.outcome}${r.workflowId ? ` (${r.workflowId})` : ''}${r.message ? ` — ${r.message}` : ''}`;
    });

  const schedules = live.data ?? [];
  return (
    <section>
      <header className="page-header"><h1>Schedules</h1></header>
      {message && <Notice kind={message.kind}>{message.text}</Notice>}
      {live.error && <Notice kind="error">{live.error}</Notice>}
      {editing && schedules.find((s) => s.scheduleId === editing) && (
        <ScheduleEditor
          // One editor per schedule: Edit… on another row while one is open starts from that
          // schedule's definition, not from the fields (cron, input) of the one opened before.
          key={editing}
          schedule={schedules.find((s) => s.scheduleId === editing)!}
          onDone={(text) => { setEditing(undefined); if (text) setMessage({ kind: 'info', text }); }}
        />
      )}
      <table className="grid" aria-label="Schedules">
        <thead>
          <tr><th>Schedule</th><th>Workflow</th><th>When</th><th>Next runs</th><th>Last action</th><th>State</th><th /></tr>
        </thead>
        <tbody>
          {schedules.map((s) => {
            const last = s.recentActions[s.recentActions.length - 1];
            return (
              <tr key={s.scheduleId} data-schedule-id={s.scheduleId}>
                <td className="mono">{s.scheduleId}</td>
                <td className="mono">{s.workflowType}</td>
                <td>
                  {/* One expression never breaks over lines ('0 2 * * *' read as three rows of stars). */}
                  {[...s.cronExpressions.map((c) => `cron ${c}`), ...s.intervals.map((i) => `every ${i}`)].map((w, i) => (
                    <span key={i} className="nowrap">{i > 0 ? ', ' : ''}{w}</span>
                  ))}
                  <div className="muted small">{s.timeZone} · overlap {s.overlapPolicy}</div>
                </td>
                <td>
                  {s.paused ? <span className="muted">paused</span> : s.nextFireTimes.slice(0, 3).map((t) => (
                    <div key={t}>{formatTime(t)} <span className="muted small">{relative(t)}</span></div>
                  ))}
                </td>
                <td>
                  {last ? (
                    <>
                      {last.outcome} {formatTime(last.scheduledTime)}
                      {last.workflowId && <div><a {...linkProps(`/runs/${encodeURIComponent(last.workflowId)}`)}>{last.workflowId}</a></div>}
                    </>
                  ) : '—'}
                </td>
                <td>
                  <span className={`badge ${s.paused ? 'badge-paused' : 'badge-running'}`}>{s.paused ? 'Paused' : 'Active'}</span>
                  {s.note && <div className="muted small">{s.note}</div>}
                </td>
                <td>
                  <div className="row-actions">
                    {mayOperate && (s.paused ? <button onClick={() => unpause(s)}>Unpause</button> : <button onClick={() => pause(s)}>Pause…</button>)}
                    {mayOperate && <button onClick={() => trigger(s)}>Trigger now</button>}
                    {mayEdit && <button onClick={() => setEditing(s.scheduleId)}>Edit…</button>}
                  </div>
                </td>
              </tr>
            );
          })}
          {!live.data && !live.error && <tr><td colSpan={7} className="empty">Loading schedules…</td></tr>}
          {live.data && schedules.length === 0 && (
            <tr><td colSpan={7} className="empty">No schedules yet. Create one with <code>udc schedule create</code> or POST /api/schedules.</td></tr>
          )}
        </tbody>
      </table>
    </section>
  );
}
