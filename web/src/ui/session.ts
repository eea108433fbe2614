import { createContext, useContext } from 'react';
import type { Session } from '../api/types';

/** The signed-in operator, provided by the shell; pages read it to hide what the role cannot do. */
export const SessionContext = createContext<Session | undefined>(undefined);

export function useSession(): Session | undefined {
  return useContext(SessionContext);
}
