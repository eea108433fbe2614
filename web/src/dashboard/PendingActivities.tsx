import type { PendingActivity } from '../api/types';
import { formatTime } from '../ui/format';
import { FailureText } from './FailureText';
import { progressOf, progressText } from './timeline';

/** Activities that have not reached their outcome: attempt, heartbeat progress, next retry. */
export function PendingActivities({ pending }: { pending: PendingActivity[] }) {
  return (
    <div className="card">
      <h2>Pending activities <span className="muted">({pending.length})</span></h2>
      {pending.length === 0 ? (
        <p className="muted">None.</p>
      ) : (
        <table className="grid" aria-label="Pending activities">
          <thead>
            <tr><th>Activity</th><th>Attempt</th><th>Scheduled</th><th>Last started</th><th>Progress</th><th>Next attempt</th><th>Last failure</th></tr>
          </thead>
          <tbody>
            {pending.map((p) => {
              const progress = progressOf(p.heartbeatDetails);
              return (
                <tr key={p.activityId}>
                  <td className="mono">{p.activityType} <span className="muted">#{p.activityId}</span></td>
                  <td>{p.attempt}</td>
                  <td>{formatTime(p.scheduledTime)}</td>
                  <td>{formatTime(p.lastStartedTime)}</td>
                  <td>
                    {progress !== undefined && <div className="progress"><div style={{ width: `${progress * 100}%` }} /></div>}
                    <div className="small" data-testid="progress-text">{progressText(p.heartbeatDetails) ?? (progress === undefined ? '—' : '')}</div>
                    {p.lastHeartbeatTime && <div className="muted small">{formatTime(p.lastHeartbeatTime)}</div>}
                  </td>
                  <td>{formatTime(p.nextAttemptTime)}</td>
                  <td>{p.lastFailure ? <FailureText failure={p.lastFailure} /> : '—'}</td>
                </tr>
              );
            })}
          </tbody>
        </table>
      )}
    </div>
  );
}
