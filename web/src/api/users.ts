import type { Role } from './types';
import { enc, request } from './http';

/** A user as GET /api/users lists it. */
export interface UserInfo {
  user: string;
  role: Role;
  createdAt: string;
  createdBy?: string | null;
  disabled: boolean;
}

/** A token as GET /api/users/{user}/tokens lists it: an id (start of its hash), never the secret. */
export interface TokenInfo {
  id: string;
  kind: string;
  label?: string | null;
  createdAt: string;
  expiresAt?: string | null;
  lastUsedAt?: string | null;
  /** The token the listing was asked with: in this app, this browser's sign-in session. */
  current?: boolean;
}

/** The admin's user management calls (all need the admin role; the controller enforces it). */
export const usersApi = {
  list: () => request<UserInfo[]>('GET', '/api/users'),
  create: (user: string, role: Role, password: string) => request<UserInfo>('POST', '/api/users', { user, role, password }),
  changeRole: (user: string, role: Role) => request<UserInfo>('PUT', `/api/users/${enc(user)}/role`, { role }),
  setPassword: (user: string, password: string) => request('POST', `/api/users/${enc(user)}/password`, { password }),
  disable: (user: string) => request('POST', `/api/users/${enc(user)}/disable`),
  enable: (user: string) => request('POST', `/api/users/${enc(user)}/enable`),
  remove: (user: string) => request('DELETE', `/api/users/${enc(user)}`),
  tokens: (user: string) => request<TokenInfo[]>('GET', `/api/users/${enc(user)}/tokens`),
  revokeToken: (user: string, id: string) => request('DELETE', `/api/users/${enc(user)}/tokens/${enc(id)}`),
};
