// Wire shapes of the flows API (/api/flows, contract: docs/design/flow-definition.md).
import type { FlowDocument } from '../designer/model';

export interface FlowListItem {
  id: string;
  name: string;
  draftRevision: number;
  publishedVersion: number | null;
  updatedAt: string;
  updatedBy: string;
}

export interface FlowRecord {
  id: string;
  name: string;
  draft: FlowDocument;
  draftRevision: number;
  published: { version: number; definition: FlowDocument } | null;
  /** Problems of the stored draft, when the server lists them. */
  errors?: ServerProblem[];
}

/** One validation error as the server reports it (validate, save and publish answers). */
export interface ServerProblem {
  nodeId: string | null;
  input: string | null;
  code: string;
  message: string;
}

export interface FlowVersion {
  version: number;
  publishedAt: string;
  publishedBy: string;
  note?: string | null;
}

/** One step of a run's plan: what it will do, in order, before it runs. */
export interface PlanStep {
  order: number;
  nodeId: string;
  kind: string;
  activity: string | null;
  summary: string;
  system: string | null;
  script: string | null;
  port: number | null;
}
