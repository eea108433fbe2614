import { useState } from 'react';
import { between, formatTime, json } from '../ui/format';
import { buildTimeline, progressOf, progressText, type TimelineItem } from './timeline';
import type { HistoryEntry, PendingActivity } from '../api/types';
import { FailureText } from './FailureText';

/** The history of a run as a timeline: one line per activity with its attempts and failures. */
export function RunTimeline({ history, pending, runStart, runClose }: { history: HistoryEntry[]; pending: PendingActivity[]; runStart: string; runClose?: string | null }) {
  const items = buildTimeline(history, pending, runClose);
  return (
    <ol className="timeline" aria-label="History timeline">
      {items.map((item) => <TimelineRow key={item.key} item={item} runStart={runStart} />)}
    </ol>
  );
}

function TimelineRow({ item, runStart }: { item: TimelineItem; runStart: string }) {
  const [open, setOpen] = useState(false);
  const progress = item.pending ? progressOf(item.pending.heartbeatDetails) : undefined;
  const offset = Date.parse(item.start) - Date.parse(runStart);
  return (
    <li className={`tl tl-${item.state}`} data-state={item.state}>
      <div className="tl-line" onClick={() => setOpen((o) => !o)}>
        <span className="tl-dot" aria-hidden />
        <span className="tl-offset mono">+{(offset / 1000).toFixed(1)} s</span>
        <span className="tl-title">{item.title}</span>
        <span className="tl-state">{item.state}</span>
        {item.attempts > 1 && <span className="tl-attempts">attempt {item.attempts}</span>}
        {item.kind !== 'event' && <span className="tl-duration">{between(item.start, item.end)}</span>}
        {item.events.length > 1 && <span className="tl-toggle">{open ? '▾' : '▸'} {item.events.length} events</span>}
      </div>
      {item.pending && (
        <div className="tl-pending">
          {progress !== undefined && (
            <div className="progress" role="progressbar" aria-valuenow={Math.round(progress * 100)} aria-valuemin={0} aria-valuemax={100}>
              <div style={{ width: `${progress * 100}%` }} />
            </div>
          )}
          <span>
            heartbeat {item.pending.lastHeartbeatTime ? formatTime(item.pending.lastHeartbeatTime) : 'none yet'}
            {progressText(item.pending.heartbeatDetails) && <span className="tl-progress">: {progressText(item.pending.heartbeatDetails)}</span>}
            {item.pending.nextAttemptTime && <> · next attempt {formatTime(item.pending.nextAttemptTime)}</>}
          </span>
        </div>
      )}
      {item.failures.map((f, i) => (
        <div key={i} className="tl-failure">
          {f.attempt != null && <b>attempt {f.attempt}{f.timedOut ? ' timed out' : ' failed'}: </b>}
          <FailureText failure={f.failure} />
        </div>
      ))}
      {open && (
        <table className="grid compact">
          <tbody>
            {item.events.map((e) => (
              <tr key={e.eventId}>
                <td className="mono">#{e.eventId}</td>
                <td>{e.eventType}</td>
                <td>{formatTime(e.timestamp)}</td>
                <td>{e.attempt != null ? `attempt ${e.attempt}` : ''}</td>
                <td><pre className="inline-json">{e.result !== undefined && e.result !== null ? json(e.result) : e.input !== undefined && e.input !== null ? json(e.input) : e.details ?? ''}</pre></td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </li>
  );
}
