import dagre from '@dagrejs/dagre';
import type { FlowEdge, FlowNode } from './model';

const WIDTH = 220;
const HEIGHT = 84;

/** Layered layout (dagre), top to bottom unless told; keeps ids and data, returns new positions only. */
export function autoLayout(nodes: FlowNode[], edges: FlowEdge[], direction: 'TB' | 'LR' = 'TB'): FlowNode[] {
  const g = new dagre.graphlib.Graph();
  g.setGraph({ rankdir: direction, nodesep: 40, ranksep: 60 });
  g.setDefaultEdgeLabel(() => ({}));
  for (const n of nodes) g.setNode(n.id, { width: n.measured?.width ?? WIDTH, height: n.measured?.height ?? HEIGHT });
  for (const e of edges) g.setEdge(e.source, e.target);
  dagre.layout(g);
  return nodes.map((n) => {
    const p = g.node(n.id);
    const w = n.measured?.width ?? WIDTH;
    const h = n.measured?.height ?? HEIGHT;
    return { ...n, position: { x: p.x - w / 2, y: p.y - h / 2 } };
  });
}
