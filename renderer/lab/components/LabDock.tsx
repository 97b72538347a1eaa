import { useEffect, useRef, useState } from 'react';
import type { Topology } from '../../../core/model/index.js';
import type { Diagnostic } from '../../../core/validate/index.js';
import { dockHeight, PANEL_LIMITS } from '../../layout/panels.js';
import { Splitter } from '../../layout/Splitter.js';
import { useElementHeight } from '../../layout/useSize.js';
import { useServices } from '../../lib/context.js';
import { useStore } from '../../store/useStore.js';
import { preflight, type LaunchOutcome, type Preflight } from '../controller.js';
import { useLab, useLabController } from '../context.js';
import { isLive } from '../state.js';
import { subscribeLabMenu } from '../menu.js';
import { connectEditor } from '../wiring.js';
import { EndpointsPanel } from './EndpointsPanel.js';
import { FaultMenu } from './FaultMenu.js';
import { ReportsPanel } from './ReportsPanel.js';
import { RequestInspector } from './RequestInspector.js';
import { ScenariosPanel } from './ScenariosPanel.js';
import { LogPanel, ScalingPanel } from './ScalingPanel.js';
import { TrafficPanel } from './TrafficPanel.js';
import '../lab.css';

const TABS = [
  { id: 'endpoints', label: 'Endpoints' },
  { id: 'traffic', label: 'Traffic' },
  { id: 'request', label: 'Request' },
  { id: 'reports', label: 'Reports' },
  { id: 'scaling', label: 'Scaling' },
  { id: 'scenarios', label: 'Scenarios' },
  { id: 'log', label: 'Log' },
] as const;
type TabId = (typeof TABS)[number]['id'];

/** Pixels the dock takes around its bar and body (its margins and borders). */
const DOCK_CHROME = 12;

/**
 * Lab mode: the Launch/Stop control, the lab's panels (endpoints, traffic with live charts,
 * single-request inspector, reports, scaling, scenarios, log) in a dock under the canvas,
 * and the faults context menu. Mounted once by the app shell. The open dock is resizable
 * by its top edge (the height is remembered) and never takes the canvas below half of the
 * window's height.
 */
export function LabDock({ stageHeight, windowHeight }: { stageHeight: number; windowHeight: number }) {
  const controller = useLabController();
  const { editor } = useServices();
  const doc = useStore(editor.store, (s) => s.history.present.doc);
  const phase = useLab((s) => s.phase);
  const launched = useLab((s) => s.launched);
  const error = useLab((s) => s.error);
  const counts = useLab((s) => countStates(Object.values(s.nodes).map((n) => n.state)), sameCounts);
  const [open, setOpen] = useState(false);
  const [tab, setTab] = useState<TabId>('endpoints');
  const [check, setCheck] = useState<Preflight | null>(null);
  const [consent, setConsent] = useState<Extract<LaunchOutcome, { outcome: 'needs-consent' }> | null>(null);
  // The kernel lab is offered only where the service says it can run (Linux with user namespaces).
  const [kernel, setKernel] = useState(false);
  const [mode, setMode] = useState<'loopback' | 'netns'>('loopback');
  useEffect(() => {
    let alive = true;
    void controller.kernelLabAvailable().then((ok) => alive && setKernel(ok));
    return () => {
      alive = false;
    };
  }, [controller]);
  const prefs = useStore(editor.store, (s) => s.settings.panels);
  const bar = useRef<HTMLDivElement>(null);
  const barHeight = useElementHeight(bar);
  const bodyHeight = dockHeight(prefs, windowHeight, stageHeight, Math.ceil(barHeight) + DOCK_CHROME);
  const bodyMax = dockHeight({ ...prefs, dockHeight: PANEL_LIMITS.dock.max }, windowHeight, stageHeight, Math.ceil(barHeight) + DOCK_CHROME);

  // The canvas shrinks or grows with the dock: show the design again once it has, at a
  // legible zoom (centred on the selection when it does not fit). Only when the dock opens
  // or closes: the canvas fits each loaded design itself, and a fit queued on an empty
  // canvas would fire on the first dropped node and move the view under the user's pointer.
  const lastOpen = useRef(open);
  useEffect(() => {
    if (lastOpen.current === open) return;
    lastOpen.current = open;
    if (editor.doc.nodes.length === 0) return;
    const frame = requestAnimationFrame(() => editor.fitDesign());
    return () => cancelAnimationFrame(frame);
  }, [open, editor]);
  useEffect(() => controller.attach(() => editor.doc), [controller, editor]);
  useEffect(() => connectEditor(controller, editor), [controller, editor]);

  const launch = async (confirmed = false, allowCommands = false, how: 'loopback' | 'netns' = mode) => {
    setMode(how);
    const found = preflight(editor.doc);
    if (found.errors.length > 0 || (found.warnings.length > 0 && !confirmed)) {
      setCheck(found);
      return;
    }
    setCheck(null);
    setConsent(null);
    setOpen(true);
    const result = await controller.launch(editor.doc, { allowCommands, mode: how, design: editor.state.file.name });
    if (result.outcome === 'needs-consent') setConsent(result);
    if (result.outcome === 'started') setTab((t) => (t === 'log' ? 'endpoints' : t));
  };

  // The desktop menu's Lab commands; `launch` reads the latest state, so re-subscribe with it.
  useEffect(
    () =>
      subscribeLabMenu(globalThis as { topolab?: unknown }, (command) => {
        if (command === 'lab.launch' && !isLive(controller.state.phase)) void launch();
        else if (command === 'lab.stop' && controller.state.phase === 'running') void controller.stop().catch((e: unknown) => controller.showError(String(e)));
        else if (command === 'lab.traffic' || command === 'lab.endpoints') {
          setTab(command === 'lab.traffic' ? 'traffic' : 'endpoints');
          setOpen(true);
        }
      }),
  );

  const live = isLive(phase);
  const shown: Topology = launched ?? doc;
  return (
    <>
      <section className={`lab-dock${open ? ' is-open' : ''}`} data-testid="lab-dock" data-phase={phase}>
        {open ? (
          <Splitter
            label="Resize the lab panel"
            testId="dock-splitter"
            orientation="horizontal"
            value={bodyHeight}
            min={Math.min(PANEL_LIMITS.dock.min, bodyMax)}
            max={bodyMax}
            grow={-1}
            className="splitter-top"
            onChange={(dockHeight) => editor.updatePanels({ dockHeight })}
          />
        ) : null}
        <div className="lab-head" ref={bar}>
          <header className="lab-bar">
            {live || phase === 'stopping' ? (
              <button type="button" className="button danger" data-testid="lab-stop" disabled={phase !== 'running'} onClick={() => void controller.stop().catch((e: unknown) => controller.showError(String(e)))}>
                ■ Stop lab
              </button>
            ) : (
              <>
                <button type="button" className="button primary" data-testid="lab-launch" onClick={() => void launch(false, false, 'loopback')}>
                  ▶ Launch lab
                </button>
                {kernel ? (
                  <button
                    type="button"
                    className="button"
                    data-testid="lab-launch-netns"
                    title="Launch in Linux network namespaces: each node at its designed address; the kernel routes"
                    aria-label="Launch in network namespaces"
                    onClick={() => void launch(false, false, 'netns')}
                  >
                    ▶ Namespaces
                  </button>
                ) : null}
              </>
            )}
            {/* Design mode is what the launch buttons already say: screen readers hear it, the row keeps its room. */}
            <span className={`lab-phase phase-${phase}${phase === 'idle' ? ' sr-only' : ''}`} data-testid="lab-phase">
              {phase === 'idle' ? 'Design mode' : `Lab ${phase}${mode === 'netns' ? ' (network namespaces)' : ''}`}
            </span>
            {Object.keys(counts).length > 0 ? (
              <span className="lab-counts" data-testid="lab-counts">
                {Object.entries(counts).map(([state, n]) => (
                  <span key={state} className={`lab-pill state-${state}`}>
                    {n} {state}
                  </span>
                ))}
              </span>
            ) : null}
            {live ? (
              <span className="muted lab-lock" title="Structure locked while the lab runs; right-click a node for faults.">
                Structure locked while the lab runs; right-click a node for faults.
              </span>
            ) : null}
            <nav className="lab-tabs" role="tablist">
              {TABS.map((t) => (
                <button
                  key={t.id}
                  type="button"
                  role="tab"
                  aria-selected={open && tab === t.id}
                  className={`lab-tab${open && tab === t.id ? ' is-active' : ''}`}
                  data-testid={`lab-tab-${t.id}`}
                  onClick={() => (open && tab === t.id ? setOpen(false) : (setTab(t.id), setOpen(true)))}
                >
                  {t.label}
                </button>
              ))}
            </nav>
            <button type="button" className="icon-button" aria-label={open ? 'Collapse the lab panel' : 'Expand the lab panel'} data-testid="lab-toggle" onClick={() => setOpen(!open)}>
              {open ? '▾' : '▴'}
            </button>
          </header>
          {error ? (
            <div className="lab-error" role="alert" data-testid="lab-error">
              <pre>{error}</pre>
              <button type="button" className="icon-button" aria-label="Dismiss" onClick={() => controller.dismissError()}>
                ×
              </button>
            </div>
          ) : null}
        </div>
        {open ? (
          <div className="lab-body" data-testid={`lab-panel-${tab}`} style={{ height: bodyHeight }}>
            {tab === 'endpoints' ? <EndpointsPanel doc={shown} /> : null}
            {tab === 'traffic' ? <TrafficPanel doc={shown} /> : null}
            {tab === 'request' ? <RequestInspector doc={shown} /> : null}
            {tab === 'reports' ? <ReportsPanel design={shown.name ?? 'design'} /> : null}
            {tab === 'scaling' ? <ScalingPanel doc={shown} /> : null}
            {tab === 'scenarios' ? <ScenariosPanel doc={shown} /> : null}
            {tab === 'log' ? <LogPanel /> : null}
          </div>
        ) : null}
      </section>
      {consent ? <CommandConsent consent={consent} onCancel={() => setConsent(null)} onConfirm={() => void launch(true, true)} /> : null}
      {check ? <LaunchCheck check={check} onCancel={() => setCheck(null)} onConfirm={() => void launch(true)} onShow={(d) => (setCheck(null), editor.focusOn(d.nodeIds))} /> : null}
      <FaultMenu doc={shown} />
    </>
  );
}

/** Same state counts: the dock does not re-render on every metrics tick. */
function sameCounts(a: Record<string, number>, b: Record<string, number>): boolean {
  const keys = Object.keys(a);
  return keys.length === Object.keys(b).length && keys.every((k) => a[k] === b[k]);
}

function countStates(states: string[]): Record<string, number> {
  const out: Record<string, number> = {};
  for (const state of states) out[state] = (out[state] ?? 0) + 1;
  return out;
}

/** Errors refuse the launch (listed, each one shows its nodes); warnings ask before launching. */
function LaunchCheck({ check, onCancel, onConfirm, onShow }: { check: Preflight; onCancel: () => void; onConfirm: () => void; onShow: (d: Diagnostic) => void }) {
  const refused = check.errors.length > 0;
  const list = refused ? check.errors : check.warnings;
  // Blocked connections (errors the lab runs anyway) are asked about with the warnings.
  const blocked = !refused && list.some((d) => d.severity === 'error');
  const noun = blocked ? 'problem' : 'warning';
  return (
    <div className="dialog-backdrop" onMouseDown={(e) => e.target === e.currentTarget && onCancel()}>
      <div className="dialog" role="dialog" aria-modal="true" aria-label="Launch check" data-testid={refused ? 'launch-refused' : 'launch-warnings'}>
        <header className="dialog-header">
          <h2>{refused ? `The lab cannot start: ${list.length} error${list.length === 1 ? '' : 's'}` : `Launch with ${list.length} ${noun}${list.length === 1 ? '' : 's'}?`}</h2>
        </header>
        <div className="dialog-body">
          <p>
            {refused
              ? 'Fix these in the design first (click one to see its nodes):'
              : blocked
                ? 'The lab runs the design as drawn: a connection the design blocks is refused, naming its blocker, as the network would refuse it:'
                : 'The design has warnings; the lab may not behave as drawn:'}
          </p>
          <ul className="lab-diagnostics" data-testid="launch-diagnostics">
            {list.map((d, i) => (
              <li key={i} className={`diag-${d.severity}`}>
                <button type="button" className="link" onClick={() => onShow(d)}>
                  <code>{d.code}</code> {d.message}
                </button>
              </li>
            ))}
          </ul>
        </div>
        <footer className="dialog-footer">
          <button type="button" className="button" data-testid="launch-cancel" onClick={onCancel}>
            {refused ? 'Close' : 'Cancel'}
          </button>
          {refused ? null : (
            <button type="button" className="button primary" data-testid="launch-anyway" onClick={onConfirm}>
              Launch anyway
            </button>
          )}
        </footer>
      </div>
    </div>
  );
}

/** The design runs its own commands on this machine: say which, and start only when the user agrees. */
function CommandConsent({ consent, onCancel, onConfirm }: { consent: Extract<LaunchOutcome, { outcome: 'needs-consent' }>; onCancel: () => void; onConfirm: () => void }) {
  return (
    <div className="dialog-backdrop" onMouseDown={(e) => e.target === e.currentTarget && onCancel()}>
      <div className="dialog" role="dialog" aria-modal="true" aria-label="Run the design's commands?" data-testid="launch-commands">
        <header className="dialog-header">
          <h2>Run the design's commands on this machine?</h2>
        </header>
        <div className="dialog-body">
          <p>Starting this lab runs these commands as your user. Review them before you agree:</p>
          <ul className="lab-diagnostics">
            {consent.commands.map((c) => (
              <li key={c.nodeId}>
                <b>{c.nodeId}</b>: <code>{c.command}</code>
              </li>
            ))}
          </ul>
        </div>
        <footer className="dialog-footer">
          <button type="button" className="button" data-testid="launch-commands-cancel" onClick={onCancel}>
            Cancel
          </button>
          <button type="button" className="button danger" data-testid="launch-commands-run" onClick={onConfirm}>
            Run them and launch
          </button>
        </footer>
      </div>
    </div>
  );
}
