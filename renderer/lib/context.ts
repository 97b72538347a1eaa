import { createContext, useContext } from 'react';
import type { FileSession } from '../files/session.js';
import type { Importer } from '../import/importer.js';
import type { Editor } from '../store/editor.js';
import type { DiagnosticsService } from './diagnostics.js';

/** The app's long-lived services, created once in main.tsx and shared by every component. */
export interface Services {
  editor: Editor;
  diagnostics: DiagnosticsService;
  session: FileSession;
  /** File > Import: dropped files for the dialog, the import call, the last report. */
  importer: Importer;
}

/** Provides the services to the component tree. */
export const ServicesContext = createContext<Services | null>(null);

/** The app's services; throws when used outside <ServicesContext.Provider> (a wiring bug). */
export function useServices(): Services {
  const services = useContext(ServicesContext);
  if (!services) throw new Error('useServices outside ServicesContext');
  return services;
}

/** The editor (document, history, selection, UI state). */
export function useEditor(): Editor {
  return useServices().editor;
}
