import js from '@eslint/js';
import tseslint from 'typescript-eslint';
import globals from 'globals';

/** Who may import whom (docs/architecture.md): checked here so the layering cannot rot. */
const uiPackages = ['react', 'react-dom', 'react/*', '@xyflow/*', 'electron', 'uplot', 'elkjs', 'elkjs/*'];

/** The import rule of one pure-core folder: no I/O, no UI, and none of the layers above it. */
function pureCoreLayer(folder, above, message) {
  return [
    {
      files: [`${folder}/**/*.ts`],
      rules: {
        'no-restricted-imports': [
          'error',
          {
            patterns: [
              { group: uiPackages, message: 'core/ is pure TypeScript: it never imports UI or Electron code.' },
              { group: ['node:*', '**/runtime/**', '**/cli/**', '**/api/**'], message: 'The pure core (model, cidr, validate, routing, export) has no I/O: it also runs in the renderer.' },
              { group: above, message },
            ],
          },
        ],
      },
    },
  ];
}

export default tseslint.config(
  { ignores: ['dist/**', 'node_modules/**', 'test-results/**', 'playwright-report/**', 'out/**', 'release/**'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: { globals: { ...globals.node }, ecmaVersion: 2023, sourceType: 'module' },
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      '@typescript-eslint/consistent-type-imports': ['error', { fixStyle: 'inline-type-imports' }],
    },
  },
  {
    files: ['core/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        { patterns: [{ group: uiPackages, message: 'core/ is pure TypeScript: it never imports UI or Electron code.' }, { group: ['**/renderer/**', '**/electron/**'], message: 'core/ never imports the renderer or the shell.' }] },
      ],
    },
  },
  // The pure core, layer by layer: cidr <- model <- routing <- validate, export. A layer never
  // imports one above it (not even a type): that is how back-arrows such as cidr -> model come back.
  ...pureCoreLayer('core/cidr', ['**/model/**', '**/routing/**', '**/validate/**', '**/export/**'], 'core/cidr is the bottom layer: it imports nothing else of core (Provider lives here).'),
  ...pureCoreLayer('core/model', ['**/routing/**', '**/validate/**', '**/export/**'], 'core/model sits under routing, validate and export: it imports only core/cidr.'),
  ...pureCoreLayer('core/routing', ['**/validate/**', '**/export/**'], 'core/routing imports only model and cidr.'),
  ...pureCoreLayer('core/validate', ['**/export/**'], 'core/validate does not import the exporters.'),
  ...pureCoreLayer('core/export', ['**/validate/**'], 'core/export does not import the validator.'),
  {
    // Services are built by the lab, not the other way round: no value from lab.ts (its types until they move).
    files: ['core/runtime/lab/services.ts'],
    rules: {
      '@typescript-eslint/no-restricted-imports': ['error', { paths: [{ name: './lab.js', message: 'lab.ts builds services: take helpers from their own module (address.ts), not from lab.ts.', allowTypeImports: true }] }],
    },
  },
  {
    files: ['renderer/**/*.{ts,tsx}'],
    languageOptions: { globals: { ...globals.browser } },
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            { group: ['electron', 'node:*'], message: 'The renderer runs sandboxed: no Electron or Node APIs; use the API client.' },
            { group: ['**/core/runtime/**', '**/core/cli/**'], message: 'The renderer reaches the runtime only through core/api.' },
          ],
        },
      ],
    },
  },
  {
    files: ['electron/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        { patterns: [{ group: ['**/renderer/**', 'react', 'react-dom', '@xyflow/*'], message: 'The shell talks to the renderer over the API contract only.' }, { group: ['**/core/runtime/**', '**/core/validate/**', '**/core/routing/**', '**/core/export/**'], message: 'The shell uses core only through core/api.' }] },
      ],
    },
  },
);
