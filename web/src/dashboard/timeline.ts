import type { Failure, HistoryEntry, PendingActivity } from '../api/types';
import { formatBytes, formatDuration } from '../ui/format';

/** One line of a run's timeline: an activity (all its attempts) or a workflow-level event. */
export interface TimelineItem {
  key: string;
  kind: 'activity' | 'timer' | 'child' | 'event';
  title: string;
  state: 'scheduled' | 'running' | 'retrying' | 'completed' | 'failed' | 'canceled' | 'info';
  start: string;
  end?: string;
  attempts: number;
  failures: { attempt?: number | null; failure: Failure; at: string; timedOut: boolean }[];
  pending?: PendingActivity;
  events: HistoryEntry[];
}

/**
 * Folds a run's history into timeline items. Activity events share the command id of their
 * ActivityTaskScheduled event, so all attempts of one activity become one item; its state is
 * the last word of the history, refined by the pending-activity record (a failed attempt with a
 * next attempt time is "retrying", not "failed"; a started attempt without an outcome yet is
 * "running"). Timers and child workflows group the same way. When the run has closed
 * (`closeTime`), an item still without an outcome was cut off by the run's end: it ends at the
 * close and reads "canceled", instead of a "scheduled" whose duration keeps growing.
 */
export function buildTimeline(history: HistoryEntry[], pending: PendingActivity[], closeTime?: string | null): TimelineItem[] {
  const items: TimelineItem[] = [];
  const byCommand = new Map<string, TimelineItem>();

  for (const e of history) {
    const group = groupOf(e.eventType);
    if (group && e.commandId != null) {
      const key = `${group}-${e.commandId}`;
      let item = byCommand.get(key);
      if (!item) {
        item = {
          key, kind: group, title: titleOf(group, e), state: 'scheduled', start: e.timestamp,
          attempts: 0, failures: [], events: [],
        };
        byCommand.set(key, item);
        items.push(item);
      }
      apply(item, e);
      continue;
    }
    items.push({
      key: `event-${e.eventId}`, kind: 'event', title: eventTitle(e), state: eventState(e.eventType),
      start: e.timestamp, attempts: 0, failures: e.failure ? [{ failure: e.failure, at: e.timestamp, timedOut: false }] : [], events: [e],
    });
  }

  for (const p of pending) {
    const item = byCommand.get(`activity-${p.activityId}`);
    if (!item) continue;
    item.pending = p;
    item.attempts = Math.max(item.attempts, p.attempt);
    if (item.state === 'failed' && p.nextAttemptTime) item.state = 'retrying';
    // History records an attempt's start only together with its outcome, so an attempt that
    // has started (also the one run again after an interruption) is known from the pending record.
    else if (item.state === 'scheduled' && p.lastStartedTime && !p.nextAttemptTime) item.state = 'running';
  }
  if (closeTime) {
    for (const item of items) {
      if (item.kind === 'event' || item.end) continue;
      if (item.state === 'scheduled' || item.state === 'running' || item.state === 'retrying') {
        item.state = 'canceled';
        item.end = closeTime;
      }
    }
  }
  return items;
}

function groupOf(type: string): TimelineItem['kind'] | undefined {
  if (type.startsWith('ActivityTask')) return 'activity';
  if (type.startsWith('Timer')) return 'timer';
  if (type.startsWith('ChildWorkflow')) return 'child';
  return undefined;
}

function titleOf(kind: TimelineItem['kind'], e: HistoryEntry): string {
  if (kind === 'activity') return e.activityType ?? 'activity';
  if (kind === 'timer') return e.fireAt ? `timer until ${new Date(e.fireAt).toLocaleTimeString()}` : 'timer';
  return `child ${e.workflowType ?? ''} ${e.workflowId ?? ''}`.trim();
}

function apply(item: TimelineItem, e: HistoryEntry) {
  item.events.push(e);
  switch (e.eventType) {
    case 'ActivityTaskStarted':
      item.attempts = Math.max(item.attempts, e.attempt ?? item.attempts + 1);
      item.state = 'running';
      break;
    case 'ActivityTaskFailed':
    case 'ActivityTaskTimedOut':
    case 'ChildWorkflowExecutionFailed':
      if (e.failure) item.failures.push({ attempt: e.attempt, failure: e.failure, at: e.timestamp, timedOut: e.eventType.endsWith('TimedOut') });
      item.state = 'failed';
      item.end = e.timestamp;
      break;
    case 'ActivityTaskAttemptInterrupted':
      // A controller stop cut this attempt; it runs again and does not count against retries,
      // so it is shown as a note (attempt left null, not "attempt N failed"), not a failure.
      item.failures.push({
        attempt: null,
        failure: { kind: 'Interrupted', message: `attempt ${e.attempt ?? '?'} interrupted (controller stopped); not counted` },
        at: e.timestamp,
        timedOut: false,
      });
      item.state = 'scheduled';
      break;
    case 'ActivityTaskCompleted':
    case 'TimerFired':
    case 'ChildWorkflowExecutionCompleted':
      item.state = 'completed';
      item.end = e.timestamp;
      break;
    case 'TimerCanceled':
      item.state = 'canceled';
      item.end = e.timestamp;
      break;
    case 'TimerStarted':
    case 'ChildWorkflowExecutionStarted':
      item.state = 'running';
      break;
    default:
      break;
  }
}

function eventTitle(e: HistoryEntry): string {
  switch (e.eventType) {
    case 'WorkflowExecutionStarted': return `run started${e.workflowType ? ` (${e.workflowType})` : ''}`;
    case 'WorkflowExecutionCompleted': return 'run completed';
    case 'WorkflowExecutionFailed': return 'run failed';
    case 'WorkflowExecutionCanceled': return 'run canceled';
    case 'WorkflowExecutionContinuedAsNew': return 'continued as new';
    case 'WorkflowCancelRequested': return `cancel requested${e.details ? `: ${e.details}` : ''}`;
    case 'WorkflowSignaled': return signalTitle(e);
    case 'MarkerRecorded': return `code patch ${e.markerName ?? ''}: the run takes the newer steps`.trim();
    default: return e.eventType;
  }
}

// An approval answer names who gave it (the controller sets `by` to the signed-in user).
function signalTitle(e: HistoryEntry): string {
  const input = (e.input ?? {}) as { by?: unknown; note?: unknown; node?: unknown };
  const answer = e.signalName === 'approve' ? 'approved' : e.signalName === 'reject' ? 'rejected' : undefined;
  if (!answer || typeof input.by !== 'string') return `signal ${e.signalName ?? ''}`;
  const node = typeof input.node === 'string' ? ` ${input.node}` : '';
  const note = typeof input.note === 'string' && input.note ? `: ${input.note}` : '';
  return `${answer}${node} by ${input.by}${note}`;
}

function eventState(type: string): TimelineItem['state'] {
  if (type === 'WorkflowExecutionCompleted') return 'completed';
  if (type === 'WorkflowExecutionFailed') return 'failed';
  if (type === 'WorkflowExecutionCanceled' || type === 'WorkflowCancelRequested') return 'canceled';
  return 'info';
}

/**
 * A progress fraction from heartbeat details when they say how far the work is: a number in
 * 0..1 or 0..100 named percent/progress/fraction, or done/total pairs (doneMillis/totalMillis,
 * bytesDone/bytesTotal ...). Unknown shapes give undefined; progressText words them instead.
 */
export function progressOf(details: unknown): number | undefined {
  if (!details || typeof details !== 'object') return undefined;
  const d = details as Record<string, unknown>;
  for (const k of ['fraction', 'progress', 'percent']) {
    const v = d[k];
    if (typeof v === 'number') return v > 1 ? Math.min(v / 100, 1) : Math.max(v, 0);
  }
  const keys = Object.keys(d);
  const done = keys.find((k) => /done/i.test(k) && typeof d[k] === 'number');
  const total = keys.find((k) => /total/i.test(k) && typeof d[k] === 'number');
  if (done && total && (d[total] as number) > 0) return Math.min((d[done] as number) / (d[total] as number), 1);
  return undefined;
}

/**
 * Heartbeat details as words, for progress that has no total (a bar needs one): every member is
 * named in plain words and its number in its unit, e.g. {doneMillis: 4500} reads "done 4.5 s" and
 * {bytes: 1048576, files: 42} "1.0 MiB, 42 files". A member whose value is not a number, text or
 * flag (a nested object) keeps its JSON. Undefined when there are no details.
 */
export function progressText(details: unknown): string | undefined {
  if (details === undefined || details === null) return undefined;
  if (typeof details !== 'object' || Array.isArray(details)) return typeof details === 'string' ? details : JSON.stringify(details);
  const parts = Object.entries(details as Record<string, unknown>).map(([key, value]) => {
    if (typeof value !== 'number') {
      const shown = typeof value === 'string' || typeof value === 'boolean' ? String(value) : JSON.stringify(value);
      return `${words(key)} ${shown}`;
    }
    if (/bytes/i.test(key)) return join(words(key.replace(/bytes/i, '')), formatBytes(value));
    // A unit is a whole word of the name: "doneMillis" or "millis", not the end of "items".
    const millis = /(^millis|^ms|Millis|Ms)$/.exec(key);
    if (millis) return join(words(key.slice(0, millis.index)), formatDuration(value));
    const seconds = /(^seconds|Seconds)$/.exec(key);
    if (seconds) return join(words(key.slice(0, seconds.index)), formatDuration(value * 1000));
    return `${value.toLocaleString()} ${words(key)}`;
  });
  return parts.length ? parts.join(', ') : undefined;
}

// "doneMillis" -> "done millis", "files_restored" -> "files restored".
function words(key: string): string {
  return key.replace(/([a-z0-9])([A-Z])/g, '$1 $2').replace(/[_-]+/g, ' ').trim().toLowerCase();
}

function join(label: string, value: string): string {
  return label ? `${label} ${value}` : value;
}
