/**
 * The one place the app talks HTTP to the controller. Every request carries the session cookie
 * (same origin); a 401 from any endpoint but the sign-in itself tells the shell to show the
 * sign-in page (listeners of `onSignedOut`), and the caller still gets the error. Refusals carry
 * the problem-details body so callers can show its `errors` (flow validation) next to the nodes.
 */

/** An API answer that was not a success: the problem details' detail when there is one. */
export class ApiError extends Error {
  readonly status: number;
  /** The parsed problem-details body (or whatever JSON came back), when there was one. */
  readonly body: Record<string, unknown> | undefined;
  constructor(status: number, message: string, body?: Record<string, unknown>) {
    super(message);
    this.status = status;
    this.body = body;
  }
}

const signedOutListeners = new Set<() => void>();

/** Called whenever the controller answers 401: the session is gone (expired, signed out elsewhere). */
export function onSignedOut(listener: () => void): () => void {
  signedOutListeners.add(listener);
  return () => signedOutListeners.delete(listener);
}

export function signalSignedOut(): void {
  signedOutListeners.forEach((l) => l());
}

export async function request<T>(method: string, url: string, body?: unknown): Promise<T> {
  const response = await fetch(url, {
    method,
    credentials: 'same-origin',
    headers: body === undefined ? undefined : { 'Content-Type': 'application/json' },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  if (!response.ok) {
    let message = `${method} ${url}: ${response.status} ${response.statusText}`;
    let problem: Record<string, unknown> | undefined;
    try {
      problem = await response.json();
      message = String(problem?.detail ?? problem?.title ?? message);
    } catch {
      // Not a JSON body; the status line says enough.
    }
    if (response.status === 401 && !url.startsWith('/api/auth/login')) signalSignedOut();
    if (response.status === 403) message = `Your role may not do this (${method} ${url}). ${problem?.detail ?? ''}`.trim();
    throw new ApiError(response.status, message, problem);
  }
  if (response.status === 204) return undefined as T;
  const text = await response.text();
  return (text ? JSON.parse(text) : undefined) as T;
}

export const enc = encodeURIComponent;
