import type { FlowDocument } from '../designer/model';
import type { CronPreview } from './types';
import type { FlowListItem, FlowRecord, FlowVersion, PlanStep, ServerProblem } from './flowTypes';
import { enc, request } from './http';

/** The controller's flow store: drafts, validation, publishing, history, runs and schedules of flows. */
export const flowsApi = {
  list: () => request<FlowListItem[]>('GET', '/api/flows'),
  get: (id: string) => request<FlowRecord>('GET', `/api/flows/${enc(id)}`),
  /** Creates a flow, or imports a document (always as the draft); over an existing flow only with its current draft revision (else 409). */
  create: (definition: FlowDocument, baseRevision?: number) => request<FlowRecord>('POST', '/api/flows', { definition, baseRevision }),
  saveDraft: (id: string, definition: FlowDocument, baseRevision: number) =>
    request<{ draftRevision: number; errors?: ServerProblem[] }>('PUT', `/api/flows/${enc(id)}/draft`, { definition, baseRevision }),
  validate: (definition: FlowDocument) =>
    request<{ valid: boolean; errors: ServerProblem[] }>('POST', '/api/flows/validate', { definition }),
  publish: (id: string, revision: number) => request<{ version: number }>('POST', `/api/flows/${enc(id)}/publish`, { revision }),
  versions: (id: string) => request<FlowVersion[]>('GET', `/api/flows/${enc(id)}/versions`),
  version: (id: string, v: number) => request<{ version: number; definition: FlowDocument } | FlowDocument>('GET', `/api/flows/${enc(id)}/versions/${v}`),
  rollback: (id: string, version: number) => request<{ version: number }>('POST', `/api/flows/${enc(id)}/rollback`, { version }),
  exportJson: (id: string) => request<FlowDocument>('GET', `/api/flows/${enc(id)}/export`),
  plan: (id: string, version?: number) => request<{ steps: PlanStep[] }>('POST', `/api/flows/${enc(id)}/plan`, { version }),
  run: (id: string, version?: number) => request<{ workflowId: string }>('POST', `/api/flows/${enc(id)}/run`, { version }),
  schedule: (id: string, cron: string, timeZone?: string, overlap?: string) =>
    request<unknown>('POST', `/api/flows/${enc(id)}/schedule`, { cron, timeZone: timeZone || undefined, overlap: overlap || undefined }),
  cronPreview: (cron: string, tz: string, count = 5) =>
    request<CronPreview>('GET', `/api/cron/preview?cron=${enc(cron)}&tz=${enc(tz || 'UTC')}&count=${count}`),
};
