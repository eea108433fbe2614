import { createContext } from 'react';
import type { SiteSystem } from '../api/client';
import type { ActivityDescriptor } from '../api/types';
import type { FlowProblem } from './validate';

/** What node views need besides their own data: the current problems and the catalogue. */
export interface DesignerContextValue {
  problemsByNode: Map<string, FlowProblem[]>;
  catalog: ActivityDescriptor[] | undefined;
  /** Systems of the applied site model, offered by system pickers. */
  systems: SiteSystem[];
  /** The role may view the flow, not change it: editors show values without offering to edit them. */
  readOnly: boolean;
}

export const DesignerContext = createContext<DesignerContextValue>({ problemsByNode: new Map(), catalog: undefined, systems: [], readOnly: false });
