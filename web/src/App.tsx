import { useEffect } from 'react';
import { linkProps, navigate, usePath } from './ui/router';
import { RunsPage } from './dashboard/RunsPage';
import { RunDetailPage } from './dashboard/RunDetailPage';
import { SchedulesPage } from './dashboard/SchedulesPage';
import { DesignerPage } from './designer/DesignerPage';

const NAV = [
  { path: '/runs', label: 'Runs' },
  { path: '/schedules', label: 'Schedules' },
  { path: '/designer', label: 'Designer' },
];

/** The shell: a left navigation and one page chosen from the path. */
export function App() {
  const path = usePath();
  useEffect(() => {
    if (path === '/' || path === '') navigate('/runs');
  }, [path]);

  let page: React.ReactNode;
  const runMatch = /^\/runs\/(.+)$/.exec(path);
  if (runMatch) page = <RunDetailPage id={decodeURIComponent(runMatch[1])} />;
  else if (path.startsWith('/schedules')) page = <SchedulesPage />;
  else if (path.startsWith('/designer')) page = <DesignerPage />;
  else page = <RunsPage />;

  return (
    <div className="shell">
      <nav className="nav" aria-label="Main">
        <div className="brand">UdcBackup</div>
        {NAV.map((n) => (
          <a key={n.path} {...linkProps(n.path)} className={path.startsWith(n.path) ? 'active' : undefined}>
            {n.label}
          </a>
        ))}
        <span className="nav-later" title="Comes with the archive catalogue">Snapshots</span>
      </nav>
      <main className="page">{page}</main>
    </div>
  );
}
