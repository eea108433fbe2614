import { useState } from 'react';
import { can, siteApi } from '../api/auth';
import type { SnapshotInfo, SystemInfo } from '../api/types';
import { formatTime } from '../ui/format';
import { Notice } from '../ui/Notice';
import { navigate } from '../ui/router';
import { useSession } from '../ui/session';
import { useInlinePanel } from '../ui/useInlinePanel';

/**
 * Restore wizard: (1) the snapshot and its owner system, (2) the target system, (3) the
 * safeguards and start. The safeguards are the controller's rules, shown before anyone clicks:
 * a snapshot is restored to its owner system by default; another target needs an explicit
 * approval, which only an operator or admin can give and which records the signed-in user as the
 * approver. The server checks all of it again (POST /api/restores) and its refusal is shown as is.
 * "Restore into folder" puts the files below an absolute folder on the target (FOLDER/<original
 * path>) instead of over the originals: shown with the target, and offered first for another
 * system, whose disk agent accepts only its own restore roots; empty restores to the original paths.
 * "Paths" restores only the files and folders named, one absolute path a line, each at or below a
 * path of the owner's data sets (the controller checks them and names its data sets' paths when
 * one is not); empty restores the data sets whole.
 */
export function RestoreWizard({ snapshot, systems, onClose }: { snapshot: SnapshotInfo; systems: SystemInfo[]; onClose: () => void }) {
  const session = useSession();
  const [step, setStep] = useState(1);
  const [target, setTarget] = useState(snapshot.systemId);
  const [approved, setApproved] = useState(false);
  const [into, setInto] = useState('');
  const [pathLines, setPathLines] = useState('');
  const [error, setError] = useState<string>();
  const [busy, setBusy] = useState(false);
  const other = target !== snapshot.systemId;
  const mayStart = can(session, 'operator');
  const folder = into.trim();
  const badFolder = folder !== '' && !isFolder(folder);
  const paths = pathLines.split('\n').map((line) => line.trim()).filter((line) => line !== '');
  const panel = useInlinePanel<HTMLDivElement>(onClose, snapshot.snapshotId);

  async function start() {
    setBusy(true);
    setError(undefined);
    try {
      const started = await siteApi.restore({
        system: snapshot.systemId, snapshot: snapshot.snapshotId, to: other ? target : undefined, approve: other && approved, operator: session?.user,
        into: folder === '' ? undefined : folder, paths: paths.length === 0 ? undefined : paths,
      });
      navigate(`/runs/${encodeURIComponent(started.id)}`);
    } catch (e) {
      setError((e as Error).message);
      setBusy(false);
    }
  }

  return (
    <div ref={panel} className="card wizard" role="region" aria-label="Restore wizard">
      <ol className="wizard-steps">
        {['Snapshot', 'Target', 'Safeguards'].map((label, i) => (
          <li key={label} className={step === i + 1 ? 'current' : step > i + 1 ? 'done' : ''}>{i + 1}. {label}</li>
        ))}
      </ol>
      {step === 1 && (
        <dl className="facts">
          <dt>Snapshot</dt><dd className="mono">{snapshot.snapshotId}</dd>
          <dt>Owner system</dt><dd className="mono" data-testid="owner-system">{snapshot.systemId}</dd>
          <dt>Taken</dt><dd>{formatTime(snapshot.time)} ({snapshot.level}, job {snapshot.jobId})</dd>
          <dt>Stored on</dt><dd className="mono">{snapshot.mediaAgentId} / {snapshot.repository}</dd>
        </dl>
      )}
      {step === 2 && (
        <>
          <label>Restore onto
            <select aria-label="Target system" value={target} onChange={(e) => { setTarget(e.target.value); setApproved(false); }}>
              {systems.map((s) => (
                <option key={s.id} value={s.id}>{s.id}{s.id === snapshot.systemId ? ' (owner)' : ''}</option>
              ))}
            </select>
          </label>
          <label>Restore into folder{other ? '' : ' (optional)'}
            <input
              aria-label="Restore into folder" className="mono" value={into} placeholder="/path/on/target (empty: the original paths)"
              aria-invalid={badFolder} onChange={(e) => setInto(e.target.value)}
            />
          </label>
          {badFolder && <Notice kind="error">The folder must be an absolute path on {target}, such as /srv/restored.</Notice>}
          {other && (
            <Notice kind="info">
              {target}'s disk agent writes only inside its restore roots: a folder inside them takes {snapshot.systemId}'s files
              {' '}(FOLDER/original path); empty restores them over {target}'s original paths, which its agent may refuse.
            </Notice>
          )}
          <label>Paths (optional)
            <textarea
              aria-label="Paths (optional)" className="mono" rows={3} value={pathLines}
              placeholder={`one absolute path a line, inside ${snapshot.systemId}'s data sets (empty: all of them)`}
              onChange={(e) => setPathLines(e.target.value)}
            />
          </label>
        </>
      )}
      {step === 3 && (
        <div className="safeguards" data-testid="safeguards">
          <p>Owner system: <b className="mono">{snapshot.systemId}</b>. Target: <b className="mono">{target}</b>.</p>
          <p data-testid="restore-into">
            {folder === '' ? <>Files go back to their original paths on {target}.</> : <>Files go below <b className="mono">{folder}</b> on {target} (folder/original path).</>}
          </p>
          <div data-testid="restore-paths">
            {paths.length === 0 ? <p>Every data set of the snapshot is restored.</p> : (
              <>
                <p>Only these paths are restored (a data set restored with replace replaces only below them):</p>
                <ul>{paths.map((path, i) => <li key={i} className="mono">{path}</li>)}</ul>
              </>
            )}
          </div>
          {other ? (
            <>
              <Notice kind="error">
                Approval needed: this snapshot belongs to {snapshot.systemId}; restoring it onto {target} overwrites
                {' '}{target}'s data with another system's. Who approves: an operator or admin, here by ticking the box
                below; the controller records <b>{session?.user}</b> as the approver.
              </Notice>
              <label className="check">
                <input type="checkbox" checked={approved} disabled={!mayStart} onChange={(e) => setApproved(e.target.checked)} />
                I, {session?.user}, approve restoring {snapshot.systemId}'s snapshot onto {target}.
              </label>
            </>
          ) : (
            <p>Restoring onto the owner system: no approval needed.</p>
          )}
          {!mayStart && <Notice kind="info">Your role ({session?.role}) may look but not start restores; an operator or admin must.</Notice>}
        </div>
      )}
      {error && <Notice kind="error">{error}</Notice>}
      <div className="dialog-actions">
        {step > 1 && <button onClick={() => setStep(step - 1)}>Back</button>}
        {step < 3 && <button className="primary" disabled={step === 2 && badFolder} onClick={() => setStep(step + 1)}>Next</button>}
        {step === 3 && <button className="primary" disabled={!mayStart || busy || (other && !approved)} onClick={start}>Start restore</button>}
        <button onClick={onClose}>Cancel</button>
      </div>
    </div>
  );
}

/** An absolute folder other than "/" without "." or ".." segments (the controller checks the same). */
function isFolder(path: string): boolean {
  return path.startsWith('/') && path.replace(/\/+/g, '') !== '' && !path.split('/').some((segment) => segment === '.' || segment === '..');
}
