import type {
  ActivityDescriptor,
  CreateSchedule,
  ActivityInput,
  InputKind,
  NodeState,
  PendingApproval,
  ScheduleInfo,
  WorkflowDetails,
  WorkflowSummary,
  WorkflowTypeInfo,
} from './types';

import { ApiError, enc, request } from './http';

export { ApiError };

export const api = {
  workflowTypes: () => request<string[]>('GET', '/api/workflow-types'),
  /** The types an operator may start by hand (internal ones, e.g. backup.refused, left out). */
  startableWorkflowTypes: () => request<string[]>('GET', '/api/workflow-types?startable=true'),
  runs: (query: RunFilter & { after?: string }) =>
    request<WorkflowSummary[]>('GET', `/api/workflows?${runQuery(query)}${query.after ? `&after=${enc(query.after)}` : ''}`),
  nodes: (id: string) => request<NodeState[]>('GET', `/api/workflows/${enc(id)}/nodes`),
  run: (id: string) => request<WorkflowDetails>('GET', `/api/workflows/${enc(id)}`),
  start: (type: string, input: unknown, id?: string) =>
    request<{ workflowId: string; runId: string; previousRun?: WorkflowSummary | null }>('POST', '/api/workflows', { type, input, id: id || undefined }),
  cancel: (id: string, reason?: string) => request('POST', `/api/workflows/${enc(id)}/cancel`, { reason }),
  approvals: (id: string) => request<PendingApproval[]>('GET', `/api/workflows/${enc(id)}/approvals`),
  answer: (id: string, node: string, verb: 'approve' | 'reject', note: string) =>
    request<{ id: string; what: string }>('POST', `/api/workflows/${enc(id)}/approvals/${enc(node)}/${verb}`, { note: note || undefined }),
  signal: (id: string, name: string, input: unknown) =>
    request('POST', `/api/workflows/${enc(id)}/signals/${enc(name)}`, { input }),
  schedules: () => request<ScheduleInfo[]>('GET', '/api/schedules'),
  pause: (id: string, note: string) => request<ScheduleInfo>('POST', `/api/schedules/${enc(id)}/pause`, { note }),
  unpause: (id: string, note: string) => request<ScheduleInfo>('POST', `/api/schedules/${enc(id)}/unpause`, { note }),
  createSchedule: (body: CreateSchedule) => request<ScheduleInfo>('POST', '/api/schedules', body),
  updateSchedule: (body: CreateSchedule) => request<ScheduleInfo>('PUT', `/api/schedules/${enc(body.id)}`, body),
  deleteSchedule: (id: string) => request('DELETE', `/api/schedules/${enc(id)}`),
  trigger: (id: string) =>
    request<{ outcome: string; workflowId?: string; message?: string }>('POST', `/api/schedules/${enc(id)}/trigger`),
  activities: async () => (await request<ActivityDescriptor[]>('GET', '/api/activities')).map(normalizeActivity),
};

/**
 * The signals a run of `type` takes, as the controller lists them (empty: none); undefined when it
 * does not say: a controller from before the list answers bare type names, and one that no longer
 * registers the type cannot name its signals.
 */
export async function signalsOf(type: string): Promise<string[] | undefined> {
  const types = await request<(WorkflowTypeInfo | string)[]>('GET', '/api/workflow-types?signals=true');
  const found = types.find((t): t is WorkflowTypeInfo => typeof t === 'object' && t !== null && t.name === type);
  return Array.isArray(found?.signals) ? found.signals : undefined;
}

/** The server-side filters of a runs list (GET /api/workflows and /api/live/workflows). */
export interface RunFilter {
  type?: string;
  status?: string;
  /** A system the run's input names (docs: the runs API). */
  system?: string;
  /** ISO 8601, inclusive. */
  startedAfter?: string;
  /** ISO 8601, exclusive. */
  startedBefore?: string;
  limit?: number;
}

/** The query string of a runs list (shared by the list request and its live stream). */
export function runQuery(query: RunFilter): string {
  const params = new URLSearchParams();
  if (query.type) params.set('type', query.type);
  if (query.status) params.set('status', query.status);
  if (query.system) params.set('system', query.system);
  if (query.startedAfter) params.set('startedAfter', query.startedAfter);
  if (query.startedBefore) params.set('startedBefore', query.startedBefore);
  params.set('limit', String(query.limit ?? 200));
  return params.toString();
}

const KINDS: Record<string, InputKind> = {
  string: 'string', text: 'string', int: 'int', integer: 'int', number: 'int', port: 'port',
  duration: 'duration', timespan: 'duration', system: 'system', script: 'script',
  bool: 'bool', boolean: 'bool', json: 'json', object: 'json',
};

// ActivityInputKind's numeric values (docs/design/activities.md), for a serializer without enum names.
const KIND_NUMBERS: InputKind[] = ['string', 'int', 'port', 'duration', 'system', 'script', 'bool', 'json'];

/** Kinds arrive as enum names ("Port") or numbers (2); unknown kinds are edited as JSON rather than dropped. */
export function normalizeKind(kind: unknown): InputKind {
  if (typeof kind === 'number') return KIND_NUMBERS[kind] ?? 'json';
  return KINDS[String(kind ?? '').toLowerCase()] ?? 'json';
}

/** A protected system of the applied site model, for the designer's system picker. */
export interface SiteSystem {
  id: string;
  zone?: string;
  /** The scripts the site names for the system (pre/post-backup, stop/start programs), for the script picker. */
  scripts: string[];
  /** Each script call of the system with the role it has and the environment the site gives it. */
  scriptCalls: SiteScriptCall[];
}

/** One script call of a system in the site model: its role (preBackup ...), name and environment. */
export interface SiteScriptCall {
  role: string;
  name: string;
  env: Record<string, string>;
}

/** The parts of the applied site the pages need: systems, and which systems each job backs up. */
export interface SiteModel {
  systems: SiteSystem[];
  jobs: { id: string; systems: string[] }[];
}

/**
 * The current site version (GET /api/site holds the site as JSON text). No site applied yet gives
 * an empty model: pickers then accept any well-formed id, and pages say what to do. The systems
 * list (GET /api/systems, an empty list without a site) is asked first, because GET /api/site
 * answers "no site" with a 404 that the browser logs as a failed request on every page load.
 */
export async function siteModel(): Promise<SiteModel> {
  if ((await request<unknown[]>('GET', '/api/systems')).length === 0) return { systems: [], jobs: [] };
  let version: { json?: string };
  try {
    version = await request<{ json?: string }>('GET', '/api/site');
  } catch (e) {
    if (e instanceof ApiError && e.status === 404) return { systems: [], jobs: [] };
    throw e;
  }
  const site = version.json ? JSON.parse(version.json) : {};
  const list = (x: unknown): Record<string, unknown>[] => (Array.isArray(x) ? x : []) as Record<string, unknown>[];
  return {
    systems: list(site.systems ?? site.Systems)
      .map((x) => {
        const calls = scriptCalls(x.scripts ?? x.Scripts);
        return { id: String(x.id ?? x.Id ?? ''), zone: (x.zone ?? x.Zone) as string | undefined, scripts: [...new Set(calls.map((c) => c.name))].sort(), scriptCalls: calls };
      })
      .filter((x) => x.id),
    jobs: list(site.jobs ?? site.Jobs)
      .map((j) => ({ id: String(j.id ?? j.Id ?? ''), systems: (j.systems ?? j.Systems ?? []) as string[] }))
      .filter((j) => j.id),
  };
}

// A system's scripts object maps a role to a call ({name, args, env} or a bare name); roles
// without a call (null) are left out, and env values are kept only when they are text.
function scriptCalls(scripts: unknown): SiteScriptCall[] {
  if (!scripts || typeof scripts !== 'object') return [];
  const calls: SiteScriptCall[] = [];
  for (const [role, call] of Object.entries(scripts as Record<string, unknown>)) {
    const c = (typeof call === 'string' ? { name: call } : call ?? {}) as { name?: unknown; Name?: unknown; env?: unknown; Env?: unknown };
    const name = c.name ?? c.Name;
    if (typeof name !== 'string' || !name) continue;
    const env: Record<string, string> = {};
    const given = c.env ?? c.Env;
    if (given && typeof given === 'object') {
      for (const [k, v] of Object.entries(given as Record<string, unknown>)) if (typeof v === 'string') env[k] = v;
    }
    calls.push({ role, name, env });
  }
  return calls;
}

export async function siteSystems(): Promise<SiteSystem[]> {
  return (await siteModel()).systems;
}

function normalizeActivity(a: ActivityDescriptor): ActivityDescriptor {
  return {
    ...a,
    inputs: (a.inputs ?? []).map((i: ActivityInput) => ({ ...i, kind: normalizeKind(i.kind) })),
    outputs: (a.outputs ?? []).map((o) => ({ ...o, kind: normalizeKind(o.kind) })),
  };
}
