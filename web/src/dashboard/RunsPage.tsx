import { useEffect, useMemo, useState } from 'react';
import { api, runQuery, siteModel, type SiteModel } from '../api/client';
import { can } from '../api/auth';
import { useSession } from '../ui/session';
import { RUN_STATUSES, type WorkflowSummary } from '../api/types';
import { useLive } from '../api/useLive';
import { between, formatTime } from '../ui/format';
import { Notice } from '../ui/Notice';
import { linkProps } from '../ui/router';
import { StatusBadge } from '../ui/StatusBadge';
import { StartRunForm } from './StartRunForm';
import { useNow } from '../ui/useNow';

const WINDOWS: { label: string; ms: number }[] = [
  { label: 'Any time', ms: 0 },
  { label: 'Last hour', ms: 3_600_000 },
  { label: 'Last 24 hours', ms: 86_400_000 },
  { label: 'Last 7 days', ms: 7 * 86_400_000 },
];

/**
 * Runs list: type and status filter on the server (the list stream is opened with them); the
 * time window and the system filter what arrived (the API has neither). A run belongs to a system
 * when it restores onto it (restore-SYSTEM-...), is a backup of a site job that includes the
 * system (backup-JOB-...), or its id names the system as a whole word. The list summaries carry
 * no inputs, so a flow run whose id does not name the system is not found by this filter.
 * Newest first.
 */
export function RunsPage() {
  const [type, setType] = useState('');
  const [status, setStatus] = useState('');
  const [windowMs, setWindowMs] = useState(0);
  const [types, setTypes] = useState<string[]>([]);
  const [starting, setStarting] = useState(false);
  const [system, setSystem] = useState('');
  const [site, setSite] = useState<SiteModel>({ systems: [], jobs: [] });
  const mayStart = can(useSession(), 'operator');
  const live = useLive<WorkflowSummary[]>(`/api/live/workflows?${runQuery({ type, status })}`, 'runs');

  useEffect(() => {
    api.workflowTypes().then(setTypes, () => setTypes([]));
    siteModel().then(setSite, () => undefined);
  }, []);

  const now = useNow((live.data ?? []).some((r) => !r.closeTime));
  const runs = useMemo(() => {
    const since = windowMs ? Date.now() - windowMs : 0;
    return (live.data ?? [])
      .filter((r) => Date.parse(r.startTime) >= since)
      .filter((r) => !system || belongsTo(r, system, site))
      .sort((a, b) => Date.parse(b.startTime) - Date.parse(a.startTime));
  }, [live.data, windowMs, system, site]);

  return (
    <section>
      <header className="page-header">
        <h1>Runs</h1>
        {mayStart && <button className="primary" onClick={() => setStarting((s) => !s)}>{starting ? 'Close' : 'Start run'}</button>}
      </header>
      {starting && <StartRunForm types={types} onDone={() => setStarting(false)} />}
      <div className="filters" role="search">
        <label>
          Type
          <select aria-label="Filter by type" value={type} onChange={(e) => setType(e.target.value)}>
            <option value="">All types</option>
            {types.map((t) => <option key={t} value={t}>{t}</option>)}
          </select>
        </label>
        <label>
          Status
          <select aria-label="Filter by status" value={status} onChange={(e) => setStatus(e.target.value)}>
            <option value="">Any status</option>
            {RUN_STATUSES.map((s) => <option key={s} value={s}>{s}</option>)}
          </select>
        </label>
        <label>
          System
          <select aria-label="Filter by system" value={system} onChange={(e) => setSystem(e.target.value)}>
            <option value="">All systems</option>
            {site.systems.map((x) => <option key={x.id} value={x.id}>{x.id}</option>)}
          </select>
        </label>
        <label>
          Started
          <select aria-label="Filter by time" value={windowMs} onChange={(e) => setWindowMs(Number(e.target.value))}>
            {WINDOWS.map((w) => <option key={w.ms} value={w.ms}>{w.label}</option>)}
          </select>
        </label>
        <span className={`live-dot ${live.connected ? 'on' : ''}`} title={live.connected ? 'Live' : 'Not connected'}>
          {live.connected ? 'live' : 'connecting'}
        </span>
      </div>
      {live.error && <Notice kind="error">{live.error}</Notice>}
      <table className="grid" aria-label="Runs">
        <thead>
          <tr><th>Status</th><th>Workflow id</th><th>Type</th><th>Started</th><th>Duration</th></tr>
        </thead>
        <tbody>
          {runs.map((r) => (
            <tr key={r.runId} data-workflow-id={r.workflowId}>
              <td><StatusBadge status={r.status} /></td>
              <td><a {...linkProps(`/runs/${encodeURIComponent(r.workflowId)}`)}>{r.workflowId}</a></td>
              <td className="mono">{r.workflowType}</td>
              <td>{formatTime(r.startTime)}</td>
              <td>{between(r.startTime, r.closeTime, now)}{r.closeTime ? '' : ' so far'}</td>
            </tr>
          ))}
          {live.data && runs.length === 0 && (
            <tr><td colSpan={5} className="empty">No runs match these filters.</td></tr>
          )}
        </tbody>
      </table>
    </section>
  );
}

function belongsTo(run: WorkflowSummary, system: string, site: SiteModel): boolean {
  const id = run.workflowId;
  if (id.startsWith(`restore-${system}-`)) return true;
  if (site.jobs.some((j) => j.systems.includes(system) && id.startsWith(`backup-${j.id}-`))) return true;
  const at = id.indexOf(system);
  return at >= 0 && (at === 0 || id[at - 1] === '-') && (at + system.length === id.length || id[at + system.length] === '-');
}
