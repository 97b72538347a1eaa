import { useEffect } from 'react';
import { useServices } from '../lib/context.js';
import { readFiles } from './importer.js';

function carriesFiles(event: DragEvent): boolean {
  return event.dataTransfer?.types.includes('Files') ?? false;
}

/**
 * Files dropped anywhere on the window open the import dialog with them. Only drags that
 * carry files are taken: the palette's drags onto the canvas go on as before. Without
 * this, a file dropped on the page would make the browser (or the desktop shell) navigate
 * away to show it.
 */
export function useFileDrop(): void {
  const { editor, importer } = useServices();
  useEffect(() => {
    const over = (event: DragEvent) => {
      if (!carriesFiles(event)) return;
      event.preventDefault();
      if (event.dataTransfer) event.dataTransfer.dropEffect = 'copy';
    };
    const drop = (event: DragEvent) => {
      if (!carriesFiles(event)) return;
      event.preventDefault();
      const files = event.dataTransfer?.files;
      if (!files || files.length === 0) return;
      readFiles(files).then(
        (read) => importer.offer(read),
        (error: unknown) => editor.toast('error', `Could not read the dropped files: ${error instanceof Error ? error.message : String(error)}`),
      );
    };
    window.addEventListener('dragover', over);
    window.addEventListener('drop', drop);
    return () => {
      window.removeEventListener('dragover', over);
      window.removeEventListener('drop', drop);
    };
  }, [editor, importer]);
}
