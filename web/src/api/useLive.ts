import { useEffect, useState } from 'react';

export interface LiveState<T> {
  data: T | undefined;
  error: string | undefined;
  /** True while the stream is open; false while the browser reconnects. */
  connected: boolean;
  /** True after the server said the subject will not change any more (a closed run). */
  ended: boolean;
}

/**
 * Subscribes to one server-sent event stream of the controller (/api/live/...). The browser's
 * EventSource reconnects by itself after a network drop; an `end` event closes the stream for
 * good. There is no other polling in the app: lists and runs update only through these streams.
 */
export function useLive<T>(url: string | undefined, eventName: string): LiveState<T> {
  const [state, setState] = useState<LiveState<T>>({ data: undefined, error: undefined, connected: false, ended: false });

  useEffect(() => {
    setState({ data: undefined, error: undefined, connected: false, ended: false });
    if (!url) return;
    const source = new EventSource(url);
    source.onopen = () => setState((s) => ({ ...s, connected: true }));
    source.onerror = () =>
      setState((s) => ({ ...s, connected: false, error: s.ended ? s.error : 'Live updates interrupted; reconnecting…' }));
    source.addEventListener(eventName, (e) =>
      setState((s) => ({ ...s, data: JSON.parse((e as MessageEvent).data) as T, error: undefined, connected: true })),
    );
    source.addEventListener('error', (e) => {
      const data = (e as MessageEvent).data;
      if (typeof data === 'string') setState((s) => ({ ...s, error: JSON.parse(data).message }));
    });
    source.addEventListener('end', () => {
      source.close();
      setState((s) => ({ ...s, connected: false, ended: true, error: undefined }));
    });
    return () => source.close();
  }, [url, eventName]);

  return state;
}
