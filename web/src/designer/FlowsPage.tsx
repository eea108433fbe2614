import { useEffect, useRef, useState } from 'react';
import { can } from '../api/auth';
import { flowsApi } from '../api/flows';
import type { FlowListItem } from '../api/flowTypes';
import { formatTime } from '../ui/format';
import { Notice } from '../ui/Notice';
import { linkProps, navigate } from '../ui/router';
import { useSession } from '../ui/session';
import { emptyFlow } from './drafts';
import { fromDocument, toDocument } from './model';
import { storedDraftOf } from './useServerFlow';

const FLOW_ID = /^[a-z0-9][a-z0-9-]{0,62}$/;

/**
 * The flows the controller stores: draft revision, published version, last change and who made
 * it. Operators create a flow (id + name, an empty draft with a start node) or import a JSON
 * document (always stored as the draft; the server refuses a document whose structure it cannot
 * read and keeps flow problems as problems; a document whose id is a stored flow replaces that
 * draft only when the operator confirms it, knowing who saved it and when). Viewers see the list only.
 */
export function FlowsPage() {
  const session = useSession();
  const [flows, setFlows] = useState<FlowListItem[]>();
  const [error, setError] = useState<string>();
  const [id, setId] = useState('');
  const [name, setName] = useState('');
  const [clash, setClash] = useState<{ file: File; flowId: string; revision: number; by: string; at: string }>();
  const fileInput = useRef<HTMLInputElement>(null);
  const mayEdit = can(session, 'operator');
  // The controller refuses a new flow whose id is taken (409); saying so here spares the click.
  const taken = flows?.find((f) => f.id === id.trim());

  useEffect(() => {
    flowsApi.list().then(setFlows, (e: Error) => setError(e.message));
  }, []);

  async function create() {
    setError(undefined);
    const flow = emptyFlow();
    try {
      const created = await flowsApi.create(toDocument({ ...flow.meta, id: id.trim(), name: name.trim() || id.trim() }, flow.nodes, flow.edges));
      navigate(`/designer/${encodeURIComponent(created.id ?? id.trim())}`);
    } catch (e) {
      // Taken since the list was loaded.
      const stored = storedDraftOf(e);
      setError(stored ? `A flow ${id.trim()} exists already (draft r${stored.revision}, saved by ${stored.by} at ${formatTime(stored.at)}): open it or choose another id.` : (e as Error).message);
    }
  }

  async function importFile(file: File, replacing?: { revision: number }) {
    setError(undefined);
    setClash(undefined);
    let flowId = '';
    try {
      const parsed = fromDocument(JSON.parse(await file.text()));
      flowId = parsed.meta.id;
      const created = await flowsApi.create(toDocument({ ...parsed.meta, version: 0 }, parsed.nodes, parsed.edges), replacing?.revision);
      navigate(`/designer/${encodeURIComponent(created.id ?? parsed.meta.id)}`);
    } catch (e) {
      // The file's id is a stored flow: replacing its draft is the operator's choice, made knowing whose draft it is.
      const stored = storedDraftOf(e);
      if (stored) {
        setClash({ file, flowId, ...stored });
      } else {
        setError(`Import of ${file.name} failed: ${(e as Error).message}`);
      }
    }
  }

  return (
    <section>
      <header className="page-header">
        <h1>Flows</h1>
        {mayEdit && (
          <div className="actions">
            <button onClick={() => fileInput.current?.click()}>Import…</button>
            <input ref={fileInput} type="file" accept=".json,application/json" hidden aria-label="Import flow file" onChange={(e) => {
              const file = e.target.files?.[0];
              e.target.value = '';
              if (file) void importFile(file);
            }} />
          </div>
        )}
      </header>
      {error && <Notice kind="error">{error}</Notice>}
      {clash && (
        <Notice kind="error">
          {clash.file.name} was not imported: flow <a className="mono" {...linkProps(`/designer/${encodeURIComponent(clash.flowId)}`)}>{clash.flowId}</a> exists
          already (draft r{clash.revision}, saved by {clash.by} at {formatTime(clash.at)}).{' '}
          <button onClick={() => void importFile(clash.file, clash)}>Replace its draft with the file</button>
        </Notice>
      )}
      {mayEdit && (
        <form className="card form inline-form" aria-label="New flow" onSubmit={(e) => { e.preventDefault(); void create(); }}>
          <label>Flow id<input className="mono" value={id} placeholder="billing-nightly" onChange={(e) => setId(e.target.value)} /></label>
          <label>Name<input value={name} placeholder="Billing nightly backup" onChange={(e) => setName(e.target.value)} /></label>
          <button className="primary" type="submit" disabled={!FLOW_ID.test(id.trim()) || !!taken}>New flow</button>
          {id && !FLOW_ID.test(id.trim()) && <span className="field-error">lower-case letters, digits and -, up to 63</span>}
          {taken && (
            <span className="field-error" role="alert">
              A flow {taken.id} exists already (draft r{taken.draftRevision}): <a {...linkProps(`/designer/${encodeURIComponent(taken.id)}`)}>open it</a> or choose another id.
            </span>
          )}
        </form>
      )}
      <table className="grid" aria-label="Flows">
        <thead><tr><th>Flow</th><th>Name</th><th>Draft</th><th>Published</th><th>Changed</th><th>By</th></tr></thead>
        <tbody>
          {(flows ?? []).map((f) => (
            <tr key={f.id} data-flow-id={f.id}>
              <td><a className="mono" {...linkProps(`/designer/${encodeURIComponent(f.id)}`)}>{f.id}</a></td>
              <td>{f.name}</td>
              <td>r{f.draftRevision}</td>
              <td>{f.publishedVersion ? `v${f.publishedVersion}` : <span className="muted">never</span>}</td>
              <td>{formatTime(f.updatedAt)}</td>
              <td>{f.updatedBy}</td>
            </tr>
          ))}
          {!flows && !error && <tr><td colSpan={6} className="empty">Loading flows…</td></tr>}
          {flows && flows.length === 0 && <tr><td colSpan={6} className="empty">No flows yet.</td></tr>}
        </tbody>
      </table>
    </section>
  );
}
