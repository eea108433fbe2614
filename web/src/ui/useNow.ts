import { useEffect, useState } from 'react';

/**
 * The browser's clock, re-read every `ms` while `active`, so "running for 2 min" keeps counting
 * between server events. It only re-renders; it never asks the server for anything.
 */
export function useNow(active: boolean, ms = 1000): number {
  const [now, setNow] = useState(Date.now());
  useEffect(() => {
    if (!active) return;
    const timer = window.setInterval(() => setNow(Date.now()), ms);
    return () => window.clearInterval(timer);
  }, [active, ms]);
  return now;
}
