import { fromDocument, makeNode, toDocument, type FlowEdge, type FlowMeta, type FlowNode } from './model';

// A new flow's first draft, and moving flow documents in and out of the browser as files.

export function emptyFlow(): { meta: FlowMeta; nodes: FlowNode[]; edges: FlowEdge[] } {
  return {
    meta: { id: 'new-flow', name: 'New flow', description: '', version: 0 },
    nodes: [makeNode('start', 'start', { x: 0, y: 0 }, {})],
    edges: [],
  };
}

/** Offers a flow document as a download named after the flow. */
export function downloadJson(name: string, document: unknown): void {
  const blob = new Blob([JSON.stringify(document, null, 2)], { type: 'application/json' });
  const a = window.document.createElement('a');
  a.href = URL.createObjectURL(blob);
  a.download = `${name || 'flow'}.flow.json`;
  a.click();
  URL.revokeObjectURL(a.href);
}

export function exportFlow(meta: FlowMeta, nodes: FlowNode[], edges: FlowEdge[]): void {
  downloadJson(meta.id, toDocument(meta, nodes, edges));
}

export function importFlow(text: string) {
  return fromDocument(JSON.parse(text));
}
