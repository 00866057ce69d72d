// One lint configuration for the whole repository: typescript-eslint's recommended rules, with
// formatting left to Prettier (`npm run format`).
import js from '@eslint/js';
import prettier from 'eslint-config-prettier';
import tseslint from 'typescript-eslint';

export default tseslint.config(
  { ignores: ['**/dist/**', '**/node_modules/**', 'libs/api-model/src/generated/**', 'coverage/**'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: {
      globals: { process: 'readonly', console: 'readonly', Buffer: 'readonly', setTimeout: 'readonly' },
    },
    rules: {
      // `_name` marks what is unused on purpose (a destructured field left out, a parameter of a signature).
      '@typescript-eslint/no-unused-vars': [
        'error',
        {
          argsIgnorePattern: '^_',
          varsIgnorePattern: '^_',
          destructuredArrayIgnorePattern: '^_',
          caughtErrors: 'none',
        },
      ],
      // Kysely's dynamic schemas and some NATS payloads are typed `any` on purpose; keep it visible, not forbidden.
      '@typescript-eslint/no-explicit-any': 'off',
      'no-constant-condition': ['error', { checkLoops: false }],
    },
  },
  {
    // Dependencies point down: a domain is pure (deciders, events, errors) and knows no framework or database.
    files: ['services/*/src/**/domain/**/*.ts'],
    rules: {
      '@typescript-eslint/no-restricted-imports': [
        'error',
        {
          patterns: [
            {
              group: ['@nestjs/*', 'kysely', 'pg', 'nats', '@lm/service-kit', '**/infra/**', '**/application/**'],
              message: 'A domain is pure: no framework, database, bus or outer layer.',
            },
            {
              group: ['@lm/event-store', '@lm/messaging'],
              allowTypeImports: true,
              message: 'A domain may use the types of the event store and the messages, nothing that runs.',
            },
          ],
        },
      ],
    },
  },
  prettier,
);
