import { useState } from 'react';
import { authApi } from '../api/auth';
import type { Session } from '../api/types';
import { Notice } from './Notice';

/**
 * Sign-in with a user name and password (POST /api/auth/login sets the HttpOnly session cookie;
 * the token in the answer is not kept by the page). A wrong password shows the server's refusal
 * and keeps the user name; nothing is retried automatically.
 */
export function SignInPage({ onSignedIn, expired }: { onSignedIn: (s: Session) => void; expired: boolean }) {
  const [user, setUser] = useState('');
  const [password, setPassword] = useState('');
  const [error, setError] = useState<string>();
  const [busy, setBusy] = useState(false);

  async function submit(e: React.FormEvent) {
    e.preventDefault();
    setBusy(true);
    setError(undefined);
    try {
      const s = await authApi.login(user.trim(), password);
      onSignedIn({ user: s.user, role: s.role });
    } catch (err) {
      setError((err as Error).message || 'Sign-in failed');
      setPassword('');
    } finally {
      setBusy(false);
    }
  }

  return (
    <main className="signin">
      <form className="card form signin-card" onSubmit={submit} aria-label="Sign in">
        <h1>UdcBackup</h1>
        <p className="muted">Sign in to the controller.</p>
        {expired && <Notice kind="info">Your session ended; sign in again to continue.</Notice>}
        <label>User<input name="user" autoComplete="username" value={user} onChange={(e) => setUser(e.target.value)} autoFocus /></label>
        <label>Password<input name="password" type="password" autoComplete="current-password" value={password} onChange={(e) => setPassword(e.target.value)} /></label>
        {error && <Notice kind="error">{error}</Notice>}
        <div><button className="primary" type="submit" disabled={busy || !user.trim() || !password}>Sign in</button></div>
        <p className="muted small">The first admin's password is in the controller's data folder: <code>initial-admin-password</code>.</p>
      </form>
    </main>
  );
}
