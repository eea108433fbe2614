import { useCallback, useEffect, useState } from 'react';
import { can } from '../api/auth';
import type { Role } from '../api/types';
import { usersApi, type TokenInfo, type UserInfo } from '../api/users';
import { Dialog } from '../ui/Dialog';
import { formatTime } from '../ui/format';
import { Notice } from '../ui/Notice';
import { useSession } from '../ui/session';

const ROLES: Role[] = ['viewer', 'operator', 'admin'];
const MIN_PASSWORD = 12;

type Message = { kind: 'error' | 'info'; text: string } | undefined;

/**
 * Users (admins only; the navigation offers it to nobody else and the controller refuses the
 * calls anyway): every user with role and state; create one; per user change the role, disable or
 * enable, reset the password (ends its sign-in sessions), delete, and list or revoke its tokens.
 * A role change and a revocation act only once confirmed in a dialog that names what changes.
 * The controller's refusals (the last enabled admin, a short password) are shown as it words them.
 */
export function UsersPage() {
  const session = useSession();
  const [users, setUsers] = useState<UserInfo[]>();
  const [message, setMessage] = useState<Message>();
  const reload = useCallback(() => usersApi.list().then(setUsers, (e) => setMessage({ kind: 'error', text: (e as Error).message })), []);

  useEffect(() => {
    if (can(session, 'admin')) void reload();
  }, [session, reload]);

  if (!can(session, 'admin')) return <Notice kind="error">Only admins manage users.</Notice>;

  // Resolves to whether the controller took the change, so a form keeps what was typed when refused.
  async function act(what: () => Promise<unknown>, done: string): Promise<boolean> {
    setMessage(undefined);
    let ok = false;
    try {
      await what();
      setMessage({ kind: 'info', text: done });
      ok = true;
    } catch (e) {
      setMessage({ kind: 'error', text: (e as Error).message });
    }
    await reload();
    return ok;
  }

  return (
    <section>
      <header className="page-header"><h1>Users</h1></header>
      <CreateUserForm onCreate={(user, role, password) => act(() => usersApi.create(user, role, password), `Created ${user} (${role}).`)} />
      {message && <Notice kind={message.kind}>{message.text}</Notice>}
      <table className="grid" aria-label="Users">
        <thead>
          <tr><th>User</th><th>Role</th><th>State</th><th>Created</th><th>Actions</th></tr>
        </thead>
        <tbody>
          {(users ?? []).map((u) => <UserRow key={u.user} user={u} self={u.user === session?.user} act={act} />)}
          {!users && message?.kind !== 'error' && <tr><td colSpan={5} className="empty">Loading users…</td></tr>}
        </tbody>
      </table>
    </section>
  );
}

function CreateUserForm({ onCreate }: { onCreate: (user: string, role: Role, password: string) => Promise<boolean> }) {
  const [user, setUser] = useState('');
  const [role, setRole] = useState<Role>('viewer');
  const [password, setPassword] = useState('');
  const short = password.length > 0 && password.length < MIN_PASSWORD;

  return (
    <form
      className="card form"
      aria-label="New user"
      onSubmit={async (e) => {
        e.preventDefault();
        // A refused name (taken, not lowercase) stays in the form to be corrected, with the password.
        if (!(await onCreate(user.trim(), role, password))) return;
        setUser('');
        setPassword('');
      }}
    >
      <h2>New user</h2>
      <label>Name<input value={user} onChange={(e) => setUser(e.target.value)} placeholder="lowercase, e.g. night-operator" /></label>
      <label>Role
        <select value={role} onChange={(e) => setRole(e.target.value as Role)}>
          {ROLES.map((r) => <option key={r} value={r}>{r}</option>)}
        </select>
      </label>
      <label>Password<input type="password" value={password} onChange={(e) => setPassword(e.target.value)} autoComplete="new-password" /></label>
      {short && <p className="muted">At least {MIN_PASSWORD} characters.</p>}
      <div><button className="primary" type="submit" disabled={!user.trim() || password.length < MIN_PASSWORD}>Create user</button></div>
    </form>
  );
}

function UserRow({ user: u, self, act }: { user: UserInfo; self: boolean; act: (what: () => Promise<unknown>, done: string) => Promise<boolean> }) {
  const [open, setOpen] = useState<'password' | 'tokens' | 'delete'>();
  const [password, setPassword] = useState('');
  // The role picked in the list, waiting for confirmation; the list keeps showing the current one.
  const [newRole, setNewRole] = useState<Role>();
  const toggle = (what: 'password' | 'tokens' | 'delete') => setOpen((o) => (o === what ? undefined : what));

  return (
    <>
      <tr data-user={u.user}>
        <td className="mono">{u.user}{self && <span className="muted"> (you)</span>}</td>
        <td>
          <select aria-label={`Role of ${u.user}`} value={u.role} onChange={(e) => setNewRole(e.target.value as Role)}>
            {ROLES.map((r) => <option key={r} value={r}>{r}</option>)}
          </select>
        </td>
        <td>{u.disabled ? <span className="badge badge-failed">disabled</span> : <span className="badge badge-completed">enabled</span>}</td>
        <td>{formatTime(u.createdAt)}{u.createdBy ? ` by ${u.createdBy}` : ''}</td>
        <td>
          <div className="row-actions">
            {u.disabled
              ? <button onClick={() => act(() => usersApi.enable(u.user), `${u.user} is enabled.`)}>Enable</button>
              : <button onClick={() => act(() => usersApi.disable(u.user), `${u.user} is disabled; its sessions and tokens are refused.`)}>Disable</button>}
            <button onClick={() => toggle('password')}>Reset password…</button>
            <button onClick={() => toggle('tokens')}>Tokens</button>
            <button className="danger" onClick={() => toggle('delete')}>Delete…</button>
          </div>
        </td>
      </tr>
      {open === 'password' && (
        <tr><td colSpan={5}>
          <form
            className="form"
            aria-label={`New password for ${u.user}`}
            onSubmit={async (e) => {
              e.preventDefault();
              if (!(await act(() => usersApi.setPassword(u.user, password), `New password set for ${u.user}; its sign-in sessions ended.`))) return;
              setPassword('');
              setOpen(undefined);
            }}
          >
            <label>New password<input type="password" value={password} onChange={(e) => setPassword(e.target.value)} autoComplete="new-password" /></label>
            <button className="primary" type="submit" disabled={password.length < MIN_PASSWORD}>Set password</button>
          </form>
        </td></tr>
      )}
      {open === 'delete' && (
        <tr><td colSpan={5}>
          <p>Delete <span className="mono">{u.user}</span> and all its tokens? The audit log keeps its name.</p>
          <button className="danger" onClick={() => act(() => usersApi.remove(u.user), `${u.user} is deleted.`)}>Delete {u.user}</button>
          <button onClick={() => setOpen(undefined)}>Keep</button>
        </td></tr>
      )}
      {open === 'tokens' && <tr><td colSpan={5}><TokenList user={u.user} /></td></tr>}
      {newRole && (
        <Dialog title={`Change the role of ${u.user}`} onClose={() => setNewRole(undefined)}>
          <p>Change <span className="mono">{u.user}</span> from {u.role} to {newRole}? It takes effect on the user's next request.</p>
          {self && newRole !== 'admin' && <p><strong>This is you:</strong> as {newRole} you can no longer manage users.</p>}
          <div className="dialog-actions">
            <button className="primary" onClick={() => { const role = newRole; setNewRole(undefined); void act(() => usersApi.changeRole(u.user, role), `${u.user} is now ${role}.`); }}>Make {u.user} {newRole}</button>
            <button onClick={() => setNewRole(undefined)}>Cancel</button>
          </div>
        </Dialog>
      )}
    </>
  );
}

/**
 * A user's tokens, each revocable once confirmed. The controller marks the token the list was
 * asked with (`current`; the browser cannot read its HttpOnly session cookie): on the admin's own
 * list that is this browser's session, marked among any others, and revoking it says it signs you out.
 */
function TokenList({ user }: { user: string }) {
  const [tokens, setTokens] = useState<TokenInfo[]>();
  const [error, setError] = useState<string>();
  const [revoking, setRevoking] = useState<TokenInfo>();
  const current = tokens?.find((t) => t.current)?.id;
  const load = useCallback(() => usersApi.tokens(user).then(setTokens, (e) => setError((e as Error).message)), [user]);
  useEffect(() => { void load(); }, [load]);

  async function revoke(id: string) {
    setRevoking(undefined);
    try {
      await usersApi.revokeToken(user, id);
    } catch (e) {
      setError((e as Error).message);
    }
    await load();
  }

  return (
    <div aria-label={`Tokens of ${user}`} role="region">
      {error && <Notice kind="error">{error}</Notice>}
      <table className="grid compact">
        <thead><tr><th>Id</th><th>Kind</th><th>Label</th><th>Created</th><th>Last used</th><th>Expires</th><th /></tr></thead>
        <tbody>
          {(tokens ?? []).map((t) => (
            <tr key={t.id} data-token={t.id}>
              <td className="mono">{t.id}{t.id === current && <> <span className="badge" data-testid="this-browser">this browser</span></>}</td>
              <td>{t.kind}</td>
              <td>{t.label ?? ''}</td>
              <td>{formatTime(t.createdAt)}</td>
              <td>{t.lastUsedAt ? formatTime(t.lastUsedAt) : 'never'}</td>
              <td>{t.expiresAt ? formatTime(t.expiresAt) : 'never'}</td>
              <td><button className="danger" onClick={() => setRevoking(t)}>Revoke</button></td>
            </tr>
          ))}
          {!tokens && !error && <tr><td colSpan={7} className="empty">Loading tokens…</td></tr>}
          {tokens && tokens.length === 0 && <tr><td colSpan={7} className="empty">No tokens.</td></tr>}
        </tbody>
      </table>
      {revoking && (
        <Dialog title={`Revoke token ${revoking.id}`} onClose={() => setRevoking(undefined)}>
          <p>
            Revoke the {revoking.kind === 'session' ? 'sign-in session' : `${revoking.kind} token`} <span className="mono">{revoking.id}</span>
            {revoking.label ? ` (${revoking.label})` : ''} of <span className="mono">{user}</span>? Whatever uses it is refused from then on; this cannot be undone.
          </p>
          {revoking.id === current && <p><strong>This is this browser's session:</strong> revoking it signs you out.</p>}
          <div className="dialog-actions">
            <button className="danger" onClick={() => revoke(revoking.id)}>Revoke {revoking.id}</button>
            <button onClick={() => setRevoking(undefined)}>Keep</button>
          </div>
        </Dialog>
      )}
    </div>
  );
}
