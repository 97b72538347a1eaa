import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { ApiError } from '../../../core/api/contract/index.js';
import type { FileSession } from '../../../renderer/files/session.js';
import { Importer, detectSource, importFailure, mergeFiles } from '../../../renderer/import/importer.js';
import { Editor } from '../../../renderer/store/editor.js';

const fixture = (path: string) => readFileSync(new URL(`../../fixtures/import/${path}`, import.meta.url), 'utf8');

describe('File > Import, the page side', () => {
  it('detects a terraform show -json document and takes everything else for AWS describe output', () => {
    expect(detectSource([{ name: 'state.json', text: fixture('terraform/state.json') }])).toBe('terraform');
    expect(detectSource([{ name: 'describe-vpcs.json', text: fixture('aws/describe-vpcs.json') }])).toBe('aws');
    expect(detectSource([{ name: 'plan.json', text: '{"format_version":"1.2","planned_values":{"root_module":{}}}' }])).toBe('terraform');
    // Two files are never one Terraform document; a format_version without values is not a show -json.
    expect(detectSource([{ name: 'a.json', text: fixture('terraform/state.json') }, { name: 'b.json', text: '{}' }])).toBe('aws');
    expect(detectSource([{ name: 'x.json', text: '{"format_version":"1.0"}' }])).toBe('aws');
  });

  it('adds files to the list, a file of the same name replacing the earlier one', () => {
    const merged = mergeFiles([{ name: 'a.json', text: '1' }, { name: 'b.json', text: '2' }], [{ name: 'a.json', text: '3' }]);
    expect(merged).toEqual([{ name: 'b.json', text: '2' }, { name: 'a.json', text: '3' }]);
  });

  it("shows the service's message and the file + JSON path it names", () => {
    const error = new ApiError('bad-input', 'bad.json at Subnets[0].SubnetId: expected string', [{ path: 'bad.json: Subnets[0].SubnetId', message: 'expected string' }]);
    expect(importFailure(error)).toEqual({ message: error.message, issues: [{ path: 'bad.json: Subnets[0].SubnetId', message: 'expected string' }] });
    expect(importFailure(new Error('no connection'))).toEqual({ message: 'no connection', issues: [] });
  });

  it('files dropped onto the window open the dialog and are handed to it once', () => {
    const editor = new Editor();
    const importer = new Importer(editor, {} as FileSession);
    importer.offer([{ name: 'describe-vpcs.json', text: '{}' }]);
    expect(editor.state.dialog).toBe('import');
    expect(importer.takePending()).toEqual([{ name: 'describe-vpcs.json', text: '{}' }]);
    expect(importer.takePending()).toEqual([]);
  });
});
