import { useCallback, useEffect, useRef, useState } from 'react';
import { ApiError } from '../api/http';
import { flowsApi } from '../api/flows';
import type { FlowRecord, ServerProblem } from '../api/flowTypes';
import { formatTime } from '../ui/format';
import type { FlowDocument } from './model';
import type { FlowProblem } from './validate';

export type SaveState = 'saved' | 'unsaved' | 'saving' | 'conflict' | 'error' | 'read-only';

export interface ServerFlow {
  revision: number;
  publishedVersion: number | null;
  saveState: SaveState;
  saveError: string | undefined;
  /** The server's problems for exactly `doc`, or undefined while its answer is pending or unavailable. */
  serverProblems: FlowProblem[] | undefined;
  /** Saves `doc` over whatever the server has now (after a conflict the operator chose to keep theirs). */
  overwrite: () => Promise<void>;
  setPublished: (version: number) => void;
}

const SAVE_DELAY_MS = 600;
const VALIDATE_DELAY_MS = 250;

/** Who saved the stored draft and when, from a 409 of the flows API; undefined for any other error. */
export function storedDraftOf(e: unknown): { revision: number; by: string; at: string } | undefined {
  if (!(e instanceof ApiError) || e.status !== 409 || typeof e.body?.currentRevision !== 'number') return undefined;
  return { revision: e.body.currentRevision, by: String(e.body.updatedBy ?? 'someone'), at: String(e.body.updatedAt ?? '') };
}

export function toProblems(errors: ServerProblem[]): FlowProblem[] {
  return errors.map((e) => ({ nodeId: e.nodeId ?? undefined, field: e.input ?? undefined, message: e.message, code: e.code }));
}

/**
 * Keeps the designer's document in step with the controller: every change is validated by
 * POST /api/flows/validate (the answer counts only for the document it was asked about, so a late
 * answer never marks a newer document valid) and saved as the draft by PUT .../draft after a
 * short pause, one save in flight at a time with the revision of the last save as its base. A 409
 * (someone else saved meanwhile) stops saving, keeps the canvas and says who saved and when, until
 * the operator overwrites or reloads; an unreachable validate endpoint leaves the browser's own
 * validation in charge.
 */
export function useServerFlow(record: FlowRecord, doc: FlowDocument, canSave: boolean): ServerFlow {
  const json = JSON.stringify(doc);
  const [revision, setRevision] = useState(record.draftRevision);
  const [publishedVersion, setPublished] = useState<number | null>(record.published?.version ?? null);
  const [saveState, setSaveState] = useState<SaveState>(canSave ? 'saved' : 'read-only');
  const [saveError, setSaveError] = useState<string>();
  const [validated, setValidated] = useState<{ json: string; problems: FlowProblem[] }>();
  // The document as first shown counts as saved: the designer's own serialisation of the stored
  // draft, so merely opening a flow does not save it again (and cannot cause a conflict).
  const saved = useRef<string | undefined>(undefined);
  if (saved.current === undefined) saved.current = json;
  const base = useRef(record.draftRevision);
  const inFlight = useRef(false);
  const latest = useRef(json);
  latest.current = json;
  const blocked = useRef(false);

  const save = useCallback(async () => {
    if (inFlight.current || blocked.current || latest.current === saved.current) return;
    inFlight.current = true;
    const sending = latest.current;
    setSaveState('saving');
    try {
      const answer = await flowsApi.saveDraft(record.id, JSON.parse(sending), base.current);
      base.current = answer.draftRevision;
      saved.current = sending;
      setRevision(answer.draftRevision);
      setSaveError(undefined);
      setSaveState(latest.current === sending ? 'saved' : 'unsaved');
    } catch (e) {
      const conflict = e instanceof ApiError && e.status === 409;
      const stored = storedDraftOf(e);
      blocked.current = true;
      setSaveState(conflict ? 'conflict' : 'error');
      setSaveError(!conflict ? (e as Error).message
        : stored ? `Not saved: ${stored.by} changed this flow at ${formatTime(stored.at)} (now draft r${stored.revision}; your changes start from r${base.current}). Your canvas is kept: load the stored draft to see their version, or save yours over it.`
        : 'Someone else saved this flow since you opened it.');
    } finally {
      inFlight.current = false;
    }
    if (!blocked.current && latest.current !== saved.current) void save();
  }, [record.id]);

  useEffect(() => {
    if (!canSave) return;
    if (json === saved.current) {
      // Back to what the server holds (an undo before the save fired): nothing is unsaved.
      if (!blocked.current && !inFlight.current) setSaveState('saved');
      return;
    }
    if (!blocked.current) setSaveState('unsaved');
    const timer = window.setTimeout(() => void save(), SAVE_DELAY_MS);
    return () => window.clearTimeout(timer);
  }, [json, canSave, save]);

  useEffect(() => {
    let stale = false;
    const timer = window.setTimeout(() => {
      flowsApi.validate(JSON.parse(json)).then(
        (answer) => { if (!stale) setValidated({ json, problems: toProblems(answer.errors ?? []) }); },
        () => { if (!stale) setValidated(undefined); },
      );
    }, VALIDATE_DELAY_MS);
    return () => { stale = true; window.clearTimeout(timer); };
  }, [json]);

  const overwrite = useCallback(async () => {
    const current = await flowsApi.get(record.id);
    base.current = current.draftRevision;
    blocked.current = false;
    saved.current = '';
    setSaveError(undefined);
    await save();
  }, [record.id, save]);

  return {
    revision,
    publishedVersion,
    saveState,
    saveError,
    serverProblems: validated?.json === json ? validated.problems : undefined,
    overwrite,
    setPublished,
  };
}
