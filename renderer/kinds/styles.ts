import { NODE_KINDS } from '../../core/model/index.js';
import { RENDERER_KINDS } from './index.js';

/**
 * The per-kind colour variables of both themes (`--k-<kind>`) and the `.kind-<kind>`
 * classes that pick one as `--k` (and a dashed frame where the kind draws one), from renderer/kinds/, so a kind's colours live in its
 * file only. main.tsx adds it to the page once.
 */
export function kindStyleSheet(): string {
  const vars = (pick: (kind: (typeof NODE_KINDS)[number]) => string) => NODE_KINDS.map((kind) => `  --k-${kind}: ${pick(kind)};`).join('\n');
  return [
    `:root {\n${vars((kind) => RENDERER_KINDS[kind].color)}\n}`,
    `:root[data-theme='dark'] {\n${vars((kind) => RENDERER_KINDS[kind].darkColor)}\n}`,
    ...NODE_KINDS.map((kind) => `.kind-${kind} { --k: var(--k-${kind}); }`),
    // A dashed frame on the canvas too, as in the exported diagram.
    ...NODE_KINDS.filter((kind) => RENDERER_KINDS[kind].frameDash).map((kind) => `.container.kind-${kind} { border-style: dashed; }`),
  ].join('\n');
}
