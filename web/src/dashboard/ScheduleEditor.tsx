import { useState } from 'react';
import { api } from '../api/client';
import type { ScheduleInfo } from '../api/types';
import { CronField, OVERLAP_POLICIES } from '../designer/ScheduleDialog';
import { Notice } from '../ui/Notice';
import { parseJsonText } from '../ui/jsonText';
import { useInlinePanel } from '../ui/useInlinePanel';

/**
 * Edits a schedule (admin): cron or interval, time zone, overlap policy and input. Saving PUTs the
 * definition to the controller, which replaces it in place: the schedule keeps its recent
 * actions, running runs, paused state and note, and a definition the server refuses (bad cron or
 * input) leaves the schedule as it was.
 */
export function ScheduleEditor({ schedule, onDone }: { schedule: ScheduleInfo; onDone: (message: string) => void }) {
  const usesCron = schedule.cronExpressions.length > 0;
  const [cron, setCron] = useState(schedule.cronExpressions[0] ?? '');
  const [interval, setInterval] = useState(schedule.intervals[0] ?? '');
  const [timeZone, setTimeZone] = useState(schedule.timeZone || 'UTC');
  const [overlap, setOverlap] = useState(schedule.overlapPolicy || 'Skip');
  const [input, setInput] = useState(schedule.input === undefined || schedule.input === null ? '' : JSON.stringify(schedule.input, null, 2));
  const [error, setError] = useState<string>();
  // It opens above the table: from a row further down, the editor would open out of sight.
  const form = useInlinePanel<HTMLFormElement>(() => onDone(''), schedule.scheduleId);

  const { value: parsed, error: parseError } = parseJsonText(input, 'Input');
  const intervalError = usesCron ? undefined : intervalProblem(interval);
  // The controller's refusal was about what was sent: once a field changes it no longer applies.
  const edit = (set: (value: string) => void) => (value: string) => { setError(undefined); set(value); };

  async function save() {
    setError(undefined);
    try {
      await api.updateSchedule({
        id: schedule.scheduleId,
        workflowType: schedule.workflowType,
        input: parsed,
        cron: usesCron ? cron.trim() : undefined,
        interval: usesCron ? undefined : interval.trim(),
        timeZone: timeZone.trim() || 'UTC',
        overlapPolicy: overlap,
        catchupWindow: schedule.catchupWindow,
      });
      onDone(`${schedule.scheduleId} saved.`);
    } catch (e) {
      setError((e as Error).message);
    }
  }

  return (
    // A form, so Enter in the cron, zone or interval field saves as the button does.
    <form ref={form} className="card form" aria-label={`Edit ${schedule.scheduleId}`} onSubmit={(e) => { e.preventDefault(); if (!parseError && !intervalError) void save(); }}>
      {/* Opened above the table, away from its row: it names the schedule it changes. */}
      <h2>Edit schedule <span className="mono">{schedule.scheduleId}</span> <span className="muted small">starts {schedule.workflowType}</span></h2>
      {usesCron
        ? <CronField cron={cron} timeZone={timeZone} onCron={edit(setCron)} onTimeZone={edit(setTimeZone)} />
        : <label>Every (hh:mm:ss)<input className="mono" aria-label="Interval" value={interval} onChange={(e) => edit(setInterval)(e.target.value)} /></label>}
      <label>While the last run still runs
        <select aria-label="Overlap" value={overlap} onChange={(e) => edit(setOverlap)(e.target.value)}>
          {OVERLAP_POLICIES.map((p) => <option key={p}>{p}</option>)}
        </select>
      </label>
      <label>Input (JSON)<textarea rows={3} value={input} onChange={(e) => edit(setInput)(e.target.value)} /></label>
      {intervalError && <Notice kind="error">{intervalError}</Notice>}
      {parseError && <Notice kind="error">{parseError}</Notice>}
      {error && <Notice kind="error">{error}</Notice>}
      <div className="dialog-actions">
        <button className="primary" type="submit" disabled={!!parseError || !!intervalError}>Save schedule</button>
        <button type="button" onClick={() => onDone('')}>Cancel</button>
      </div>
    </form>
  );
}

/**
 * Why an interval cannot be sent, or undefined: the controller reads it as a time span
 * ([d.]hh:mm:ss) and answers anything else with a JSON conversion error that names its own types.
 */
export function intervalProblem(text: string): string | undefined {
  const m = /^(?:(\d+)\.)?(\d{1,2}):(\d{2}):(\d{2})(?:\.\d{1,7})?$/.exec(text.trim());
  if (!m) return `Every takes hh:mm:ss, or d.hh:mm:ss for days (e.g. 00:10:00 for ten minutes); "${text.trim()}" is not one.`;
  if (Number(m[2]) > 23 || Number(m[3]) > 59 || Number(m[4]) > 59) return `Every takes hours up to 23 and minutes and seconds up to 59 (days as d.hh:mm:ss); "${text.trim()}" is not one.`;
  return undefined; // a too short interval is the controller's to refuse, in its own words
}
