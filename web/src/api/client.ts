import type {
  ActivityDescriptor,
  ActivityInput,
  InputKind,
  ScheduleInfo,
  WorkflowDetails,
  WorkflowSummary,
} from './types';

/** An API answer that was not a success: the problem details' detail when there is one. */
export class ApiError extends Error {
  readonly status: number;
  constructor(status: number, message: string) {
    super(message);
    this.status = status;
  }
}

async function request<T>(method: string, url: string, body?: unknown): Promise<T> {
  const response = await fetch(url, {
    method,
    headers: body === undefined ? undefined : { 'Content-Type': 'application/json' },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  if (!response.ok) {
    let message = `${method} ${url}: ${response.status} ${response.statusText}`;
    try {
      const problem = await response.json();
      message = problem.detail ?? problem.title ?? message;
    } catch {
      // Not a problem-details body; the status line says enough.
    }
    throw new ApiError(response.status, message);
  }
  if (response.status === 204) return undefined as T;
  const text = await response.text();
  return (text ? JSON.parse(text) : undefined) as T;
}

const enc = encodeURIComponent;

export const api = {
  workflowTypes: () => request<string[]>('GET', '/api/workflow-types'),
  runs: (query: { type?: string; status?: string; limit?: number }) =>
    request<WorkflowSummary[]>('GET', `/api/workflows?${runQuery(query)}`),
  run: (id: string) => request<WorkflowDetails>('GET', `/api/workflows/${enc(id)}`),
  start: (type: string, input: unknown, id?: string) =>
    request<{ workflowId: string; runId: string }>('POST', '/api/workflows', { type, input, id: id || undefined }),
  cancel: (id: string, reason?: string) => request('POST', `/api/workflows/${enc(id)}/cancel`, { reason }),
  signal: (id: string, name: string, input: unknown) =>
    request('POST', `/api/workflows/${enc(id)}/signals/${enc(name)}`, { input }),
  schedules: () => request<ScheduleInfo[]>('GET', '/api/schedules'),
  pause: (id: string, note: string) => request<ScheduleInfo>('POST', `/api/schedules/${enc(id)}/pause`, { note }),
  unpause: (id: string, note: string) => request<ScheduleInfo>('POST', `/api/schedules/${enc(id)}/unpause`, { note }),
  trigger: (id: string) =>
    request<{ outcome: string; workflowId?: string; message?: string }>('POST', `/api/schedules/${enc(id)}/trigger`),
  activities: async () => (await request<ActivityDescriptor[]>('GET', '/api/activities')).map(normalizeActivity),
};

/** The query string of a runs list (shared by the list request and its live stream). */
export function runQuery(query: { type?: string; status?: string; limit?: number }): string {
  const params = new URLSearchParams();
  if (query.type) params.set('type', query.type);
  if (query.status) params.set('status', query.status);
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
}

/**
 * The systems of the current site version (GET /api/site holds the site as JSON text). No site
 * applied yet (404) gives an empty list: the picker then accepts any well-formed id.
 */
export async function siteSystems(): Promise<SiteSystem[]> {
  let version: { json?: string };
  try {
    version = await request<{ json?: string }>('GET', '/api/site');
  } catch (e) {
    if (e instanceof ApiError && e.status === 404) return [];
    throw e;
  }
  const site = version.json ? JSON.parse(version.json) : {};
  const list: unknown[] = site.systems ?? site.Systems ?? [];
  return list
    .map((x) => x as Record<string, unknown>)
    .map((x) => ({ id: String(x.id ?? x.Id ?? ''), zone: (x.zone ?? x.Zone) as string | undefined }))
    .filter((x) => x.id);
}

function normalizeActivity(a: ActivityDescriptor): ActivityDescriptor {
  return {
    ...a,
    inputs: (a.inputs ?? []).map((i: ActivityInput) => ({ ...i, kind: normalizeKind(i.kind) })),
    outputs: (a.outputs ?? []).map((o) => ({ ...o, kind: normalizeKind(o.kind) })),
  };
}
