// Wire shapes of the controller's JSON API (camelCase, enums as strings). They mirror the
// records in src/UdcBackup.Server/Api/Contracts and the activity catalogue's descriptors.

export type RunStatus = 'Running' | 'Completed' | 'Failed' | 'Canceled' | 'ContinuedAsNew';
export const RUN_STATUSES: RunStatus[] = ['Running', 'Completed', 'Failed', 'Canceled', 'ContinuedAsNew'];

export interface Failure {
  kind: string;
  message: string;
  errorType?: string | null;
  activityType?: string | null;
  attempt?: number | null;
  cause?: Failure | null;
}

export interface WorkflowSummary {
  workflowId: string;
  runId: string;
  workflowType: string;
  status: RunStatus;
  startTime: string;
  closeTime?: string | null;
  /** How many systems a closed run's result reports (a backup), and how many of them were not ok. */
  systems?: number | null;
  systemsNotOk?: number | null;
}

export interface PendingActivity {
  activityId: number;
  activityType: string;
  attempt: number;
  scheduledTime: string;
  lastStartedTime?: string | null;
  nextAttemptTime?: string | null;
  lastFailure?: Failure | null;
  heartbeatDetails?: unknown;
  lastHeartbeatTime?: string | null;
}

export interface HistoryEntry {
  eventId: number;
  eventType: string;
  timestamp: string;
  commandId?: number | null;
  activityType?: string | null;
  attempt?: number | null;
  signalName?: string | null;
  workflowType?: string | null;
  workflowId?: string | null;
  input?: unknown;
  result?: unknown;
  failure?: Failure | null;
  fireAt?: string | null;
  details?: string | null;
  markerName?: string | null;
}

export interface WorkflowDetails extends WorkflowSummary {
  input?: unknown;
  result?: unknown;
  failure?: Failure | null;
  parentWorkflowId?: string | null;
  pendingActivities: PendingActivity[];
  history: HistoryEntry[];
}

export interface ScheduleAction {
  scheduledTime: string;
  actualTime: string;
  outcome: string;
  workflowId?: string | null;
  message?: string | null;
}

export interface ScheduleInfo {
  scheduleId: string;
  workflowType: string;
  input?: unknown;
  cronExpressions: string[];
  intervals: string[];
  timeZone: string;
  overlapPolicy: string;
  catchupWindow: string;
  paused: boolean;
  note?: string | null;
  createdAt: string;
  nextFireTimes: string[];
  recentActions: ScheduleAction[];
  runningWorkflowIds: string[];
  bufferedFireTime?: string | null;
}

/** The editor kinds of activity inputs (ActivityInputKind on the server, case-insensitive). */
export type InputKind = 'string' | 'int' | 'port' | 'duration' | 'system' | 'script' | 'bool' | 'json';

export interface ActivityInput {
  name: string;
  kind: InputKind;
  description: string;
  required: boolean;
  minimum?: number | null;
  maximum?: number | null;
  pattern?: string | null;
  uiHint?: string | null;
  default?: unknown;
}

export interface ActivityOutput {
  name: string;
  kind: InputKind;
  description: string;
}

export interface ActivityDescriptor {
  name: string;
  category: string;
  displayName: string;
  summary: string;
  description?: string | null;
  inputs: ActivityInput[];
  outputs: ActivityOutput[];
}

/** Body of POST /api/schedules (exactly one of cron and interval). */
export interface CreateSchedule {
  id: string;
  workflowType: string;
  input?: unknown;
  cron?: string;
  interval?: string;
  timeZone?: string;
  overlapPolicy?: string;
  catchupWindow?: string;
  paused?: boolean;
  note?: string | null;
}

/** One node's (or built-in step's) state in a run: GET /api/workflows/{id}/nodes and the SSE `nodes` event. */
export interface NodeState {
  nodeId: string;
  state: 'waiting' | 'running' | 'retrying' | 'failed' | 'done' | 'skipped' | 'canceled' | string;
  attempt: number;
  /** The running activity's last heartbeat (a number, or an object such as {bytesDone, bytesTotal}). */
  progress?: unknown;
  error?: string | null;
}

export type Role = 'viewer' | 'operator' | 'admin';

/** The signed-in operator (GET /api/auth/me). */
export interface Session {
  user: string;
  role: Role;
}

/** A workflow type and the signals its runs take (GET /api/workflow-types?signals=true). */
export interface WorkflowTypeInfo {
  name: string;
  signals: string[];
}

/** A protected system of the applied site (GET /api/systems). */
export interface SystemInfo {
  id: string;
  zone?: string;
  applicationKind?: string;
  scripts?: { phase: string; name: string; args: string[] }[];
}

/** A snapshot in the controller's catalog (GET /api/snapshots?system=). */
export interface SnapshotInfo {
  snapshotId: string;
  systemId: string;
  jobId: string;
  level: string;
  time: string;
  mediaAgentId: string;
  repository: string;
}

/** GET /api/cron/preview: the expression in words and its next firings. */
export interface CronPreview {
  description: string;
  next: string[];
}

/** An approval node a run is waiting at (GET /api/workflows/{id}/approvals). */
export interface PendingApproval {
  node: string;
  label?: string | null;
  signal: string;
  timeout?: string | null;
}
