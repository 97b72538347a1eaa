import js from '@eslint/js';
import tseslint from 'typescript-eslint';
import globals from 'globals';

/** Who may import whom (docs/architecture.md): checked here so the layering cannot rot. */
const uiPackages = ['react', 'react-dom', 'react/*', '@xyflow/*', 'electron', 'uplot', 'elkjs', 'elkjs/*'];

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
  {
    files: ['core/model/**/*.ts', 'core/cidr/**/*.ts', 'core/validate/**/*.ts', 'core/routing/**/*.ts', 'core/export/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            { group: uiPackages, message: 'core/ is pure TypeScript: it never imports UI or Electron code.' },
            { group: ['node:*', '**/runtime/**', '**/cli/**', '**/api/**'], message: 'The pure core (model, cidr, validate, routing, export) has no I/O: it also runs in the renderer.' },
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
