import { useEffect, useState } from 'react';
import { authApi } from './auth';

export interface LiveState<T, E = unknown> {
  data: T | undefined;
  /** The latest payload of the optional second event (e.g. `nodes` beside `run`). */
  extra: E | undefined;
  error: string | undefined;
  /** True while the stream is open; false while the browser reconnects. */
  connected: boolean;
  /** True after the server said the subject will not change any more (a closed run). */
  ended: boolean;
}

/** What a refused stream shows until the controller's own reason arrives. */
const REFUSED = 'Live updates refused by the controller.';

/**
 * Subscribes to one server-sent event stream of the controller (/api/live/...), keeping the last
 * payload of `eventName` (and of `extraEvent` when given, from the same connection). The
 * browser's EventSource reconnects by itself after a network drop; a refused stream (401, 403,
 * 404) closes it for good, and then the page asks who is signed in, so an ended session shows the
 * sign-in page instead of a dead list; otherwise the controller's reason for the refusal shows
 * (e.g. no run has that id). An `end` event closes the stream for good. There is no other polling
 * in the app: lists and runs update only through these streams.
 */
export function useLive<T, E = unknown>(url: string | undefined, eventName: string, extraEvent?: string): LiveState<T, E> {
  const empty: LiveState<T, E> = { data: undefined, extra: undefined, error: undefined, connected: false, ended: false };
  const [state, setState] = useState<LiveState<T, E>>(empty);

  useEffect(() => {
    setState(empty);
    if (!url) return;
    const source = new EventSource(url, { withCredentials: true });
    let current = true;
    source.onopen = () => setState((s) => ({ ...s, connected: true }));
    source.onerror = () => {
      if (source.readyState === EventSource.CLOSED) {
        // Refused, not dropped: a 401 makes authApi.me() bring back the sign-in page.
        void authApi.me().catch(() => undefined);
        setState((s) => ({ ...s, connected: false, error: s.ended ? s.error : REFUSED }));
        // EventSource hides why; the same address asked once more answers with the problem's
        // detail (e.g. no run with a mistyped or pruned id), which replaces the bare refusal.
        void refusalOf(url).then((why) => why && current && setState((s) => (s.error === REFUSED ? { ...s, error: why } : s)));
        return;
      }
      setState((s) => ({ ...s, connected: false, error: s.ended ? s.error : 'Live updates interrupted; reconnecting…' }));
    };
    source.addEventListener(eventName, (e) =>
      setState((s) => ({ ...s, data: JSON.parse((e as MessageEvent).data) as T, error: undefined, connected: true })),
    );
    if (extraEvent) {
      source.addEventListener(extraEvent, (e) =>
        setState((s) => ({ ...s, extra: JSON.parse((e as MessageEvent).data) as E, connected: true })),
      );
    }
    source.addEventListener('error', (e) => {
      const data = (e as MessageEvent).data;
      if (typeof data === 'string') setState((s) => ({ ...s, error: JSON.parse(data).message }));
    });
    source.addEventListener('end', () => {
      source.close();
      setState((s) => ({ ...s, connected: false, ended: true, error: undefined }));
    });
    return () => { current = false; source.close(); };
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [url, eventName, extraEvent]);

  return state;
}

/**
 * The controller's detail for refusing the stream at `url` (its problem details), or undefined
 * when it gives none or now accepts it; an accepted stream is not read, only its answer's status.
 */
async function refusalOf(url: string): Promise<string | undefined> {
  const abort = new AbortController();
  try {
    const response = await fetch(url, { credentials: 'same-origin', headers: { Accept: 'application/json' }, signal: abort.signal });
    if (response.ok) return undefined;
    const problem = (await response.json()) as { detail?: unknown; title?: unknown };
    const why = problem.detail ?? problem.title;
    return typeof why === 'string' && why ? why : undefined;
  } catch {
    return undefined;
  } finally {
    abort.abort();
  }
}
