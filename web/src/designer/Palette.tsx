import { useMemo, useState } from 'react';
import type { ActivityDescriptor } from '../api/types';
import { CONTROL_NODES, type NodeKind } from './model';

/** What a palette drag carries (JSON in the drag data under this type). */
export const DRAG_TYPE = 'application/x-udc-node';

export interface PaletteItem {
  kind: NodeKind;
  activity?: string;
}

/**
 * The palette: control nodes, then the catalogue's activities grouped by category (generated
 * from GET /api/activities, nothing listed by hand). Drag an entry onto the canvas, or click it
 * to add it below the selection.
 */
export function Palette({ catalog, error, onAdd }: { catalog: ActivityDescriptor[] | undefined; error?: string; onAdd: (item: PaletteItem) => void }) {
  const [filter, setFilter] = useState('');
  const groups = useMemo(() => {
    const f = filter.trim().toLowerCase();
    const map = new Map<string, ActivityDescriptor[]>();
    for (const a of catalog ?? []) {
      if (f && !`${a.displayName} ${a.name} ${a.category} ${a.summary}`.toLowerCase().includes(f)) continue;
      map.set(a.category, [...(map.get(a.category) ?? []), a]);
    }
    return [...map.entries()].sort(([a], [b]) => a.localeCompare(b));
  }, [catalog, filter]);

  const entry = (key: string, item: PaletteItem, label: string, hint: string, testId: string) => (
    <div
      key={key}
      className="palette-item"
      draggable
      data-testid={testId}
      title={hint}
      onDragStart={(e) => {
        e.dataTransfer.setData(DRAG_TYPE, JSON.stringify(item));
        e.dataTransfer.effectAllowed = 'move';
      }}
      onClick={() => onAdd(item)}
    >
      <span>{label}</span>
    </div>
  );

  return (
    <aside className="palette" aria-label="Palette">
      <input className="palette-filter" placeholder="Filter activities" value={filter} onChange={(e) => setFilter(e.target.value)} />
      <h3>Control</h3>
      {CONTROL_NODES.map((c) => entry(c.kind, { kind: c.kind }, c.label, c.summary, `palette-${c.kind}`))}
      {error && <p className="notice notice-error small">{error}</p>}
      {!catalog && !error && <p className="muted small">Loading activities…</p>}
      {groups.map(([category, items]) => (
        <div key={category}>
          <h3>{category}</h3>
          {items.map((a) => entry(a.name, { kind: 'activity', activity: a.name }, a.displayName, `${a.name}: ${a.description ?? a.summary}`, `palette-${a.name}`))}
        </div>
      ))}
    </aside>
  );
}
