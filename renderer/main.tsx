import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import '@xyflow/react/dist/style.css';
import './styles/app.css';
import { App } from './App.js';
import { FileSession } from './files/session.js';
import { Importer } from './import/importer.js';
import { kindStyleSheet } from './kinds/styles.js';
import { ServicesContext, type Services } from './lib/context.js';
import { DiagnosticsService } from './lib/diagnostics.js';
import { parsePanelPrefs } from './layout/panels.js';
import { DEFAULT_SETTINGS, Editor, type Settings } from './store/editor.js';

const SETTINGS_KEY = 'topolab:settings';

// Each kind's colours come from its renderer/kinds file (light and dark theme).
const kindColours = document.createElement('style');
kindColours.dataset['topolab'] = 'kind-colours';
kindColours.textContent = kindStyleSheet();
document.head.append(kindColours);

/** Saved preferences merged over the defaults; the OS theme decides when none is saved. */
function loadSettings(): Settings {
  const prefersDark = typeof matchMedia === 'function' && matchMedia('(prefers-color-scheme: dark)').matches;
  const base: Settings = { ...DEFAULT_SETTINGS, theme: prefersDark ? 'dark' : 'light' };
  try {
    const saved = JSON.parse(localStorage.getItem(SETTINGS_KEY) ?? '{}') as Partial<Settings>;
    return {
      theme: saved.theme === 'dark' || saved.theme === 'light' ? saved.theme : base.theme,
      snapToGrid: typeof saved.snapToGrid === 'boolean' ? saved.snapToGrid : base.snapToGrid,
      subnetPrefix: typeof saved.subnetPrefix === 'number' && saved.subnetPrefix >= 8 && saved.subnetPrefix <= 30 ? saved.subnetPrefix : base.subnetPrefix,
      minimap: typeof saved.minimap === 'boolean' ? saved.minimap : base.minimap,
      diagnostics: typeof saved.diagnostics === 'boolean' ? saved.diagnostics : base.diagnostics,
      panels: parsePanelPrefs(saved.panels),
    };
  } catch {
    return base;
  }
}

const editor = new Editor(undefined, loadSettings());
const session = new FileSession(editor);
const services: Services = { editor, diagnostics: new DiagnosticsService(), session, importer: new Importer(editor, session) };

// Preferences persist; the document does not (files and backups do that).
let lastSettings = editor.state.settings;
editor.store.subscribe(() => {
  const settings = editor.state.settings;
  if (settings === lastSettings) return;
  lastSettings = settings;
  try {
    localStorage.setItem(SETTINGS_KEY, JSON.stringify(settings));
  } catch {
    // Storage disabled: preferences last for this session only.
  }
});

// Leaving with unsaved work: the browser asks (the backup also has it). Not in the desktop
// shell, which asks itself: there a cancelled beforeunload would silently keep the window open.
if (!('topolab' in window)) {
  window.addEventListener('beforeunload', (event) => {
    if (editor.dirty) event.preventDefault();
  });
}

// Test and debugging hook: the editor, read-only by convention (e2e tests compare documents).
(window as unknown as { __topolab?: Services }).__topolab = services;

const root = document.getElementById('root');
if (!root) throw new Error('index.html has no #root');
createRoot(root).render(
  <StrictMode>
    <ServicesContext.Provider value={services}>
      <App />
    </ServicesContext.Provider>
  </StrictMode>,
);
void services.session.start(window.location.search);
