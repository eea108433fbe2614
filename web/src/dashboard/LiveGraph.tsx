import { useEffect, useMemo, useState } from 'react';
import {
  Background, Controls, Handle, MarkerType, Position, ReactFlow, useReactFlow, useStore,
  type Edge, type Node, type NodeProps, type ReactFlowState,
} from '@xyflow/react';
import { api } from '../api/client';
import { flowsApi } from '../api/flows';
import type { NodeState, WorkflowDetails } from '../api/types';
import { progressOf } from './timeline';
import { fromDocument, makeEdge, makeNode, type FlowDocument, type FlowEdge, type FlowNode } from '../designer/model';

interface LiveData extends Record<string, unknown> {
  label: string;
  sub: string;
  state?: NodeState;
  /** Steps of built-in workflows run left to right. */
  horizontal?: boolean;
}
type LiveNode = Node<LiveData, 'live'>;

const nodeTypes = { live: LiveNodeView };
const STARTED: NodeState = { nodeId: 'start', state: 'done', attempt: 1 };
const edgeOptions = { type: 'smoothstep', markerEnd: { type: MarkerType.ArrowClosed } };
// The box is as tall as its nodes at the zoom fitView picks (never above 1), between these bounds:
// a small run gets a small box, a large one scrolls inside the largest.
const PADDING = 24;
const MIN_HEIGHT = 160;
const MAX_HEIGHT = 420;
const fitOptions = { padding: `${PADDING}px`, maxZoom: 1 } as const;
// Until the nodes are measured, the height is estimated from their positions with this node height.
const ESTIMATED_NODE_HEIGHT = 64;

/**
 * The run as a graph with each node's state: for `flow` runs the flow's own graph (from the run's
 * input, or the published version it names), for built-in workflows their steps in order as the
 * server lists them (a backup's or restore's whole plan from the start, each step under its
 * system). States come from GET /api/workflows/{id}/nodes once and then from the `nodes` events
 * of the run's live stream (`nodes` prop); a node the server has not mentioned yet is drawn as
 * waiting. Without a nodes endpoint the graph still shows, all waiting.
 */
export function LiveGraph({ run, nodes }: { run: WorkflowDetails; nodes: NodeState[] | undefined }) {
  const [fetched, setFetched] = useState<NodeState[]>();
  const [definition, setDefinition] = useState<FlowDocument>();
  const [error, setError] = useState<string>();
  const states = nodes ?? fetched;
  const isFlow = run.workflowType.toLowerCase() === 'flow';

  useEffect(() => {
    api.nodes(run.workflowId).then(setFetched, (e: Error) => setError(`Node states unavailable: ${e.message}`));
  }, [run.workflowId]);
  useEffect(() => {
    if (!isFlow) return;
    const input = (run.input ?? {}) as Record<string, unknown>;
    if (input.definition) { setDefinition(input.definition as FlowDocument); return; }
    const flowId = String(input.flowId ?? input.flow ?? '');
    if (flowId && input.version) {
      flowsApi.version(flowId, Number(input.version)).then((v) => setDefinition('definition' in v ? v.definition : v), (e: Error) => setError(e.message));
    }
  }, [isFlow, run.workflowId, run.input]);

  const graph = useMemo(() => {
    let base: { nodes: FlowNode[]; edges: FlowEdge[] };
    if (isFlow && definition) {
      try {
        base = fromDocument(definition);
      } catch (e) {
        return { nodes: [] as LiveNode[], edges: [] as Edge[], error: (e as Error).message };
      }
    } else {
      // Built-in workflows: their steps in the order the server lists them, one after another.
      const list = states ?? [];
      const at = stepPositions(list.map((s) => s.nodeId));
      base = {
        nodes: list.map((s, i) => makeNode(s.nodeId, 'activity', at[i], { label: stepName(s.nodeId) })),
        edges: list.slice(1).map((s, i) => makeEdge(list[i].nodeId, 'next', s.nodeId)),
      };
    }
    const byId = new Map((states ?? []).map((s) => [s.nodeId, s]));
    const live: LiveNode[] = base.nodes.map((n) => ({
      id: n.id,
      type: 'live',
      position: n.position,
      draggable: false,
      // The start node does no work: it is done as soon as the run exists.
      data: { label: n.data.label, sub: (isFlow ? n.data.activity : stepSystem(n.id)) ?? n.data.kind, state: byId.get(n.id) ?? (n.data.kind === 'start' ? STARTED : undefined), horizontal: !isFlow },
    }));
    // A live node has one source handle (no port handles, as the designer's nodes have): an edge
    // naming its port's handle finds none and is not drawn, so the port is kept as the label only.
    const edges = base.edges.map((e) => ({ ...e, sourceHandle: null, animated: byId.get(e.source)?.state === 'done' && byId.get(e.target)?.state === 'running' }));
    return { nodes: live, edges, error: undefined };
  }, [isFlow, definition, states]);
  const [measuredHeight, setMeasuredHeight] = useState<number>();
  const height = clampHeight(measuredHeight ?? estimatedHeight(graph.nodes));

  return (
    <div className="card">
      <h2>Live graph <span className="muted small">{states ? `${graph.nodes.filter((n) => n.data.state?.state === 'done').length}/${graph.nodes.length} done` : ''}</span></h2>
      {(error ?? graph.error) && <p className="muted small">{error ?? graph.error}</p>}
      <div className="live-graph" data-testid="live-graph" style={{ height }}>
        {graph.nodes.length > 0 && (
          <ReactFlow<LiveNode, Edge>
            // Built-in runs gain steps as they go: a new step mounts the view again, which fits it.
            key={graph.nodes.length}
            nodes={graph.nodes}
            edges={graph.edges}
            nodeTypes={nodeTypes}
            defaultEdgeOptions={edgeOptions}
            nodesDraggable={false}
            nodesConnectable={false}
            elementsSelectable={false}
            fitView
            fitViewOptions={fitOptions}
            // The graph sits in a page that scrolls: the wheel over it scrolls the page (it zoomed
            // the graph and trapped the page); zoom is on the buttons, a pinch or Ctrl+wheel.
            zoomOnScroll={false}
            preventScrolling={false}
            proOptions={{ hideAttribution: true }}
          >
            <Background gap={16} />
            <Controls showInteractive={false} fitViewOptions={fitOptions} />
            <SizeToContent onHeight={setMeasuredHeight} />
          </ReactFlow>
        )}
      </div>
    </div>
  );
}

// A planned step of a backup or restore is named for its system: "db-1/pre-backup".
function stepSystem(nodeId: string): string | undefined {
  const slash = nodeId.lastIndexOf('/');
  return slash > 0 ? nodeId.slice(0, slash) : undefined;
}

function stepName(nodeId: string): string {
  return nodeId.slice(nodeId.lastIndexOf('/') + 1);
}

const COLUMN = 260;
const ROW = 140;

/**
 * Steps left to right; a backup's steps start a new row at each system, so a job of many systems
 * reads as one row per system, top to bottom, instead of a line too long to read at the zoom
 * that fits it. Steps of no system (the windows) stay in the row they follow or lead into.
 */
function stepPositions(ids: string[]): { x: number; y: number }[] {
  let row = 0;
  let col = 0;
  let rowSystem: string | undefined;
  return ids.map((id) => {
    const system = stepSystem(id);
    if (system !== undefined && rowSystem !== undefined && system !== rowSystem) {
      row += 1;
      col = 0;
    }
    if (system !== undefined) rowSystem = system;
    return { x: col++ * COLUMN, y: row * ROW };
  });
}

function clampHeight(h: number): number {
  return Math.round(Math.min(MAX_HEIGHT, Math.max(MIN_HEIGHT, h)));
}

function estimatedHeight(nodes: LiveNode[]): number {
  if (nodes.length === 0) return MIN_HEIGHT;
  const ys = nodes.map((n) => n.position.y);
  return Math.max(...ys) - Math.min(...ys) + ESTIMATED_NODE_HEIGHT + 2 * PADDING;
}

// The measured nodes' extent as "width height", or undefined while one is not measured yet
// (a string, so that the store's updates re-render only when the extent changes).
function contentExtent(s: ReactFlowState): string | undefined {
  let left = Infinity, top = Infinity, right = -Infinity, bottom = -Infinity;
  for (const n of s.nodeLookup.values()) {
    const { width, height } = n.measured;
    if (!width || !height) return undefined;
    const p = n.internals.positionAbsolute;
    left = Math.min(left, p.x); top = Math.min(top, p.y);
    right = Math.max(right, p.x + width); bottom = Math.max(bottom, p.y + height);
  }
  return right > left ? `${right - left} ${bottom - top}` : undefined;
}

/**
 * Inside the graph: reports the height its nodes need at the zoom fitView picks for the box's
 * width (a wide run is shown smaller, so it needs less height), and fits the view again when the
 * box's height has changed, which React Flow does not do on its own.
 */
function SizeToContent({ onHeight }: { onHeight: (height: number) => void }) {
  const extent = useStore(contentExtent);
  const paneWidth = useStore((s) => s.width);
  const paneHeight = useStore((s) => s.height);
  const flow = useReactFlow();
  useEffect(() => {
    if (!extent || !paneWidth) return;
    const [w, h] = extent.split(' ').map(Number);
    const zoom = Math.min(1, (paneWidth - 2 * PADDING) / w);
    onHeight(h * zoom + 2 * PADDING);
  }, [extent, paneWidth, onHeight]);
  useEffect(() => {
    if (paneHeight) void flow.fitView(fitOptions);
  }, [paneHeight, flow]);
  return null;
}

function LiveNodeView({ id, data }: NodeProps<LiveNode>) {
  const s = data.state;
  const state = s?.state ?? 'waiting';
  // Progress is the activity's heartbeat: a fraction, a percentage, or done/total pairs.
  const progress = typeof s?.progress === 'number' ? (s.progress > 1 ? s.progress / 100 : s.progress) : progressOf(s?.progress);
  return (
    <div className={`fnode lnode lnode-${state}`} data-testid={`live-node-${id}`} data-state={state} title={s?.error ?? undefined}>
      <Handle type="target" position={data.horizontal ? Position.Left : Position.Top} />
      <div className="fnode-kind">{data.sub}<span className="lnode-state">{state}{s && s.attempt > 1 ? ` · attempt ${s.attempt}` : ''}</span></div>
      <div className="fnode-label">{data.label}</div>
      {state === 'running' && progress !== undefined && (
        <div className="progress" role="progressbar" aria-valuenow={Math.round(progress * 100)}><div style={{ width: `${progress * 100}%` }} /></div>
      )}
      {s?.error && <div className="fnode-summary lnode-error">{s.error}</div>}
      <Handle type="source" position={data.horizontal ? Position.Right : Position.Bottom} />
    </div>
  );
}
