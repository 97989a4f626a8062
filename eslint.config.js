// @ts-check
import js from '@eslint/js';
import tseslint from 'typescript-eslint';
import prettier from 'eslint-config-prettier';

export default tseslint.config(
  {
    ignores: [
      'dist/**',
      'dist-action/**',
      'node_modules/**',
      'reports/**',
      'coverage/**',
      'src/model/generated/**',
      'src/core/validation/generated/**',
    ],
  },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  // Layout is Prettier's job (npm run format); this turns off the stylistic rules it would fight.
  prettier,
  {
    files: ['**/*.{js,mjs}'],
    languageOptions: { globals: { process: 'readonly', console: 'readonly', URL: 'readonly' } },
  },
  {
    files: ['src/core/**/*.ts', 'src/model/**/*.ts'],
    rules: {
      // The core is pure: no I/O, no clock, no console. See docs/architecture.md.
      // typescript-eslint's variant: the core may name AWS SDK *types* (erased at compile time, e.g.
      // the ASFF shapes of @aws-sdk/client-securityhub) but never import SDK code.
      '@typescript-eslint/no-restricted-imports': [
        'error',
        {
          patterns: [
            {
              group: ['node:fs', 'node:fs/*', 'fs', 'fs/*', 'node:net', 'node:http', 'node:https', 'node:child_process', 'node:process'],
              message: 'core must stay free of I/O',
            },
            { group: ['**/collectors/**', '**/cli/**', '**/sandbox/**', '**/action/**'], message: 'imports point inward only' },
            { group: ['@aws-sdk/*'], message: 'core may import AWS SDK types only (import type)', allowTypeImports: true },
          ],
        },
      ],
      'no-restricted-globals': ['error', { name: 'process', message: 'core must not read the environment' }],
      'no-restricted-properties': [
        'error',
        { object: 'Date', property: 'now', message: 'core must not read the clock; use the snapshot as-of time' },
      ],
      'no-console': 'error',
    },
  },
  {
    files: ['src/collectors/**/*.ts'],
    rules: {
      'no-restricted-imports': ['error', { patterns: [{ group: ['**/cli/**', '**/action/**'], message: 'imports point inward only' }] }],
    },
  },
  {
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
    },
  },
);
