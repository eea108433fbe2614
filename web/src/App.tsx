import { useEffect, useState } from 'react';
import { authApi } from './api/auth';
import { onSignedOut } from './api/http';
import type { Role, Session } from './api/types';
import { linkProps, navigate, usePath } from './ui/router';
import { SessionContext } from './ui/session';
import { SignInPage } from './ui/SignInPage';
import { RunsPage } from './dashboard/RunsPage';
import { RunDetailPage } from './dashboard/RunDetailPage';
import { SchedulesPage } from './dashboard/SchedulesPage';
import { SnapshotsPage } from './dashboard/SnapshotsPage';
import { DesignerPage } from './designer/DesignerPage';
import { FlowsPage } from './designer/FlowsPage';
import { UsersPage } from './dashboard/UsersPage';
import { can } from './api/auth';

const NAV: { path: string; label: string; need?: Role }[] = [
  { path: '/runs', label: 'Runs' },
  { path: '/schedules', label: 'Schedules' },
  { path: '/designer', label: 'Designer' },
  { path: '/snapshots', label: 'Snapshots' },
  { path: '/users', label: 'Users', need: 'admin' },
];

/**
 * The shell: asks the controller who is signed in (GET /api/auth/me), shows the sign-in page when
 * nobody is, and otherwise a left navigation and one page chosen from the path. Any 401 later
 * (session expired, signed out in another tab) brings the sign-in page back on the same path, so
 * signing in again continues where the operator was.
 */
export function App() {
  const path = usePath();
  const [session, setSession] = useState<Session | undefined | 'checking'>('checking');
  const [expired, setExpired] = useState(false);

  useEffect(() => {
    authApi.me().then(setSession, () => setSession(undefined));
    return onSignedOut(() => {
      setSession((s) => {
        if (s && s !== 'checking') setExpired(true);
        return undefined;
      });
    });
  }, []);
  useEffect(() => {
    if (path === '/' || path === '') navigate('/runs');
  }, [path]);

  if (session === 'checking') return <p className="muted page">Connecting to the controller…</p>;
  if (!session) return <SignInPage expired={expired} onSignedIn={(s) => { setExpired(false); setSession(s); }} />;

  let page: React.ReactNode;
  const runMatch = /^\/runs\/(.+)$/.exec(path);
  const flowMatch = /^\/designer\/(.+)$/.exec(path);
  if (runMatch) page = <RunDetailPage id={decodeURIComponent(runMatch[1])} />;
  else if (path.startsWith('/schedules')) page = <SchedulesPage />;
  else if (flowMatch) page = <DesignerPage key={flowMatch[1]} flowId={decodeURIComponent(flowMatch[1])} />;
  else if (path.startsWith('/designer')) page = <FlowsPage />;
  else if (path.startsWith('/snapshots')) page = <SnapshotsPage />;
  else if (path.startsWith('/users')) page = <UsersPage />;
  else page = <RunsPage />;

  async function signOut() {
    try {
      await authApi.logout();
    } finally {
      setExpired(false);
      setSession(undefined);
    }
  }

  return (
    <SessionContext.Provider value={session}>
      <div className="shell">
        <nav className="nav" aria-label="Main">
          <div className="brand">UdcBackup</div>
          {NAV.filter((n) => !n.need || can(session, n.need)).map((n) => (
            <a key={n.path} {...linkProps(n.path)} className={path.startsWith(n.path) ? 'active' : undefined}>
              {n.label}
            </a>
          ))}
          <div className="nav-user" data-testid="signed-in">
            <span className="mono">{session.user}</span> <span className={`role role-${session.role}`}>{session.role}</span>
            <button className="link" onClick={signOut}>Sign out</button>
          </div>
        </nav>
        <main className="page">{page}</main>
      </div>
    </SessionContext.Provider>
  );
}
