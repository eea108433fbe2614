import type { ActivityDescriptor, ActivityInput } from '../api/types';
import { controlSpec, isExpr, type FlowEdge, type FlowNode } from './model';
import { DEFAULT_PREFIXES, environmentProblems } from './scriptEnvironment';

/** One problem of a flow: the node (or edge) it is about, the field when there is one, and what to do. */
export interface FlowProblem {
  nodeId?: string;
  field?: string;
  message: string;
  /** The server's error code (cycle, missing-input, ...) when the server reported it. */
  code?: string;
}

/**
 * The code of problems the browser checks more strictly than the server's validation (kept beside
 * the server's list, and preferred to the server's problem for the same field).
 */
export const BROWSER_ONLY = 'browser-check';

const DURATION = /^(\d+\.)?\d{1,2}:\d{2}:\d{2}(\.\d+)?$/;
const EXPR_REF = /nodes\.([A-Za-z0-9_-]+)\.output\.([A-Za-z0-9_]+)/g;

/**
 * Checks a value against an activity input's declared type, the same rules the server's
 * ActivityInputValidator applies: required, whole numbers in range, ports 1..65535, durations
 * [d.]hh:mm:ss, booleans, text matching the declared pattern. Returns the message or undefined.
 */
export function checkInput(input: ActivityInput, value: unknown, envPrefixes: readonly string[] = DEFAULT_PREFIXES): string | undefined {
  const missing = value === undefined || value === null || (typeof value === 'string' && value === '');
  if (missing) return input.required ? `is required (${input.description})` : undefined;
  if (isExpr(value)) return value.$expr.trim() ? undefined : 'the expression is empty';
  switch (input.kind) {
    case 'int':
    case 'port': {
      if (typeof value !== 'number' || !Number.isInteger(value)) return `must be a whole number, got ${JSON.stringify(value)}`;
      const min = input.minimum ?? (input.kind === 'port' ? 1 : undefined);
      const max = input.maximum ?? (input.kind === 'port' ? 65535 : undefined);
      if ((min != null && value < min) || (max != null && value > max)) return `must be between ${min ?? '-inf'} and ${max ?? 'inf'}, got ${value}`;
      return undefined;
    }
    case 'bool':
      return typeof value === 'boolean' ? undefined : 'must be true or false';
    case 'duration':
      return typeof value === 'string' && DURATION.test(value) ? undefined : `must be a duration written [d.]hh:mm:ss (e.g. "00:05:00"), got ${JSON.stringify(value)}`;
    case 'json':
      return input.name === 'environment' ? checkEnvironment(value, envPrefixes) : undefined;
    default: {
      if (typeof value !== 'string') return `must be text, got ${JSON.stringify(value)}`;
      if (input.pattern) {
        try {
          if (!new RegExp(`^(?:${input.pattern})$`).test(value)) return `'${value}' does not match ${input.pattern}`;
        } catch {
          // A pattern the browser cannot compile is left to the server's check.
        }
      }
      return undefined;
    }
  }
}

/**
 * A script's environment: an object of names to text that the disk agents accept (the controller's
 * prefixes, see scriptEnvironment.ts); anything else would fail the step at run time, and a name
 * such as PATH or LD_PRELOAD could change what the agent runs.
 */
export function checkEnvironment(value: unknown, prefixes: readonly string[] = DEFAULT_PREFIXES): string | undefined {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return `must be an object of names to text, got ${JSON.stringify(value)}`;
  const problems = environmentProblems(value as Record<string, unknown>, prefixes);
  return problems.length ? problems.join('; ') : undefined;
}

/** An activity node's run options, as the server's FlowValidator checks them (fields `options.<name>`). */
function checkOptions(n: FlowNode): FlowProblem[] {
  const o = n.data.options ?? {};
  const problems: FlowProblem[] = [];
  for (const name of ['timeout', 'retryInterval', 'heartbeatTimeout'] as const) {
    const v = o[name];
    if (v !== undefined && (typeof v !== 'string' || !DURATION.test(v) || !/[1-9]/.test(v))) {
      problems.push({ nodeId: n.id, field: `options.${name}`, message: `options.${name} must be a positive duration written [d.]hh:mm:ss, got ${JSON.stringify(v)}` });
    }
  }
  if (o.maxAttempts !== undefined && (!Number.isInteger(o.maxAttempts) || o.maxAttempts < 1 || o.maxAttempts > 100)) {
    problems.push({ nodeId: n.id, field: 'options.maxAttempts', message: 'maxAttempts must be between 1 and 100' });
  }
  return problems;
}

/**
 * Inputs the run fills when a node leaves them empty (the server's FlowSiteInputs): the job id is
 * the run's id, an agent endpoint comes from the node's systemId, a media endpoint from its
 * mediaAgentId. Without this the browser would list problems the server does not have.
 */
export function isDerived(name: string, given: Record<string, unknown> | undefined): boolean {
  const named = (key: string) => { const v = given?.[key]; return v !== undefined && v !== null && v !== ''; };
  switch (name) {
    case 'jobId': return true;
    case 'agentEndpoint': return named('systemId');
    case 'mediaEndpoint': return named('mediaAgentId');
    default: return false;
  }
}

/**
 * Validates a whole flow as docs/design/flow-definition.md defines it: one start, every node
 * reachable, no cycles, known activities with valid inputs, ports used as their node allows,
 * parallels that meet at one join, if with a condition and a then branch, for-each with a
 * source and a body, try with a body and a finally, waits with durations, expressions that name
 * nodes that run earlier and outputs those nodes declare. Every problem is reported.
 */
export function validateFlow(nodes: FlowNode[], edges: FlowEdge[], catalog: ActivityDescriptor[] | undefined, envPrefixes: readonly string[] = DEFAULT_PREFIXES): FlowProblem[] {
  const problems: FlowProblem[] = [];
  const byId = new Map(nodes.map((n) => [n.id, n]));
  const out = new Map<string, FlowEdge[]>();
  const incoming = new Map<string, FlowEdge[]>();
  for (const e of edges) {
    out.set(e.source, [...(out.get(e.source) ?? []), e]);
    incoming.set(e.target, [...(incoming.get(e.target) ?? []), e]);
  }
  const portEdges = (id: string, port: string) => (out.get(id) ?? []).filter((e) => (e.data?.port ?? e.sourceHandle) === port);

  const starts = nodes.filter((n) => n.data.kind === 'start');
  if (starts.length !== 1) problems.push({ message: `a flow has exactly one start node, this one has ${starts.length}` });

  // Reachability and cycles over every edge kind: a flow is a directed acyclic graph.
  const reached = new Set<string>();
  const stack = starts.map((s) => s.id);
  while (stack.length) {
    const id = stack.pop()!;
    if (reached.has(id)) continue;
    reached.add(id);
    for (const e of out.get(id) ?? []) stack.push(e.target);
  }
  for (const n of nodes) {
    if (!reached.has(n.id)) problems.push({ nodeId: n.id, message: 'is not reachable from start' });
  }
  for (const id of findCycle(nodes, out)) problems.push({ nodeId: id, message: 'is part of a cycle; flows loop only with for-each' });

  for (const n of nodes) {
    const spec = controlSpec(n.data.kind);
    const allowed = spec?.ports ?? ['next'];
    for (const e of out.get(n.id) ?? []) {
      const port = e.data?.port ?? e.sourceHandle ?? 'next';
      if (!allowed.includes(port)) problems.push({ nodeId: n.id, message: `has an edge from port "${port}", which ${n.data.kind} nodes do not have` });
    }
    for (const port of allowed) {
      if (!spec?.multiPorts?.includes(port) && portEdges(n.id, port).length > 1) {
        problems.push({ nodeId: n.id, field: port, message: `port "${port}" has ${portEdges(n.id, port).length} edges; use a parallel node to branch` });
      }
    }
    if (n.data.kind === 'start' && (incoming.get(n.id)?.length ?? 0) > 0) problems.push({ nodeId: n.id, message: 'start cannot have incoming edges' });
    problems.push(...checkNode(n, portEdges, out, byId, catalog, envPrefixes));
  }

  problems.push(...checkExpressions(nodes, edges, byId, catalog));
  return problems;
}

function checkNode(
  n: FlowNode,
  portEdges: (id: string, port: string) => FlowEdge[],
  out: Map<string, FlowEdge[]>,
  byId: Map<string, FlowNode>,
  catalog: ActivityDescriptor[] | undefined,
  envPrefixes: readonly string[],
): FlowProblem[] {
  const p: FlowProblem[] = [];
  const c = n.data.config ?? {};
  const need = (port: string, what: string) => {
    if (portEdges(n.id, port).length === 0) p.push({ nodeId: n.id, field: port, message: what });
  };
  switch (n.data.kind) {
    case 'start':
      need('next', 'start must lead to the first step');
      break;
    case 'activity': {
      const activity = catalog?.find((a) => a.name === n.data.activity);
      if (!catalog) break;
      if (!activity) {
        p.push({ nodeId: n.id, message: `unknown activity "${n.data.activity}"` });
        break;
      }
      for (const input of activity.inputs) {
        if (isDerived(input.name, n.data.input) && n.data.input?.[input.name] === undefined) continue;
        const message = checkInput(input, n.data.input?.[input.name], envPrefixes);
        // The server checks the environment with the same rule (the controller's prefixes); the
        // browser's message is kept for the field so that it follows typing without a round trip.
        const environment = input.kind === 'json' && input.name === 'environment';
        if (message) p.push({ nodeId: n.id, field: input.name, message: `${input.name}${environment ? ':' : ''} ${message}`, code: environment ? BROWSER_ONLY : undefined });
      }
      for (const name of Object.keys(n.data.input ?? {})) {
        if (!activity.inputs.some((i) => i.name === name)) p.push({ nodeId: n.id, field: name, message: `${name} is not an input of ${activity.name}` });
      }
      p.push(...checkOptions(n));
      break;
    }
    case 'sequence':
      need('body', 'sequence needs a body');
      break;
    case 'if':
      if (!String(c.condition ?? '').trim()) p.push({ nodeId: n.id, field: 'condition', message: 'condition is required' });
      need('then', 'if needs a then branch');
      break;
    case 'forEach':
      if (!['zone', 'tier', 'expression'].includes(String(c.source))) p.push({ nodeId: n.id, field: 'source', message: 'source must be zone, tier or expression' });
      if (!String(c.value ?? '').trim()) p.push({ nodeId: n.id, field: 'value', message: `${c.source === 'expression' ? 'expression' : String(c.source ?? 'source')} is required` });
      if (!/^[A-Za-z_][A-Za-z0-9_]*$/.test(String(c.variable ?? ''))) p.push({ nodeId: n.id, field: 'variable', message: 'variable must be a name (letters, digits, _)' });
      if (!Number.isInteger(c.parallelism) || (c.parallelism as number) < 1) p.push({ nodeId: n.id, field: 'parallelism', message: 'parallelism must be a whole number ≥ 1' });
      need('body', 'for-each needs a body');
      break;
    case 'try':
      need('body', 'try needs a body');
      need('finally', 'try needs a finally branch (the cleanup that always runs)');
      break;
    case 'wait':
      if (!DURATION.test(String(c.duration ?? ''))) p.push({ nodeId: n.id, field: 'duration', message: 'duration must be written [d.]hh:mm:ss' });
      break;
    case 'approval':
      if (!/^[A-Za-z][A-Za-z0-9_.-]*$/.test(String(c.signal ?? ''))) p.push({ nodeId: n.id, field: 'signal', message: 'signal name is required (letters, digits, _ . -)' });
      if (c.timeout && !DURATION.test(String(c.timeout))) p.push({ nodeId: n.id, field: 'timeout', message: 'timeout must be empty or [d.]hh:mm:ss' });
      break;
    case 'parallel': {
      const branches = portEdges(n.id, 'branch');
      if (branches.length < 2) {
        p.push({ nodeId: n.id, field: 'branch', message: 'parallel needs at least two branches' });
        break;
      }
      const joins = new Set(branches.map((b) => firstJoin(b.target, out, byId)));
      if (joins.has(undefined) || joins.size !== 1) p.push({ nodeId: n.id, message: 'every branch must end at the same join node' });
      break;
    }
    case 'join':
      break;
  }
  return p;
}

// Follows `next` edges from a branch's first node to the join that ends it.
function firstJoin(start: string, out: Map<string, FlowEdge[]>, byId: Map<string, FlowNode>): string | undefined {
  const seen = new Set<string>();
  for (let id: string | undefined = start; id && !seen.has(id); ) {
    seen.add(id);
    if (byId.get(id)?.data.kind === 'join') return id;
    id = (out.get(id) ?? []).find((e) => (e.data?.port ?? e.sourceHandle) === 'next')?.target;
  }
  return undefined;
}

function findCycle(nodes: FlowNode[], out: Map<string, FlowEdge[]>): string[] {
  const state = new Map<string, 1 | 2>();
  const inCycle = new Set<string>();
  const path: string[] = [];
  const visit = (id: string) => {
    state.set(id, 1);
    path.push(id);
    for (const e of out.get(id) ?? []) {
      const s = state.get(e.target);
      if (s === 1) path.slice(path.indexOf(e.target)).forEach((x) => inCycle.add(x));
      else if (!s) visit(e.target);
    }
    path.pop();
    state.set(id, 2);
  };
  nodes.forEach((n) => { if (!state.has(n.id)) visit(n.id); });
  return [...inCycle];
}

// Expressions may name only nodes that run before (ancestors) and outputs they declare.
function checkExpressions(nodes: FlowNode[], edges: FlowEdge[], byId: Map<string, FlowNode>, catalog: ActivityDescriptor[] | undefined): FlowProblem[] {
  const problems: FlowProblem[] = [];
  const parents = new Map<string, string[]>();
  for (const e of edges) parents.set(e.target, [...(parents.get(e.target) ?? []), e.source]);
  const ancestors = (id: string) => {
    const seen = new Set<string>();
    const stack = [...(parents.get(id) ?? [])];
    while (stack.length) {
      const x = stack.pop()!;
      if (seen.has(x)) continue;
      seen.add(x);
      stack.push(...(parents.get(x) ?? []));
    }
    return seen;
  };
  for (const n of nodes) {
    const texts: [string, string][] = [];
    for (const [k, v] of Object.entries(n.data.input ?? {})) if (isExpr(v)) texts.push([k, v.$expr]);
    if (n.data.kind === 'if') texts.push(['condition', String(n.data.config?.condition ?? '')]);
    if (n.data.kind === 'forEach' && n.data.config?.source === 'expression') texts.push(['value', String(n.data.config?.value ?? '')]);
    if (!texts.length) continue;
    const before = ancestors(n.id);
    for (const [field, text] of texts) {
      for (const m of text.matchAll(EXPR_REF)) {
        const [, ref, output] = m;
        const target = byId.get(ref);
        if (!target) problems.push({ nodeId: n.id, field, message: `${field} names node "${ref}", which does not exist` });
        else if (!before.has(ref)) problems.push({ nodeId: n.id, field, message: `${field} uses "${ref}", which does not run before this node` });
        else if (catalog && target.data.kind === 'activity') {
          const declared = catalog.find((a) => a.name === target.data.activity)?.outputs ?? [];
          if (!declared.some((o) => o.name === output)) problems.push({ nodeId: n.id, field, message: `${field}: ${target.data.activity} has no output "${output}"` });
        }
      }
    }
  }
  return problems;
}
