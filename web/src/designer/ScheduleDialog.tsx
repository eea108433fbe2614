import { useEffect, useState } from 'react';
import { flowsApi } from '../api/flows';
import { ApiError, enc, request } from '../api/http';
import type { CronPreview, ScheduleInfo } from '../api/types';
import { Dialog } from '../ui/Dialog';
import { formatTime, relative } from '../ui/format';
import { Notice } from '../ui/Notice';
import { linkProps } from '../ui/router';

/** The overlap policies of the schedule machinery (what a firing does while the last run still runs). */
export const OVERLAP_POLICIES = ['Skip', 'BufferOne', 'AllowAll'];

/**
 * Asks the controller what a cron expression means (GET /api/cron/preview) as it is typed, so the
 * operator sees the words and the next five firings in the chosen time zone before saving; a bad
 * expression shows the server's reason instead. Used by the flow schedule and the schedule editor.
 */
export function CronField({ cron, timeZone, onCron, onTimeZone }: { cron: string; timeZone: string; onCron: (v: string) => void; onTimeZone: (v: string) => void }) {
  const [preview, setPreview] = useState<CronPreview>();
  const [error, setError] = useState<string>();
  useEffect(() => {
    let stale = false;
    if (!cron.trim()) { setPreview(undefined); setError(undefined); return; }
    const timer = window.setTimeout(() => {
      flowsApi.cronPreview(cron.trim(), timeZone.trim()).then(
        (p) => { if (!stale) { setPreview(p); setError(undefined); } },
        (e: Error) => { if (!stale) { setPreview(undefined); setError(e.message); } },
      );
    }, 250);
    return () => { stale = true; window.clearTimeout(timer); };
  }, [cron, timeZone]);

  return (
    <div className="cron-field">
      <label>Cron (minute hour day month weekday)<input className="mono" aria-label="Cron" value={cron} onChange={(e) => onCron(e.target.value)} placeholder="0 2 * * *" /></label>
      <label>Time zone<input className="mono" aria-label="Time zone" value={timeZone} onChange={(e) => onTimeZone(e.target.value)} placeholder="UTC" /></label>
      {error && <Notice kind="error">{error}</Notice>}
      {preview && (
        <div className="cron-preview" data-testid="cron-preview">
          <b>{preview.description}</b>
          <ul>{preview.next.map((t) => <li key={t}>{formatTime(t)} <span className="muted small">{relative(t)}</span></li>)}</ul>
        </div>
      )}
    </div>
  );
}

/**
 * Schedules the published flow (POST /api/flows/{id}/schedule: schedule id `flow-{id}`, edited in
 * place when it exists). It opens on the flow's current schedule (GET /api/flows/{id}/schedule)
 * when there is one, so saving edits it instead of silently replacing it with the default, and
 * after a save it lists the next runs the controller computed for the stored schedule.
 */
export function ScheduleDialog({ flowId, onClose }: { flowId: string; onClose: () => void }) {
  const [cron, setCron] = useState('0 2 * * *');
  const [timeZone, setTimeZone] = useState('UTC');
  const [overlap, setOverlap] = useState('Skip');
  const [error, setError] = useState<string>();
  const [loadError, setLoadError] = useState<string>();
  const [existing, setExisting] = useState<ScheduleInfo | null>();
  const [saved, setSaved] = useState<string[]>();
  // A refused save was about what was sent: once a field changes its message no longer applies.
  const edit = (set: (value: string) => void) => (value: string) => { setError(undefined); set(value); };

  useEffect(() => {
    request<ScheduleInfo>('GET', `/api/flows/${enc(flowId)}/schedule`).then(
      (s) => {
        setExisting(s);
        if (s.cronExpressions[0]) setCron(s.cronExpressions[0]);
        if (s.timeZone) setTimeZone(s.timeZone);
        if (s.overlapPolicy) setOverlap(s.overlapPolicy);
      },
      (e: Error) => (e instanceof ApiError && e.status === 404 ? setExisting(null) : setLoadError(e.message)),
    );
  }, [flowId]);

  async function save() {
    setError(undefined);
    setSaved(undefined);
    try {
      const answer = await flowsApi.schedule(flowId, cron.trim(), timeZone.trim(), overlap) as { next?: string[] };
      setSaved(answer.next ?? []);
    } catch (e) {
      setError((e as Error).message);
    }
  }

  return (
    <Dialog title={`Schedule ${flowId}`} onClose={onClose}>
      <div className="form">
        {existing === undefined && !loadError && <p className="muted small">Loading the current schedule…</p>}
        {existing && <p className="small" data-testid="current-schedule">Current schedule: <span className="mono">{existing.cronExpressions.join(', ')}</span> ({existing.timeZone}){existing.paused ? ', paused' : ''}; saving edits it.</p>}
        <CronField cron={cron} timeZone={timeZone} onCron={edit(setCron)} onTimeZone={edit(setTimeZone)} />
        <label>While the last run still runs
          <select aria-label="Overlap" value={overlap} onChange={(e) => edit(setOverlap)(e.target.value)}>
            {OVERLAP_POLICIES.map((p) => <option key={p}>{p}</option>)}
          </select>
        </label>
        {loadError && <Notice kind="error">{loadError}</Notice>}
        {error && <Notice kind="error">{error}</Notice>}
        {saved && (
          <Notice kind="info">
            Scheduled as <a {...linkProps('/schedules')}>flow-{flowId}</a>; next runs:
            <ul data-testid="saved-next-runs">{saved.map((t) => <li key={t}>{formatTime(t)} <span className="muted small">{relative(t)}</span></li>)}</ul>
          </Notice>
        )}
        <div className="dialog-actions">
          <button className="primary" disabled={!cron.trim() || (existing === undefined && !loadError)} onClick={save}>Save schedule</button>
          <button onClick={onClose}>Close</button>
        </div>
      </div>
    </Dialog>
  );
}
