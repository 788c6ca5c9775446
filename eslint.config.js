// ESLint flat config. The layering of DESIGN.md §1 is enforced here, folder by folder.
import js from '@eslint/js';
import tseslint from 'typescript-eslint';
import prettier from 'eslint-config-prettier';
import globals from 'globals';

/**
 * The folders of the gateway core and what each may import besides its own files and shared/ (VS Code's code-layering
 * is the model): an allow-list, so a new dependency between folders is a decision made here. The order is the
 * layering: a folder lists only folders above it, so no cycle between folders can form.
 */
export const GATEWAY_LAYERS = {
  text: [],
  rpc: [],
  home: [],
  paths: [],
  policy: ['paths', 'text'],
  risk: [],
  names: [],
  log: ['home'],
  grants: ['home'],
  state: ['home', 'log', 'policy', 'text'],
  approvals: ['home', 'paths', 'policy'],
  simulate: ['text', 'paths', 'home', 'log', 'policy'],
  telemetry: ['log'],
  upstream: ['rpc', 'names', 'home', 'text'],
  front: ['rpc', 'grants'],
  team: ['home', 'policy'],
  calls: ['rpc', 'approvals', 'log', 'names', 'paths', 'policy', 'risk', 'state', 'team'],
  relay: ['rpc', 'calls', 'front', 'names', 'policy', 'upstream'],
  clients: ['home', 'grants', 'policy'],
  control: [
    'rpc',
    'approvals',
    'calls',
    'clients',
    'grants',
    'home',
    'log',
    'names',
    'policy',
    'risk',
    'simulate',
    'state',
    'upstream',
    'team',
  ],
  bridge: ['rpc', 'home'],
  app: [
    'text',
    'rpc',
    'home',
    'policy',
    'risk',
    'names',
    'log',
    'grants',
    'state',
    'approvals',
    'upstream',
    'front',
    'calls',
    'relay',
    'control',
    'team',
    'telemetry',
  ],
};

const coreRestrictions = {
  paths: [
    { name: 'electron', message: 'The gateway core and the CLI run in plain Node: never import electron.' },
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
};

function gatewayLayers() {
  const folders = Object.keys(GATEWAY_LAYERS);
  return [
    {
      files: ['electron/gateway/**/*.ts', 'electron/cli.ts', 'electron/cli/**/*.ts'],
      rules: { 'no-restricted-imports': ['error', coreRestrictions] },
    },
    ...folders.map((folder) => {
      const forbidden = folders.filter((f) => f !== folder && !GATEWAY_LAYERS[folder].includes(f));
      return {
        files: [`electron/gateway/${folder}/**/*.ts`],
        rules: {
          'no-restricted-imports': [
            'error',
            {
              ...coreRestrictions,
              patterns: [
                ...coreRestrictions.patterns,
                ...(forbidden.length > 0
                  ? [
                      {
                        group: forbidden.map((f) => `../${f}/*`),
                        message: `electron/gateway/${folder}/ may import only ${GATEWAY_LAYERS[folder].join(', ') || 'shared/'} (GATEWAY_LAYERS in eslint.config.js).`,
                      },
                    ]
                  : []),
              ],
            },
          ],
        },
      };
    }),
  ];
}

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
              // eventsource-parser: the client of the contract (shared/api/client.ts) reads the event stream with it.
              regex: '^(?!zod(/|$)|eventsource-parser(/|$)|\\.\\.?/).*',
              message:
                'shared/ imports only zod, eventsource-parser and other files of shared/ (DESIGN.md §1).',
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
  ...gatewayLayers(),
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
