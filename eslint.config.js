// Lint: typed rules for correctness, and the layering rules of docs/architecture.md as import
// restrictions, so dependencies point inward by construction rather than by goodwill.
import js from '@eslint/js';
import tseslint from 'typescript-eslint';

const restrict = (patterns) => ({ 'no-restricted-imports': ['error', { patterns }] });

export default tseslint.config(
  { ignores: ['**/node_modules/**', '**/dist/**', 'data/**', 'bench/results/**', 'packages/cli/bin/**', 'scripts/**', '.scratch/**'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    rules: {
      '@typescript-eslint/no-explicit-any': 'error',
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      '@typescript-eslint/no-non-null-assertion': 'off',
      '@typescript-eslint/ban-ts-comment': 'error',
    },
  },
  {
    files: ['packages/protocol/src/**'],
    rules: restrict([
      { group: ['node:*', '@parley/*'], message: 'protocol is shared by browser and server: zod only.' },
    ]),
  },
  {
    files: ['packages/server/src/domain/**'],
    rules: restrict([
      { group: ['../http/*', '../ws/*', '../storage/*', '../media/*', '../bus/*', '../main', '../config'], message: 'domain depends only on protocol and its own ports.' },
      { group: ['fastify', '@fastify/*', 'pg', '@electric-sql/*', 'drizzle-orm*', 'node-datachannel*', 'ws', 'ioredis'], message: 'domain does no I/O.' },
    ]),
  },
  {
    files: ['packages/server/src/{http,ws,storage,media,bus}/**'],
    ignores: ['**/*.test.ts'],
    rules: restrict([{ group: ['../main', '../index'], message: 'only the composition root wires implementations.' }]),
  },
  {
    files: ['packages/client/src/**'],
    ignores: ['packages/client/src/node/**'],
    rules: restrict([
      { group: ['node-datachannel*', 'opusscript', './node/*', '../node/*'], message: 'the SDK core and browser adapter must not pull Node-only media code.' },
      { group: ['@parley/server*'], message: 'clients talk to the server over the protocol only.' },
    ]),
  },
  {
    files: ['packages/web/src/**'],
    rules: restrict([
      { group: ['@parley/client/node', 'node-datachannel*', 'opusscript', 'node:*', '@parley/server*'], message: 'the web bundle never pulls Node-only code.' },
    ]),
  },
);
