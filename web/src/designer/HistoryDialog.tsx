import { useEffect, useState } from 'react';
import { flowsApi } from '../api/flows';
import type { FlowVersion } from '../api/flowTypes';
import { Dialog } from '../ui/Dialog';
import { formatTime } from '../ui/format';
import { Notice } from '../ui/Notice';
import type { FlowDocument } from './model';

/**
 * The published versions of a flow, newest first. Roll back (admin) publishes a copy of an old
 * version as the next version (history is never rewritten); "Edit from here" (operator) loads an
 * old version into the canvas, where it becomes the draft on the next save.
 */
export function HistoryDialog({ flowId, mayRollback, mayEdit, onRolledBack, onLoad, onClose }: {
  flowId: string;
  mayRollback: boolean;
  mayEdit: boolean;
  onRolledBack: (version: number) => void;
  onLoad: (doc: FlowDocument) => void;
  onClose: () => void;
}) {
  const [versions, setVersions] = useState<FlowVersion[]>();
  const [message, setMessage] = useState<{ kind: 'error' | 'info'; text: string }>();

  const reload = () => flowsApi.versions(flowId).then(
    (v) => setVersions([...v].sort((a, b) => b.version - a.version)),
    (e: Error) => setMessage({ kind: 'error', text: e.message }),
  );
  useEffect(() => { void reload(); }, [flowId]); // eslint-disable-line react-hooks/exhaustive-deps

  async function rollback(version: number) {
    if (!window.confirm(`Publish a copy of v${version} as the newest version?`)) return;
    try {
      const r = await flowsApi.rollback(flowId, version);
      setMessage({ kind: 'info', text: `v${version} is published again as v${r.version}.` });
      onRolledBack(r.version);
      await reload();
    } catch (e) {
      setMessage({ kind: 'error', text: (e as Error).message });
    }
  }

  async function load(version: number) {
    try {
      const v = await flowsApi.version(flowId, version);
      onLoad('definition' in v ? v.definition : v);
      onClose();
    } catch (e) {
      setMessage({ kind: 'error', text: (e as Error).message });
    }
  }

  return (
    <Dialog title={`History of ${flowId}`} onClose={onClose} wide>
      {message && <Notice kind={message.kind}>{message.text}</Notice>}
      <table className="grid" aria-label="Versions">
        <thead><tr><th>Version</th><th>Published</th><th>By</th><th /></tr></thead>
        <tbody>
          {(versions ?? []).map((v, i) => (
            <tr key={v.version} data-version={v.version}>
              <td>v{v.version}{i === 0 && <span className="muted small"> (current)</span>}</td>
              <td className="nowrap">{formatTime(v.publishedAt)}</td>
              <td>{v.publishedBy}{v.note && <div className="muted small">{v.note}</div>}</td>
              <td>
                <div className="row-actions">
                  {mayEdit && <button onClick={() => load(v.version)}>Edit from here</button>}
                  {mayRollback && i > 0 && <button onClick={() => rollback(v.version)}>Roll back to v{v.version}</button>}
                </div>
              </td>
            </tr>
          ))}
          {versions && versions.length === 0 && <tr><td colSpan={4} className="empty">Not published yet.</td></tr>}
        </tbody>
      </table>
    </Dialog>
  );
}
