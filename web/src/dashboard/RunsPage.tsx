import { useEffect, useMemo, useState } from 'react';
import { api, runQuery, siteModel, type RunFilter, type SiteModel } from '../api/client';
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

const PAGE = 100;

const WINDOWS: { label: string; value: string; ms: number }[] = [
  { label: 'Any time', value: '', ms: 0 },
  { label: 'Last hour', value: '1h', ms: 3_600_000 },
  { label: 'Last 24 hours', value: '24h', ms: 86_400_000 },
  { label: 'Last 7 days', value: '7d', ms: 7 * 86_400_000 },
  { label: 'Between…', value: 'range', ms: 0 },
];

/** The filters as the page's URL holds them, so a filtered list can be shared as a link. */
interface Filters {
  type: string;
  status: string;
  system: string;
  /** '', '1h', '24h', '7d' (relative to when the list opened) or 'range' (from/to). */
  since: string;
  /** datetime-local values (the browser's time zone) of a 'range'. */
  from: string;
  to: string;
}

const KEYS: (keyof Filters)[] = ['type', 'status', 'system', 'since', 'from', 'to'];

function readFilters(): Filters {
  const p = new URLSearchParams(window.location.search);
  const get = (k: string) => p.get(k) ?? '';
  return { type: get('type'), status: get('status'), system: get('system'), since: get('since'), from: get('from'), to: get('to') };
}

function writeFilters(f: Filters): void {
  const p = new URLSearchParams();
  KEYS.forEach((k) => f[k] && p.set(k, f[k]));
  const query = p.toString();
  window.history.replaceState(null, '', `${window.location.pathname}${query ? `?${query}` : ''}`);
}

function toIso(local: string): string | undefined {
  const t = local ? Date.parse(local) : NaN;
  return Number.isNaN(t) ? undefined : new Date(t).toISOString();
}

/**
 * Runs list. Every filter runs on the controller (type, status, the system a run's input names,
 * the start-time range): the newest page arrives on the list's live stream, older pages are read
 * with the page cursor (the last run shown) by "Older runs". The filters live in the URL
 * (?type=&status=&system=&since=24h or since=range&from=&to=), so a filtered list is a link.
 * A bad value (e.g. a range that ends before it starts) shows the controller's message.
 */
export function RunsPage() {
  const [filters, setFilters] = useState<Filters>(readFilters);
  const [types, setTypes] = useState<string[]>([]);
  const [startable, setStartable] = useState<string[]>([]);
  const [starting, setStarting] = useState(false);
  // Undefined until the controller answered: "no site yet" is said only once it is known.
  const [site, setSite] = useState<SiteModel>();
  const [older, setOlder] = useState<{ runs: WorkflowSummary[]; done: boolean; error?: string }>({ runs: [], done: false });
  const mayStart = can(useSession(), 'operator');

  const query = useMemo<RunFilter>(() => {
    const recent = WINDOWS.find((w) => w.value === filters.since && w.ms > 0);
    return {
      type: filters.type,
      status: filters.status,
      system: filters.system,
      startedAfter: recent ? new Date(Date.now() - recent.ms).toISOString() : filters.since === 'range' ? toIso(filters.from) : undefined,
      startedBefore: filters.since === 'range' ? toIso(filters.to) : undefined,
      limit: PAGE,
    };
  }, [filters]);
  const live = useLive<WorkflowSummary[]>(`/api/live/workflows?${runQuery(query)}`, 'runs');

  useEffect(() => {
    api.workflowTypes().then(setTypes, () => setTypes([]));
    api.startableWorkflowTypes().then(setStartable, () => setStartable([]));
    siteModel().then(setSite, () => undefined);
  }, []);

  useEffect(() => {
    writeFilters(filters);
    setOlder({ runs: [], done: false });
  }, [filters]);

  const set = (key: keyof Filters) => (value: string) => setFilters((f) => ({ ...f, [key]: value }));
  const newest = live.data ?? [];
  const shown = new Set(newest.map((r) => r.runId));
  const runs = [...newest, ...older.runs.filter((r) => !shown.has(r.runId))];
  const now = useNow(runs.some((r) => !r.closeTime));
  const systems = (site?.systems ?? []).map((x) => x.id);
  if (filters.system && !systems.includes(filters.system)) systems.push(filters.system);

  async function loadOlder() {
    const last = runs[runs.length - 1];
    if (!last) return;
    try {
      const page = await api.runs({ ...query, after: last.runId });
      setOlder((o) => ({ runs: [...o.runs, ...page], done: page.length < PAGE }));
    } catch (e) {
      setOlder((o) => ({ ...o, error: (e as Error).message }));
    }
  }

  return (
    <section>
      <header className="page-header">
        <h1>Runs</h1>
        {mayStart && <button className="primary" onClick={() => setStarting((s) => !s)}>{starting ? 'Close' : 'Start run'}</button>}
      </header>
      {starting && <StartRunForm types={startable} onDone={() => setStarting(false)} />}
      {site && site.systems.length === 0 && (
        <Notice kind="info">
          No site is applied yet, so there are no systems to back up or to filter by: apply one with <code>udc site apply site.yaml</code>.
          Self-test runs (diag.steps) start without one.
        </Notice>
      )}
      <div className="filters" role="search">
        <label>
          Type
          <select aria-label="Filter by type" value={filters.type} onChange={(e) => set('type')(e.target.value)}>
            <option value="">All types</option>
            {types.map((t) => <option key={t} value={t}>{t}</option>)}
          </select>
        </label>
        <label>
          Status
          <select aria-label="Filter by status" value={filters.status} onChange={(e) => set('status')(e.target.value)}>
            <option value="">Any status</option>
            {RUN_STATUSES.map((s) => <option key={s} value={s}>{s}</option>)}
          </select>
        </label>
        <label>
          System
          <select aria-label="Filter by system" value={filters.system} onChange={(e) => set('system')(e.target.value)}>
            <option value="">All systems</option>
            {systems.map((x) => <option key={x} value={x}>{x}</option>)}
          </select>
        </label>
        <label>
          Started
          <select aria-label="Filter by time" value={filters.since} onChange={(e) => set('since')(e.target.value)}>
            {WINDOWS.map((w) => <option key={w.value} value={w.value}>{w.label}</option>)}
          </select>
        </label>
        {filters.since === 'range' && (
          <>
            <label>From<input type="datetime-local" aria-label="Started from" value={filters.from} onChange={(e) => set('from')(e.target.value)} /></label>
            <label>To<input type="datetime-local" aria-label="Started before" value={filters.to} onChange={(e) => set('to')(e.target.value)} /></label>
          </>
        )}
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
              <td><StatusBadge status={r.status} />{systemsNotOk(r)}</td>
              <td><a {...linkProps(`/runs/${encodeURIComponent(r.workflowId)}`)}>{r.workflowId}</a></td>
              <td className="mono">{r.workflowType}</td>
              <td>{formatTime(r.startTime)}</td>
              <td>{between(r.startTime, r.closeTime, now)}{r.closeTime ? '' : ' so far'}</td>
            </tr>
          ))}
          {!live.data && !live.error && (
            <tr><td colSpan={5} className="empty">Loading runs…</td></tr>
          )}
          {live.data && runs.length === 0 && (
            <tr><td colSpan={5} className="empty">
              {KEYS.some((k) => filters[k]) ? 'No runs match these filters.' : (
                <>No runs yet. A run starts when a site job backs up (<code>udc backup start JOB</code>, or its schedule){mayStart ? ', or with Start run above (any workflow type)' : ''}.</>
              )}
            </td></tr>
          )}
        </tbody>
      </table>
      {older.error && <Notice kind="error">{older.error}</Notice>}
      {newest.length >= PAGE && !older.done && <button onClick={loadOlder}>Older runs</button>}
    </section>
  );
}

/** A backup continues past failed systems and completes as a workflow: its badge alone would read Completed. */
function systemsNotOk(r: WorkflowSummary) {
  return r.status === 'Completed' && r.systemsNotOk && r.systems ? (
    <span className="systems-not-ok"> {r.systemsNotOk} of {r.systems} systems not ok</span>
  ) : null;
}
