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
  ...pureCoreLayer('core/import', ['**/validate/**', '**/export/**'], 'core/import turns inputs into a design: it imports only model, cidr and routing (the CLI validates the result).'),
  {
    // Services are built by the lab, not the other way round: no value from lab.ts (its types until they move).
    files: ['core/runtime/lab/services.ts'],
    rules: {
      '@typescript-eslint/no-restricted-imports': ['error', { paths: [{ name: './lab.js', message: 'lab.ts builds services: take helpers from their own module (address.ts), not from lab.ts.', allowTypeImports: true }] }],
    },
  },
  {
    // The contract declares; it never imports the implementation (runtime, handlers, service,
    // transports, CLI) or anything with I/O. It may name types of the pure core.
    files: ['core/api/contract/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            { group: uiPackages, message: 'core/ is pure TypeScript: it never imports UI or Electron code.' },
            { group: ['**/renderer/**', '**/electron/**'], message: 'core/ never imports the renderer or the shell.' },
            {
              group: ['node:*', '**/runtime/**', '**/cli/**', '**/files/**', '!**/files/backup-key.js', '../handlers/**', '../service.js', '../shell.js', '../host.js', '../transports/**'],
              message: 'The contract declares types and schemas; the implementation implements them, never the other way round.',
            },
          ],
        },
      ],
    },
  },
  {
    // Handler factories get their types from handlers/types.ts, never from the service that builds them.
    files: ['core/api/handlers/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            { group: uiPackages, message: 'core/ is pure TypeScript: it never imports UI or Electron code.' },
            { group: ['**/renderer/**', '**/electron/**'], message: 'core/ never imports the renderer or the shell.' },
            { group: ['../service.js', '../index.js', '../transports/**'], message: 'Handlers import their types from ./types.js: the service imports the handlers, not the other way round.' },
          ],
        },
      ],
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
            {
              // gitignore semantics: a folder is re-included before what is inside it.
              group: [
                '**/core/**',
                '!**/core/model',
                '!**/core/model/**',
                '!**/core/cidr',
                '!**/core/cidr/**',
                '!**/core/validate',
                '!**/core/validate/**',
                '!**/core/api',
                '**/core/api/*',
                '!**/core/api/contract',
                '!**/core/api/contract/**',
              ],
              message:
                'The renderer imports the pure model, cidr and validate (instant feedback while editing) and the API contract (its clients live in renderer/api); routing (trace), export, files and the lab go through the contract (docs/architecture.md).',
            },
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
        {
          patterns: [
            { group: ['**/renderer/**', 'react', 'react-dom', '@xyflow/*'], message: 'The shell talks to the renderer over the API contract only.' },
            { group: ['**/core/**', '!**/core/api', '!**/core/api/**'], message: 'The shell uses core only through core/api (core/api/host.ts re-exports what a host needs besides the contract).' },
          ],
        },
      ],
    },
  },
);
