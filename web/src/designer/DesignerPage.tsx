import { useCallback, useEffect, useMemo, useRef, useState } from 'react';
import {
  Background, Controls, MiniMap, ReactFlow, ReactFlowProvider, MarkerType, applyEdgeChanges, applyNodeChanges, useReactFlow,
  type Connection, type EdgeChange, type NodeChange,
} from '@xyflow/react';
import { api, siteSystems, type SiteSystem } from '../api/client';
import { can } from '../api/auth';
import { flowsApi } from '../api/flows';
import type { FlowRecord } from '../api/flowTypes';
import { ApiError, request } from '../api/http';
import type { ActivityDescriptor } from '../api/types';
import { Notice } from '../ui/Notice';
import { linkProps, navigate } from '../ui/router';
import { useSession } from '../ui/session';
import { FlowActions } from './FlowActions';
import { useServerFlow, toProblems } from './useServerFlow';
import { DesignerContext } from './context';
import { FlowNodeView } from './FlowNodeView';
import { useUndo } from './history';
import { autoLayout } from './layout';
import { fromDocument, makeEdge, makeNode, newNodeId, toDocument, type FlowDocument, type FlowEdge, type FlowMeta, type FlowNode } from './model';
import { DRAG_TYPE, Palette, type PaletteItem } from './Palette';
import { PropertiesPanel } from './PropertiesPanel';
import { BROWSER_ONLY, validateFlow, type FlowProblem } from './validate';
import { DEFAULT_PREFIXES } from './scriptEnvironment';
import { downloadJson, importFlow } from './drafts';
import { ProblemsList } from './ProblemsList';

const nodeTypes = { flow: FlowNodeView };
const defaultEdgeOptions = { type: 'smoothstep', markerEnd: { type: MarkerType.ArrowClosed } };

interface Snapshot { nodes: FlowNode[]; edges: FlowEdge[] }

/** Loads one stored flow (GET /api/flows/{id}) and opens it in the designer. */
export function DesignerPage({ flowId }: { flowId: string }) {
  const [record, setRecord] = useState<FlowRecord>();
  const [error, setError] = useState<string>();
  const [generation, setGeneration] = useState(0);
  useEffect(() => {
    setRecord(undefined);
    flowsApi.get(flowId).then(setRecord, (e: Error) =>
      setError(e instanceof ApiError && e.status === 404 ? `There is no flow "${flowId}".` : e.message));
  }, [flowId, generation]);
  if (error) return <section><p className="crumbs"><a {...linkProps('/designer')}>Flows</a></p><Notice kind="error">{error}</Notice></section>;
  if (!record) return <p className="muted">Loading {flowId}…</p>;
  return (
    <ReactFlowProvider>
      <Designer key={generation} record={record} onReload={() => setGeneration((g) => g + 1)} />
    </ReactFlowProvider>
  );
}

/**
 * The flow designer: palette, canvas, properties panel and problem list, on a draft the controller
 * stores (saved a moment after each change, see useServerFlow). The browser validates on every
 * change; the server's answer for the same document replaces it when it arrives, so the errors on
 * the nodes are the ones publishing will check. Viewers get the canvas read-only.
 */
function Designer({ record, onReload }: { record: FlowRecord; onReload: () => void }) {
  const session = useSession();
  const canEdit = can(session, 'operator');
  const initial = useMemo(() => {
    const d = fromDocument(record.draft);
    return { ...d, meta: { ...d.meta, id: record.id } };
  }, [record]);
  const [meta, setMeta] = useState<FlowMeta>(initial.meta);
  const [nodes, setNodes] = useState<FlowNode[]>(initial.nodes);
  const [edges, setEdges] = useState<FlowEdge[]>(initial.edges);
  const [catalog, setCatalog] = useState<ActivityDescriptor[]>();
  const [catalogError, setCatalogError] = useState<string>();
  const [systems, setSystems] = useState<SiteSystem[]>([]);
  const [notice, setNotice] = useState<string>();
  const clipboard = useRef<Snapshot | undefined>(undefined);
  const fileInput = useRef<HTMLInputElement>(null);
  const flow = useReactFlow<FlowNode, FlowEdge>();
  const history = useUndo<Snapshot>();
  const current = useRef<Snapshot>({ nodes, edges });
  current.current = { nodes, edges };

  useEffect(() => {
    api.activities().then(setCatalog, (e: Error) =>
      setCatalogError(`The activity catalogue could not be loaded (GET /api/activities): ${e.message}`));
  }, []);
  // The controller's script environment prefixes (its disk agents' rule); the default disk
  // agent's until the answer comes, and if it does not the server's own validation still applies.
  const [envPrefixes, setEnvPrefixes] = useState<readonly string[]>(DEFAULT_PREFIXES);
  useEffect(() => {
    request<{ prefixes: string[] }>('GET', '/api/settings/script-environment').then((s) => setEnvPrefixes(s.prefixes), () => undefined);
  }, []);
  useEffect(() => {
    // Suggestions only: without a site the system fields still take any well-formed id.
    siteSystems().then(setSystems, () => setSystems([]));
  }, []);
  const doc = useMemo(() => toDocument(meta, nodes, edges), [meta, nodes, edges]);
  const server = useServerFlow(record, doc, canEdit);
  const [refused, setRefused] = useState<FlowProblem[]>();
  const local = useMemo(() => validateFlow(nodes, edges, catalog, envPrefixes), [nodes, edges, catalog, envPrefixes]);
  // The server's answer replaces the browser's checks, except those the browser makes more
  // strictly (BROWSER_ONLY): for such a field the browser's message stands and the server's
  // coarser one for the same field is dropped, so a field shows one reason, the most precise.
  const problems = useMemo(() => {
    if (refused) return refused;
    if (!server.serverProblems) return local;
    const kept = local.filter((p) => p.code === BROWSER_ONLY);
    const covered = new Set(kept.map((p) => `${p.nodeId}\u0000${p.field}`));
    return [...server.serverProblems.filter((p) => !covered.has(`${p.nodeId}\u0000${p.field}`)), ...kept];
  }, [refused, server.serverProblems, local]);
  const docJson = useMemo(() => JSON.stringify(doc), [doc]);
  useEffect(() => setRefused(undefined), [docJson]);
  const problemsByNode = useMemo(() => {
    const map = new Map<string, typeof problems>();
    for (const p of problems) if (p.nodeId) map.set(p.nodeId, [...(map.get(p.nodeId) ?? []), p]);
    return map;
  }, [problems]);
  const selected = nodes.filter((n) => n.selected);

  const commit = useCallback((key?: string) => history.commit(current.current, key), [history]);
  const restore = (s: Snapshot | undefined) => {
    if (!s) return;
    setNodes(s.nodes);
    setEdges(s.edges);
  };

  const onNodesChange = useCallback((changes: NodeChange<FlowNode>[]) => {
    if (changes.some((c) => c.type === 'remove')) commit();
    setNodes((ns) => applyNodeChanges(changes, ns));
  }, [commit]);
  const onEdgesChange = useCallback((changes: EdgeChange<FlowEdge>[]) => {
    if (changes.some((c) => c.type === 'remove')) commit();
    setEdges((es) => applyEdgeChanges(changes, es));
  }, [commit]);
  const onConnect = useCallback((c: Connection) => {
    commit();
    const port = c.sourceHandle ?? 'next';
    setEdges((es) => [...es.filter((e) => e.id !== `e-${c.source}-${port}-${c.target}`), makeEdge(c.source, port, c.target)]);
  }, [commit]);

  const add = useCallback((item: PaletteItem, position?: { x: number; y: number }) => {
    commit();
    const taken = new Set(current.current.nodes.map((n) => n.id));
    const activity = item.activity ? catalog?.find((a) => a.name === item.activity) : undefined;
    const id = newNodeId(activity?.name.split('.').pop() ?? item.kind, taken);
    const anchor = current.current.nodes.filter((n) => n.selected);
    const at = position ?? (anchor.length === 1
      ? { x: anchor[0].position.x, y: anchor[0].position.y + 130 }
      : flow.screenToFlowPosition({ x: window.innerWidth / 2, y: window.innerHeight / 2 }));
    const defaults: Record<string, unknown> = {};
    for (const input of activity?.inputs ?? []) if (input.default !== undefined && input.default !== null) defaults[input.name] = input.default;
    const node = { ...makeNode(id, item.kind, at, { activity: item.activity, label: activity?.displayName, input: defaults }), selected: true };
    setNodes((ns) => [...ns.map((n) => ({ ...n, selected: false })), node]);
    // Added by click under one selected node: chain it on that node's free `next` port.
    if (!position && anchor.length === 1 && !current.current.edges.some((e) => e.source === anchor[0].id && e.data?.port === 'next')
      && anchor[0].data.kind !== 'parallel') {
      setEdges((es) => [...es, makeEdge(anchor[0].id, 'next', id)]);
    }
  }, [catalog, commit, flow]);

  const onDrop = useCallback((e: React.DragEvent) => {
    e.preventDefault();
    const raw = e.dataTransfer.getData(DRAG_TYPE);
    if (!raw) return;
    add(JSON.parse(raw) as PaletteItem, flow.screenToFlowPosition({ x: e.clientX, y: e.clientY }));
  }, [add, flow]);

  const updateNode = useCallback((id: string, update: Partial<FlowNode['data']>, field: string) => {
    commit(`${id}:${field}`);
    setNodes((ns) => ns.map((n) => (n.id === id ? { ...n, data: { ...n.data, ...update } } : n)));
  }, [commit]);

  const copy = () => {
    const picked = current.current.nodes.filter((n) => n.selected && n.data.kind !== 'start');
    const ids = new Set(picked.map((n) => n.id));
    clipboard.current = { nodes: picked, edges: current.current.edges.filter((e) => ids.has(e.source) && ids.has(e.target)) };
    setNotice(`${picked.length} node(s) copied`);
  };
  const paste = () => {
    const clip = clipboard.current;
    if (!clip || clip.nodes.length === 0) return;
    commit();
    const taken = new Set(current.current.nodes.map((n) => n.id));
    const rename = new Map<string, string>();
    for (const n of clip.nodes) {
      const id = newNodeId(n.id.replace(/-\d+$/, ''), taken);
      taken.add(id);
      rename.set(n.id, id);
    }
    const pasted = clip.nodes.map((n) => ({
      ...structuredClone(n), id: rename.get(n.id)!, selected: true, position: { x: n.position.x + 40, y: n.position.y + 40 },
    }));
    setNodes((ns) => [...ns.map((n) => ({ ...n, selected: false })), ...pasted]);
    setEdges((es) => [...es, ...clip.edges.map((e) => makeEdge(rename.get(e.source)!, e.data?.port ?? 'next', rename.get(e.target)!))]);
    clipboard.current = { nodes: pasted, edges: clip.edges.map((e) => makeEdge(rename.get(e.source)!, e.data?.port ?? 'next', rename.get(e.target)!)) };
  };
  const undo = () => restore(history.undo(current.current));
  const redo = () => restore(history.redo(current.current));
  const layout = () => {
    commit();
    setNodes((ns) => autoLayout(ns, current.current.edges));
    window.requestAnimationFrame(() => flow.fitView({ padding: 0.2, maxZoom: 1 }));
  };

  // Keyboard shortcuts apply to the canvas, not to text typed into a field nor to an open dialog
  // (plan, history, schedule) over it.
  const keys = useRef({ undo, redo, copy, paste });
  const none = () => {};
  keys.current = canEdit ? { undo, redo, copy, paste } : { undo: none, redo: none, copy: none, paste: none };
  useEffect(() => {
    const onKey = (e: KeyboardEvent) => {
      const t = e.target as HTMLElement;
      if (t.closest('input, textarea, select, [contenteditable=true], [role=dialog]') || !(e.ctrlKey || e.metaKey)) return;
      const k = e.key.toLowerCase();
      if (k === 'z' && !e.shiftKey) keys.current.undo();
      else if ((k === 'z' && e.shiftKey) || k === 'y') keys.current.redo();
      else if (k === 'c') keys.current.copy();
      else if (k === 'v') keys.current.paste();
      else return;
      e.preventDefault();
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, []);

  const focusNode = (id: string) => {
    setNodes((ns) => ns.map((n) => ({ ...n, selected: n.id === id })));
    const n = current.current.nodes.find((x) => x.id === id);
    if (n) flow.setCenter(n.position.x + 100, n.position.y + 40, { zoom: 1, duration: 200 });
  };

  const load = (next: { meta: FlowMeta; nodes: FlowNode[]; edges: FlowEdge[] }) => {
    commit();
    setMeta({ ...next.meta, id: record.id });
    setNodes(next.nodes);
    setEdges(next.edges);
    window.requestAnimationFrame(() => flow.fitView({ padding: 0.2, maxZoom: 1 }));
  };
  const loadDocument = (d: FlowDocument) => load(fromDocument(d));
  const exportServer = async () => {
    try {
      downloadJson(record.id, await flowsApi.exportJson(record.id));
    } catch (e) {
      setNotice(`Export failed: ${(e as Error).message}`);
    }
  };

  return (
    <DesignerContext.Provider value={{ problemsByNode, catalog, systems, readOnly: !canEdit }}>
      <section className="designer">
        <div className="toolbar" role="toolbar" aria-label="Designer">
          <a className="mono" {...linkProps('/designer')} title="All flows">Flows</a> /
          <span className="mono" data-testid="flow-id">{record.id}</span>
          <input aria-label="Flow name" value={meta.name} disabled={!canEdit} onChange={(e) => setMeta({ ...meta, name: e.target.value })} />
          {/* Next to the flow it is about, so the buttons wrap below it on a narrow window, not the badge.
              data-checked-by: whether the server has answered for this very document (tests wait on it). */}
          <span className={`validity ${problems.length ? 'bad' : 'good'}`} data-testid="problem-count" data-checked-by={server.serverProblems ? 'server' : 'browser'}>
            {problems.length ? `${problems.length} problem${problems.length > 1 ? 's' : ''}` : 'valid'}
          </span>
          <span className="toolbar-buttons">
            {/* A viewer gets no editing buttons, not disabled ones: copy only serves a paste it may not make. */}
            {canEdit && (
              <>
                <button onClick={undo} disabled={!history.canUndo} title="Ctrl+Z">Undo</button>
                <button onClick={redo} disabled={!history.canRedo} title="Ctrl+Shift+Z">Redo</button>
                <button onClick={copy} disabled={selected.length === 0} title="Ctrl+C">Copy</button>
                <button onClick={paste} title="Ctrl+V">Paste</button>
                <button onClick={layout}>Auto-layout</button>
              </>
            )}
            <button onClick={() => flow.fitView({ padding: 0.2, duration: 200 })}>Fit</button>
            <button onClick={exportServer}>Export</button>
            {canEdit && <button onClick={() => fileInput.current?.click()} title="Replace this draft with a flow file">Import</button>}
            <button onClick={() => navigate('/designer')}>All flows</button>
          </span>
          <input ref={fileInput} type="file" accept=".json,application/json" hidden onChange={async (e) => {
            const file = e.target.files?.[0];
            e.target.value = '';
            if (!file) return;
            try { load(importFlow(await file.text())); setNotice(`Imported ${file.name}`); } catch (err) { setNotice(`Import failed: ${(err as Error).message}`); }
          }} />
        </div>
        <FlowActions
          flowId={record.id}
          server={server}
          problemCount={problems.length}
          onRefused={(errors) => setRefused(toProblems(errors))}
          onLoad={loadDocument}
          onReload={onReload}
        />
        {notice && <div className="notice notice-info small" onClick={() => setNotice(undefined)}>{notice}</div>}
        <div className={`designer-body ${canEdit ? '' : 'read-only'}`}>
          {canEdit && <Palette catalog={catalog} error={catalogError} onAdd={(item) => add(item)} />}
          <div className="canvas" onDragOver={(e) => { e.preventDefault(); e.dataTransfer.dropEffect = 'move'; }} onDrop={onDrop} data-testid="canvas">
            {nodes.every((n) => n.data.kind === 'start') && (
              <p className="canvas-note muted" data-testid="canvas-note">{canEdit
                ? 'No steps yet: drag activities from the palette onto the canvas, or click one to add it under the selected node.'
                : 'No steps yet: this draft has only its start node.'}</p>
            )}
            <ReactFlow<FlowNode, FlowEdge>
              nodes={nodes}
              edges={edges}
              nodeTypes={nodeTypes}
              defaultEdgeOptions={defaultEdgeOptions}
              onNodesChange={onNodesChange}
              onEdgesChange={onEdgesChange}
              onConnect={onConnect}
              onNodeDragStart={() => commit()}
              nodesDraggable={canEdit}
              nodesConnectable={canEdit}
              edgesReconnectable={canEdit}
              isValidConnection={(c) => c.source !== c.target && nodes.find((n) => n.id === c.target)?.data.kind !== 'start'}
              deleteKeyCode={canEdit ? ['Delete', 'Backspace'] : null}
              multiSelectionKeyCode={['Control', 'Meta', 'Shift']}
              selectionOnDrag
              panOnDrag={[1, 2]}
              fitView
              fitViewOptions={{ padding: 0.3, maxZoom: 1 }}
              proOptions={{ hideAttribution: true }}
            >
              <Background gap={16} />
              {/* Its lock toggles dragging and connecting: an editor's switch, not a viewer's. */}
              <Controls showInteractive={canEdit} />
              <MiniMap pannable zoomable />
            </ReactFlow>
          </div>
          <PropertiesPanel
            readOnly={!canEdit}
            node={selected.length === 1 ? selected[0] : undefined}
            catalog={catalog}
            problems={selected.length === 1 ? problemsByNode.get(selected[0].id) ?? [] : []}
            onChange={updateNode}
          />
        </div>
        <ProblemsList problems={problems} onSelect={focusNode} />
      </section>
    </DesignerContext.Provider>
  );
}
