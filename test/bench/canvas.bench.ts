/**
 * Canvas benchmark (issue 5, "Scale"): opens a generated design of about 1,000 nodes in
 * Chromium through a real `topolab serve`, and measures
 *   - render time: navigation start to the opening view drawn (target < 2 s; a large design
 *     opens on its first VPC and renders only what is in view);
 *   - zoom to fit: the whole design drawn (every node) after pressing F;
 *   - frame time while a node is dragged by a scripted pointer (median and p95 of the
 *     intervals between animation frames; smooth means a median near one 60 Hz frame).
 * Needs `npm run build` (the bench script runs it) and /usr/bin/chromium.
 */
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { chromium } from '@playwright/test';
import { serializeTopology, type LayoutEntry, type Topology, type TopologyNode } from '../../core/model/index.js';
import { nearestRankPercentile } from '../../core/runtime/metrics/percentile.js';
import { startServe } from '../e2e/support/serve.js';
import type { BenchFigure, BenchModule } from './bench.js';

/**
 * A design of `vpcs` VPCs, each with 10 subnets (a balancer and 8 servers each, the
 * balancer pointing at its servers), laid out in a grid: 10 VPCs give 1,010 nodes and
 * 800 edges. Deterministic.
 */
export function generateLargeDesign(vpcs = 10): Topology {
  const nodes: TopologyNode[] = [];
  const edges: Topology['edges'] = [];
  const layout: Record<string, LayoutEntry> = {};
  const subnetW = 420;
  const subnetH = 330;
  for (let v = 0; v < vpcs; v++) {
    const vpc = `vpc-${v}`;
    nodes.push({ id: vpc, kind: 'vpc', cidr: `10.${v}.0.0/16` });
    layout[vpc] = { x: 0, y: v * 820, width: 5 * (subnetW + 20) + 40, height: 2 * (subnetH + 20) + 80 };
    for (let s = 0; s < 10; s++) {
      const subnet = `subnet-${v}-${s}`;
      nodes.push({ id: subnet, kind: 'subnet', parent: vpc, cidr: `10.${v}.${s}.0/24` });
      layout[subnet] = { x: 24 + (s % 5) * (subnetW + 20), y: 56 + Math.floor(s / 5) * (subnetH + 20), width: subnetW, height: subnetH };
      const lb = `lb-${v}-${s}`;
      nodes.push({ id: lb, kind: 'load-balancer', parent: subnet, layer: 7, algorithm: 'round-robin' });
      layout[lb] = { x: 120, y: 48 };
      for (let i = 0; i < 8; i++) {
        const web = `web-${v}-${s}-${i}`;
        nodes.push({ id: web, kind: 'server', parent: subnet });
        layout[web] = { x: 16 + (i % 2) * 200, y: 116 + Math.floor(i / 2) * 52 };
        edges.push({ id: `e-${v}-${s}-${i}`, from: lb, to: web });
      }
    }
  }
  return { schema: 'topolab/1', name: `Generated ${nodes.length} nodes`, provider: 'aws', nodes, edges, layout };
}

export const bench: BenchModule = {
  name: 'canvas',
  async run(): Promise<BenchFigure[]> {
    const design = generateLargeDesign(10);
    const served = await startServe({ examples: false });
    const browser = await chromium.launch({
      executablePath: '/usr/bin/chromium',
      args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--no-first-run'],
    });
    try {
      await writeFile(join(served.dir, 'large.topolab.json'), serializeTopology(design));
      const page = await browser.newPage({ viewport: { width: 1440, height: 900 } });
      await page.goto(served.fileUrl('large.topolab.json'));
      // Rendered: the app is ready and React Flow has drawn (and measured) the nodes in view.
      // Drawn: the app is ready and the nodes of the opening view are on screen.
      await page.waitForSelector('[data-testid="app-root"][data-phase="ready"]', { timeout: 120_000 });
      await page.waitForFunction(() => document.querySelectorAll('.react-flow__node').length > 0, undefined, { timeout: 120_000 });
      const renderMs = await page.evaluate(
        () =>
          new Promise<number>((resolve) => {
            // Two frames after the nodes exist: layout and paint of that state are done.
            requestAnimationFrame(() => requestAnimationFrame(() => resolve(performance.now())));
          }),
      );
      const drawn = await page.evaluate(() => document.querySelectorAll('.react-flow__node').length);

      // Zoom to fit: every node of the design drawn.
      const fitStart = await page.evaluate(() => performance.now());
      await page.keyboard.press('f');
      await page.waitForFunction((count) => document.querySelectorAll('.react-flow__node').length >= count, design.nodes.length, { timeout: 120_000 });
      const fitMs = (await page.evaluate(() => new Promise<number>((resolve) => requestAnimationFrame(() => requestAnimationFrame(() => resolve(performance.now())))))) - fitStart;

      // Zoom to one subnet, so the dragged node is large on screen, as a user works.
      await page.evaluate(() => (window as unknown as { __topolab: { editor: { focusOn(ids: string[]): void } } }).__topolab.editor.focusOn(['subnet-4-2']));
      await page.waitForFunction(
        () =>
          new Promise<boolean>((resolve) => {
            const viewport = document.querySelector('.react-flow__viewport') as HTMLElement | null;
            const before = viewport?.style.transform;
            setTimeout(() => resolve(viewport?.style.transform === before), 120);
          }),
      );
      const box = await page.getByTestId('node-web-4-2-0').boundingBox();
      if (!box) throw new Error('the node to drag is not on screen');
      // A string, not a function: tsx would wrap named inner functions in a helper the page lacks.
      await page.evaluate(`{
        window.__frames = [];
        window.__stop = false;
        let last = performance.now();
        const tick = (now) => {
          window.__frames.push(now - last);
          last = now;
          if (!window.__stop) requestAnimationFrame(tick);
        };
        requestAnimationFrame(tick);
      }`);
      const x = box.x + box.width / 2;
      const y = box.y + box.height / 2;
      await page.mouse.move(x, y);
      await page.mouse.down();
      for (let i = 1; i <= 90; i++) await page.mouse.move(x + i * 2, y + Math.sin(i / 10) * 30);
      await page.mouse.up();
      const frames = await page.evaluate(() => {
        const w = window as unknown as { __frames: number[]; __stop: boolean };
        w.__stop = true;
        return w.__frames.slice(2);
      });
      frames.sort((a, b) => a - b);
      const median = nearestRankPercentile(frames, 0.5);
      const p95 = nearestRankPercentile(frames, 0.95);
      return [
        { case: `${design.nodes.length} nodes, ${design.edges.length} edges`, measure: `open to drawn (${drawn} nodes in view)`, value: renderMs, unit: 'ms', target: '< 2000', ok: renderMs < 2000 },
        { case: `${design.nodes.length} nodes, ${design.edges.length} edges`, measure: 'zoom to fit, all nodes drawn', value: fitMs, unit: 'ms', target: '< 2000', ok: fitMs < 2000 },
        { case: `${design.nodes.length} nodes, drag one node`, measure: `frame time median (${frames.length} frames)`, value: median, unit: 'ms', target: '< 25', ok: median < 25 },
        { case: `${design.nodes.length} nodes, drag one node`, measure: 'frame time p95', value: p95, unit: 'ms', target: '< 50', ok: p95 < 50 },
      ];
    } finally {
      await browser.close();
      await served.stop();
    }
  },
};
