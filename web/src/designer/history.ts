import { useCallback, useRef, useState } from 'react';

/**
 * Undo/redo over snapshots of the designer's state. A snapshot is pushed when a change is
 * committed (add, delete, connect, drag end, paste, layout, a property edit); typing into one
 * field commits once per field (`coalesceKey`) so undo does not step through every keystroke.
 */
export function useUndo<T>(limit = 200) {
  const past = useRef<T[]>([]);
  const future = useRef<T[]>([]);
  const lastKey = useRef<string | undefined>(undefined);
  const [, force] = useState(0);

  const commit = useCallback((before: T, coalesceKey?: string) => {
    if (coalesceKey && coalesceKey === lastKey.current) return;
    lastKey.current = coalesceKey;
    past.current.push(before);
    if (past.current.length > limit) past.current.shift();
    future.current = [];
    force((x) => x + 1);
  }, [limit]);

  const undo = useCallback((current: T): T | undefined => {
    const prev = past.current.pop();
    if (prev === undefined) return undefined;
    future.current.push(current);
    lastKey.current = undefined;
    force((x) => x + 1);
    return prev;
  }, []);

  const redo = useCallback((current: T): T | undefined => {
    const next = future.current.pop();
    if (next === undefined) return undefined;
    past.current.push(current);
    lastKey.current = undefined;
    force((x) => x + 1);
    return next;
  }, []);

  return { commit, undo, redo, canUndo: past.current.length > 0, canRedo: future.current.length > 0 };
}
