import { useEffect, useState } from 'react';

// A tiny history-API router: the controller answers every non-API path with index.html, so
// deep links (/runs/abc) load the app, and the app picks the page from the path.

const listeners = new Set<() => void>();

export function navigate(path: string): void {
  if (path === window.location.pathname + window.location.search) return;
  window.history.pushState(null, '', path);
  listeners.forEach((l) => l());
}

export function usePath(): string {
  const [path, setPath] = useState(window.location.pathname);
  useEffect(() => {
    const update = () => setPath(window.location.pathname);
    listeners.add(update);
    window.addEventListener('popstate', update);
    return () => {
      listeners.delete(update);
      window.removeEventListener('popstate', update);
    };
  }, []);
  return path;
}

/** An anchor that navigates in the app (and still opens in a new tab with a modifier key). */
export function linkProps(path: string) {
  return {
    href: path,
    onClick: (e: { ctrlKey: boolean; metaKey: boolean; shiftKey: boolean; button: number; preventDefault(): void }) => {
      if (e.ctrlKey || e.metaKey || e.shiftKey || e.button !== 0) return;
      e.preventDefault();
      navigate(path);
    },
  };
}
