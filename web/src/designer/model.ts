import type { Edge, Node } from '@xyflow/react';

// The designer's model of a flow and its JSON form (spec: docs/design/flow-definition.md).

export const FLOW_SCHEMA = 'udc.flow/v1';

export type ControlKind = 'start' | 'sequence' | 'parallel' | 'join' | 'if' | 'forEach' | 'try' | 'wait' | 'approval';
export type NodeKind = ControlKind | 'activity';

/** An input value: a literal, or an expression over earlier nodes' outputs. */
export type InputValue = unknown | { $expr: string };

export interface FlowNodeData extends Record<string, unknown> {
  kind: NodeKind;
  label: string;
  /** The activity's registered name (activity nodes only). */
  activity?: string;
  /** Activity inputs by name (activity nodes only). */
  input?: Record<string, InputValue>;
  /** Run options of an activity node (see ACTIVITY_OPTIONS); absent ones take the defaults. */
  options?: ActivityOptions;
  /** Settings of a control node (see CONTROL_NODES). */
  config?: Record<string, unknown>;
}

export type FlowNode = Node<FlowNodeData, 'flow'>;

/** An activity node's run options: attempt timeout, attempts, first retry interval, heartbeat timeout. */
export interface ActivityOptions {
  timeout?: string;
  maxAttempts?: number;
  retryInterval?: string;
  heartbeatTimeout?: string;
}

/** The run options the interpreter reads, with their defaults (docs/design/flow-definition.md). */
export const ACTIVITY_OPTIONS: { name: keyof ActivityOptions; kind: 'duration' | 'int'; help: string; placeholder: string }[] = [
  { name: 'maxAttempts', kind: 'int', help: 'Attempts before the node fails (1 = no retry; 1..100). Errors that cannot change by retrying are never retried.', placeholder: '3' },
  { name: 'retryInterval', kind: 'duration', help: 'Wait before the first retry, doubling up to 5 minutes.', placeholder: '00:00:05' },
  { name: 'timeout', kind: 'duration', help: 'Longest time one attempt may take.', placeholder: '01:00:00' },
  { name: 'heartbeatTimeout', kind: 'duration', help: 'Fail the attempt when the activity reports no progress for this long (none by default).', placeholder: 'none' },
];

export interface FlowEdgeData extends Record<string, unknown> {
  port: string;
}

export type FlowEdge = Edge<FlowEdgeData>;

/** What a control node looks like and which ports (outgoing edge kinds) it has. */
export interface ControlNodeSpec {
  kind: ControlKind;
  label: string;
  summary: string;
  ports: string[];
  /** Ports that may carry several edges (parallel branches). */
  multiPorts?: string[];
  defaults: Record<string, unknown>;
}

export const CONTROL_NODES: ControlNodeSpec[] = [
  { kind: 'sequence', label: 'Sequence', summary: 'Runs its body chain, then continues', ports: ['body', 'next'], defaults: {} },
  { kind: 'parallel', label: 'Parallel', summary: 'Runs every branch at once up to a join', ports: ['branch'], multiPorts: ['branch'], defaults: { failFast: true } },
  { kind: 'join', label: 'Join', summary: 'Waits for every branch of its parallel', ports: ['next'], defaults: {} },
  { kind: 'if', label: 'If / else', summary: 'Runs then or else on a condition', ports: ['then', 'else', 'next'], defaults: { condition: '' } },
  { kind: 'forEach', label: 'For each', summary: 'Runs its body for each system of a zone or tier', ports: ['body', 'next'], defaults: { source: 'zone', value: '', variable: 'system', parallelism: 1 } },
  { kind: 'try', label: 'Try / finally', summary: 'Body, then a cleanup that always runs', ports: ['body', 'finally', 'next'], defaults: {} },
  { kind: 'wait', label: 'Wait', summary: 'Waits for a duration (durable timer)', ports: ['next'], defaults: { duration: '00:05:00' } },
  { kind: 'approval', label: 'Wait for approval', summary: 'Waits for an operator signal', ports: ['next', 'rejected'], defaults: { signal: 'approve', prompt: '', timeout: '' } },
];

export const START_SPEC: ControlNodeSpec = { kind: 'start', label: 'Start', summary: 'Where the flow begins', ports: ['next'], defaults: {} };

export function controlSpec(kind: NodeKind): ControlNodeSpec | undefined {
  return kind === 'start' ? START_SPEC : CONTROL_NODES.find((c) => c.kind === kind);
}

/** Ports of a node: an activity has `next` only. */
export function portsOf(kind: NodeKind): string[] {
  return controlSpec(kind)?.ports ?? ['next'];
}

export function isExpr(value: unknown): value is { $expr: string } {
  return !!value && typeof value === 'object' && typeof (value as { $expr?: unknown }).$expr === 'string';
}

/** The JSON document of a flow (what export writes and import reads). */
export interface FlowDocument {
  schema: string;
  id: string;
  name: string;
  description?: string;
  version: number;
  state: 'draft' | 'published';
  nodes: {
    id: string;
    kind: NodeKind;
    label: string;
    activity?: string;
    input?: Record<string, InputValue>;
    options?: ActivityOptions;
    config?: Record<string, unknown>;
    position: { x: number; y: number };
  }[];
  edges: { id: string; source: string; port: string; target: string }[];
}

export interface FlowMeta {
  id: string;
  name: string;
  description: string;
  version: number;
}

export function toDocument(meta: FlowMeta, nodes: FlowNode[], edges: FlowEdge[]): FlowDocument {
  return {
    schema: FLOW_SCHEMA,
    id: meta.id,
    name: meta.name,
    description: meta.description || undefined,
    version: meta.version,
    state: 'draft',
    nodes: nodes.map((n) => ({
      id: n.id,
      kind: n.data.kind,
      label: n.data.label,
      activity: n.data.activity,
      input: n.data.kind === 'activity' ? n.data.input ?? {} : undefined,
      options: n.data.kind === 'activity' && n.data.options && Object.keys(n.data.options).length ? n.data.options : undefined,
      config: n.data.kind !== 'activity' && n.data.config && Object.keys(n.data.config).length ? n.data.config : undefined,
      position: { x: Math.round(n.position.x), y: Math.round(n.position.y) },
    })),
    edges: edges.map((e) => ({ id: e.id, source: e.source, port: e.data?.port ?? e.sourceHandle ?? 'next', target: e.target })),
  };
}

/** Reads a flow document; throws with a message naming the first thing that is wrong. */
export function fromDocument(doc: unknown): { meta: FlowMeta; nodes: FlowNode[]; edges: FlowEdge[] } {
  if (!doc || typeof doc !== 'object') throw new Error('not a JSON object');
  const d = doc as FlowDocument;
  if (d.schema !== FLOW_SCHEMA) throw new Error(`schema must be "${FLOW_SCHEMA}", got ${JSON.stringify(d.schema)}`);
  if (!Array.isArray(d.nodes) || !Array.isArray(d.edges)) throw new Error('nodes and edges must be arrays');
  const ids = new Set<string>();
  const nodes: FlowNode[] = d.nodes.map((n, i) => {
    if (!n || typeof n.id !== 'string' || !n.id) throw new Error(`nodes[${i}]: id is required`);
    if (ids.has(n.id)) throw new Error(`nodes[${i}]: id "${n.id}" is used twice`);
    ids.add(n.id);
    if (n.kind !== 'activity' && !controlSpec(n.kind)) throw new Error(`nodes[${i}]: unknown kind "${n.kind}"`);
    return makeNode(n.id, n.kind, { x: n.position?.x ?? 0, y: n.position?.y ?? 0 }, {
      label: n.label, activity: n.activity, input: n.input, options: n.options, config: n.config,
    });
  });
  const edges: FlowEdge[] = d.edges.map((e, i) => {
    if (!ids.has(e.source) || !ids.has(e.target)) throw new Error(`edges[${i}]: source and target must be node ids`);
    return makeEdge(e.source, e.port ?? 'next', e.target, e.id);
  });
  return {
    meta: { id: d.id ?? 'flow', name: d.name ?? d.id ?? 'flow', description: d.description ?? '', version: Number(d.version) || 0 },
    nodes,
    edges,
  };
}

export function makeNode(id: string, kind: NodeKind, position: { x: number; y: number }, data: Partial<FlowNodeData>): FlowNode {
  const spec = controlSpec(kind);
  return {
    id,
    type: 'flow',
    position,
    deletable: kind !== 'start',
    data: {
      kind,
      label: data.label ?? spec?.label ?? data.activity ?? kind,
      activity: data.activity,
      input: kind === 'activity' ? { ...(data.input ?? {}) } : undefined,
      options: kind === 'activity' && data.options && Object.keys(data.options).length ? { ...data.options } : undefined,
      config: kind === 'activity' ? undefined : { ...(spec?.defaults ?? {}), ...(data.config ?? {}) },
    },
  };
}

export function makeEdge(source: string, port: string, target: string, id?: string): FlowEdge {
  return {
    id: id ?? `e-${source}-${port}-${target}`,
    source,
    sourceHandle: port,
    target,
    label: port === 'next' ? undefined : port,
    data: { port },
  };
}

/** A node id that is readable in expressions (nodes.open-port-2.output.x) and unused. */
export function newNodeId(base: string, taken: Set<string>): string {
  const stem = base.toLowerCase().replace(/[^a-z0-9]+/g, '-').replace(/^-|-$/g, '') || 'node';
  for (let i = 1; ; i++) {
    const id = `${stem}-${i}`;
    if (!taken.has(id)) return id;
  }
}
