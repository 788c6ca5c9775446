// ESLint flat config. The layering of DESIGN.md §1 is enforced here, folder by folder.
import js from '@eslint/js';
import tseslint from 'typescript-eslint';
import prettier from 'eslint-config-prettier';
import globals from 'globals';

const nodeBuiltins = ['node:*', 'fs', 'path', 'os', 'http', 'https', 'net', 'child_process', 'crypto', 'url'];

export default tseslint.config(
  { ignores: ['dist/**', 'node_modules/**', 'test-results/**', 'bench/results/**', 'bench/builds/**'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  prettier,
  {
    languageOptions: { globals: { ...globals.node } },
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      'no-empty': ['error', { allowEmptyCatch: false }],
    },
  },
  {
    files: ['shared/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            {
              regex: '^(?!zod(/|$)|\\.\\.?/).*',
              message: 'shared/ imports only zod and other files of shared/ (DESIGN.md §1).',
            },
            {
              group: ['../electron/*', '../renderer/*', '../../*'],
              message: 'shared/ must not reach into other layers.',
            },
          ],
        },
      ],
    },
  },
  {
    files: ['electron/gateway/**/*.ts', 'electron/cli.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          paths: [
            {
              name: 'electron',
              message: 'The gateway core and the CLI run in plain Node: never import electron.',
            },
          ],
          patterns: [
            {
              group: ['electron-store', 'react', 'react-dom', 'react/*'],
              message: 'Not in the gateway core (DESIGN.md §1).',
            },
            {
              group: ['**/renderer/**', '**/shell/**', '**/main', '**/preload'],
              message: 'The core must not depend on the shell or the dashboard.',
            },
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
          paths: [{ name: 'electron', message: 'The dashboard reaches the core only through GatehouseApi.' }],
          patterns: [
            { group: nodeBuiltins, message: 'The dashboard runs in a browser: no Node built-ins.' },
            {
              group: ['**/electron/**'],
              message: 'The dashboard reaches the core only through GatehouseApi (shared/).',
            },
          ],
        },
      ],
    },
  },
);
