import { createContext } from 'react';
import type { ActivityDescriptor } from '../api/types';
import type { FlowProblem } from './validate';

/** What node views need besides their own data: the current problems and the catalogue. */
export interface DesignerContextValue {
  problemsByNode: Map<string, FlowProblem[]>;
  catalog: ActivityDescriptor[] | undefined;
}

export const DesignerContext = createContext<DesignerContextValue>({ problemsByNode: new Map(), catalog: undefined });
