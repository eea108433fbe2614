import { useEffect, useState } from 'react';
import { siteApi } from '../api/auth';
import type { SnapshotInfo, SystemInfo } from '../api/types';
import { formatTime } from '../ui/format';
import { Notice } from '../ui/Notice';
import { RestoreWizard } from './RestoreWizard';

/**
 * Snapshots per system from the controller's catalog (GET /api/snapshots?system=), newest first,
 * with a restore wizard on each. The system list is the applied site's (GET /api/systems).
 */
export function SnapshotsPage() {
  const [systems, setSystems] = useState<SystemInfo[]>();
  const [system, setSystem] = useState('');
  const [snapshots, setSnapshots] = useState<SnapshotInfo[]>();
  const [error, setError] = useState<string>();
  const [restoring, setRestoring] = useState<SnapshotInfo>();

  useEffect(() => {
    siteApi.systems().then((list) => {
      setSystems(list);
      setSystem((s) => s || list[0]?.id || '');
    }, (e: Error) => setError(e.message));
  }, []);
  useEffect(() => {
    setSnapshots(undefined);
    if (!system) return;
    // Answers can arrive out of order: one for a system no longer chosen must not replace the
    // chosen system's list (it showed another system's snapshots under this one's name).
    let current = true;
    siteApi.snapshots(system).then(
      (list) => { if (current) setSnapshots([...list].sort((a, b) => Date.parse(b.time) - Date.parse(a.time))); },
      (e: Error) => { if (current) setError(e.message); },
    );
    return () => { current = false; };
  }, [system]);

  return (
    <section>
      <header className="page-header"><h1>Snapshots</h1></header>
      {error && <Notice kind="error">{error}</Notice>}
      <div className="filters">
        <label>System
          <select aria-label="System" value={system} onChange={(e) => { setSystem(e.target.value); setRestoring(undefined); }}>
            {(systems ?? []).map((s) => <option key={s.id} value={s.id}>{s.id}{s.zone ? ` (${s.zone})` : ''}</option>)}
          </select>
        </label>
      </div>
      {systems && systems.length === 0 && <p className="muted">No site is applied yet: <code>udc site apply FILE</code>.</p>}
      {restoring && systems && (
        // One wizard per snapshot: Restore… on another row starts again at its first step, not at
        // the step, target and approval chosen for the snapshot before.
        <RestoreWizard key={restoring.snapshotId} snapshot={restoring} systems={systems} onClose={() => setRestoring(undefined)} />
      )}
      <table className="grid" aria-label="Snapshots">
        <thead><tr><th>Snapshot</th><th>Taken</th><th>Level</th><th>Job</th><th>Media agent</th><th>Repository</th><th /></tr></thead>
        <tbody>
          {(snapshots ?? []).map((s) => (
            <tr key={s.snapshotId} data-snapshot-id={s.snapshotId}>
              <td className="mono">{s.snapshotId}</td>
              <td>{formatTime(s.time)}</td>
              <td>{s.level}</td>
              <td className="mono">{s.jobId}</td>
              <td className="mono">{s.mediaAgentId}</td>
              <td className="mono">{s.repository}</td>
              <td><button onClick={() => setRestoring(s)}>Restore…</button></td>
            </tr>
          ))}
          {!error && (!systems || (system && !snapshots)) && (
            <tr><td colSpan={7} className="empty">{system ? `Loading snapshots of ${system}…` : 'Loading systems…'}</td></tr>
          )}
          {snapshots && snapshots.length === 0 && <tr><td colSpan={7} className="empty">No snapshots of {system} in the catalog.</td></tr>}
        </tbody>
      </table>
    </section>
  );
}
