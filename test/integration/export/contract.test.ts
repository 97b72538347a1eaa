// The export method over every transport (in-process, HTTP + WebSocket, IPC): same files,
// same report, same error code for a bad format.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { renderExport } from '../../../core/export/index.js';
import { validateTopology } from '../../../core/validate/index.js';
import { rejectionOf, TRANSPORTS, type OpenTransport } from '../api/harness.js';
import { exportDesigns } from './fixtures.js';

const design = exportDesigns().find((d) => d.name.endsWith('proxy-cache.topolab.json'))?.topology;

describe.each(TRANSPORTS)('export over $name', (transport) => {
  let open: OpenTransport;
  beforeAll(async () => {
    open = await transport.open({});
  });
  afterAll(async () => {
    await open?.close();
  });

  it('returns the same files and report as the pure renderer', async () => {
    if (!design) throw new Error('fixture proxy-cache missing');
    for (const format of ['nginx', 'compose'] as const) {
      const result = await open.client.call('export', { topology: design, format });
      expect(result).toEqual(renderExport(design, format));
    }
  });

  it('passes the address map and run folder through', async () => {
    if (!design) throw new Error('fixture proxy-cache missing');
    const result = await open.client.call('export', {
      topology: design,
      format: 'nginx',
      options: { addressMap: { '10.20.0.4:80': '127.0.0.1:8080' }, runDir: '/tmp/topolab-run' },
    });
    const text = result.files[0]?.content ?? '';
    expect(text).toContain('listen 127.0.0.1:8080 default_server;');
    expect(text).toContain('pid /tmp/topolab-run/nginx.pid;');
  });

  it('passes loopback mode through, and refuses a bad listen mode or port', async () => {
    if (!design) throw new Error('fixture proxy-cache missing');
    const result = await open.client.call('export', { topology: design, format: 'haproxy', options: { listen: { mode: 'loopback', ports: { gw: 18081 } } } });
    expect(result).toEqual(renderExport(design, 'haproxy', { listen: { mode: 'loopback', ports: { gw: 18081 } } }));
    expect(result.files[0]?.content).toContain('bind 127.0.0.1:18081');
    const badMode = await rejectionOf(open.client.call('export', { topology: design, format: 'nginx', options: { listen: { mode: 'everywhere' } as unknown as { mode: 'designed' } } }));
    expect(badMode.code).toBe('bad-input');
    const badPort = await rejectionOf(open.client.call('export', { topology: design, format: 'nginx', options: { listen: { mode: 'loopback', ports: { gw: 70000 } } } }));
    expect(badPort.code).toBe('bad-input');
  });

  it('lists the errors of a design that has any in report.errors (the files are still rendered: refusing is the caller\'s choice)', async () => {
    const broken = exportDesigns().find((d) => d.name.endsWith('broken-plan.topolab.json'))?.topology;
    if (!broken) throw new Error('example broken-plan missing');
    const errors = validateTopology(broken).filter((d) => d.severity === 'error');
    const result = await open.client.call('export', { topology: broken, format: 'terraform' });
    const plain = renderExport(broken, 'terraform');
    expect(result.files).toEqual(plain.files);
    // validate's errors, then what Terraform refuses on its own (lb-private's ALB in one zone): joined.
    const own = (plain.report.errors ?? []).map((e) => [e.nodeId, e.feature]);
    expect(own).toEqual([['lb-private', 'zones']]);
    expect(result.report.errors?.map((e) => [e.nodeId, e.feature])).toEqual([...errors.map((d) => [d.nodeIds[0], d.code]), ...own]);
    for (const line of result.report.errors ?? []) expect(line.action).toMatch(/\S/);
    expect(result.report).toEqual({ ...plain.report, errors: result.report.errors });
  });

  it('refuses an unknown format and a run folder with a newline as bad-input', async () => {
    if (!design) throw new Error('fixture proxy-cache missing');
    const unknown = await rejectionOf(open.client.call('export', { topology: design, format: 'bind9' as 'nginx' }));
    expect(unknown.code).toBe('bad-input');
    const newline = await rejectionOf(open.client.call('export', { topology: design, format: 'nginx', options: { runDir: '/tmp/x\n}' } }));
    expect(newline.code).toBe('bad-input');
  });
});
