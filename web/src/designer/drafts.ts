import { fromDocument, makeNode, toDocument, type FlowEdge, type FlowMeta, type FlowNode } from './model';

// The draft kept in the browser until the controller stores flows (then: draft/published/history).

const KEY = 'udc.designer.draft';

export function emptyFlow(): { meta: FlowMeta; nodes: FlowNode[]; edges: FlowEdge[] } {
  return {
    meta: { id: 'new-flow', name: 'New flow', description: '', version: 0 },
    nodes: [makeNode('start', 'start', { x: 0, y: 0 }, {})],
    edges: [],
  };
}

/** The saved draft, or an empty flow when there is none or it no longer reads. */
export function loadDraft() {
  try {
    const raw = window.localStorage.getItem(KEY);
    if (raw) return fromDocument(JSON.parse(raw));
  } catch {
    // A draft from an older, incompatible app version: start fresh rather than fail to open.
  }
  return emptyFlow();
}

export function saveDraft(meta: FlowMeta, nodes: FlowNode[], edges: FlowEdge[]): void {
  window.localStorage.setItem(KEY, JSON.stringify(toDocument(meta, nodes, edges)));
}

export function exportFlow(meta: FlowMeta, nodes: FlowNode[], edges: FlowEdge[]): void {
  const blob = new Blob([JSON.stringify(toDocument(meta, nodes, edges), null, 2)], { type: 'application/json' });
  const a = document.createElement('a');
  a.href = URL.createObjectURL(blob);
  a.download = `${meta.id || 'flow'}.flow.json`;
  a.click();
  URL.revokeObjectURL(a.href);
}

export function importFlow(text: string) {
  return fromDocument(JSON.parse(text));
}
