import { expect, type Locator } from '@playwright/test';
import { EditorPage } from './editor.js';

/** A file as a test hands it to the page: its name and its text. */
export interface TestFile {
  name: string;
  text: string;
}

/**
 * File > Import: the File menu's entry, the import dialog (file picker, source, error),
 * files dropped onto the window, and the report beside the imported design. Selectors
 * live here only.
 */
export class ImportPage extends EditorPage {
  get dialog(): Locator {
    return this.byTestId('import-dialog');
  }

  get report(): Locator {
    return this.byTestId('import-report');
  }

  /** Opens the import dialog from the toolbar's File menu. */
  async openFromFileMenu(): Promise<void> {
    await this.byTestId('menu-file').click();
    await this.byTestId('menu-file.import').click();
    await expect(this.dialog).toBeVisible();
  }

  /** Picks files in the dialog's file input, as the OS file chooser would. */
  async pick(files: TestFile[]): Promise<void> {
    await this.byTestId('import-input').setInputFiles(files.map((f) => ({ name: f.name, mimeType: 'application/json', buffer: Buffer.from(f.text) })));
    for (const f of files) await expect(this.byTestId(`import-file-${f.name}`)).toBeVisible();
  }

  /** Drops files onto an element of the window (a real `drop` event carrying a DataTransfer of File objects). */
  async dropOnto(testId: string, files: TestFile[]): Promise<void> {
    await this.byTestId(testId).evaluate((target, list) => {
      const data = new DataTransfer();
      for (const f of list) data.items.add(new File([f.text], f.name, { type: 'application/json' }));
      const at = target.getBoundingClientRect();
      const init = { dataTransfer: data, bubbles: true, cancelable: true, clientX: at.x + at.width / 2, clientY: at.y + at.height / 2 };
      target.dispatchEvent(new DragEvent('dragenter', init));
      target.dispatchEvent(new DragEvent('dragover', init));
      target.dispatchEvent(new DragEvent('drop', init));
    }, files);
  }

  /** Chooses the source (`detect`, `aws`, `terraform`). */
  async source(value: 'detect' | 'aws' | 'terraform'): Promise<void> {
    await this.byTestId('import-source').selectOption(value);
  }

  /** Presses the dialog's import button. */
  async confirm(): Promise<void> {
    await this.byTestId('import-confirm').click();
  }

  /** An item of the report's ignored list. */
  ignored(id: string): Locator {
    return this.byTestId(`import-ignored-${id}`);
  }
}
