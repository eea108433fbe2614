import type { Role, Session, SnapshotInfo, SystemInfo } from './types';
import { ApiError, enc, request } from './http';

const RANK: Record<Role, number> = { viewer: 0, operator: 1, admin: 2 };

/** True when the signed-in role is at least `need` (viewer < operator < admin). */
export function can(session: Session | undefined, need: Role): boolean {
  if (!session) return false;
  return (RANK[session.role] ?? -1) >= RANK[need];
}

export const authApi = {
  login: (user: string, password: string) => request<Session & { token: string }>('POST', '/api/auth/login', { user, password }),
  logout: () => request('POST', '/api/auth/logout'),
  /** The signed-in user, or undefined when nobody is (401). */
  me: async (): Promise<Session | undefined> => {
    try {
      return await request<Session>('GET', '/api/auth/me');
    } catch (e) {
      if (e instanceof ApiError && e.status === 401) return undefined;
      throw e;
    }
  },
};

/** The site's systems and the snapshot catalog (restore wizard, pickers). */
export const siteApi = {
  systems: () => request<SystemInfo[]>('GET', '/api/systems'),
  snapshots: (system: string) => request<SnapshotInfo[]>('GET', `/api/snapshots?system=${enc(system)}`),
  restore: (body: { system: string; snapshot: string; to?: string; approve: boolean; operator?: string; into?: string; paths?: string[] }) =>
    request<{ id: string; workflowType: string; siteVersion: number }>('POST', '/api/restores', body),
};
