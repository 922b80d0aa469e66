// ESLint flat config: type-aware rules plus the layer boundaries of docs/architecture.md.
import js from '@eslint/js'
import tseslint from 'typescript-eslint'
import prettier from 'eslint-config-prettier'

const adapterPaths = {
  group: [
    '**/sqlite/**',
    '**/postgres/**',
    '**/nats/**',
    '**/embedded-broker*',
    '**/external-client*',
  ],
  message:
    'Adapters are chosen only in app.ts and cli/: depend on the port (store/store.ts, bus/bus.ts) instead.',
}

export default tseslint.config(
  { ignores: ['dist', 'web/dist', 'node_modules', 'data', 'coverage', 'bin', '.bench-tmp'] },
  js.configs.recommended,
  ...tseslint.configs.recommendedTypeChecked,
  {
    languageOptions: {
      parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname },
    },
    rules: {
      '@typescript-eslint/no-floating-promises': 'error',
      '@typescript-eslint/no-misused-promises': 'error',
      '@typescript-eslint/await-thenable': 'error',
      '@typescript-eslint/require-await': 'error',
      '@typescript-eslint/switch-exhaustiveness-check': 'error',
      '@typescript-eslint/consistent-type-imports': 'error',
      '@typescript-eslint/only-throw-error': 'error',
      '@typescript-eslint/no-unused-vars': [
        'error',
        { argsIgnorePattern: '^_', varsIgnorePattern: '^_' },
      ],
      eqeqeq: ['error', 'smart'],
      curly: ['error', 'multi-line'],
    },
  },
  {
    files: ['**/*.js', 'web/vite.config.ts'],
    ...tseslint.configs.disableTypeChecked,
    languageOptions: {
      ...tseslint.configs.disableTypeChecked.languageOptions,
      globals: {
        process: 'readonly',
        console: 'readonly',
        performance: 'readonly',
        URL: 'readonly',
        fetch: 'readonly',
        setTimeout: 'readonly',
        setInterval: 'readonly',
        clearInterval: 'readonly',
        Buffer: 'readonly',
      },
    },
  },
  {
    files: ['src/**/*.ts'],
    ignores: ['src/config/**'],
    rules: {
      'no-restricted-properties': [
        'error',
        {
          object: 'process',
          property: 'env',
          message: 'Only src/config reads the environment: pass the Config slice down.',
        },
      ],
    },
  },
  {
    files: ['src/core/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            {
              group: ['../*', '!../core/*'],
              message: 'core is pure: it imports nothing else from src.',
            },
            {
              group: [
                'node:fs',
                'node:net',
                'node:http',
                'pg',
                'better-sqlite3',
                'mqtt',
                'aedes',
                'nats',
                'fastify',
              ],
              message: 'core does no I/O.',
            },
          ],
        },
      ],
    },
  },
  {
    files: [
      'src/{ingest,context,analytics,services,assessment,engagement,security,simulator}/**/*.ts',
    ],
    // Tests are composition roots of their own: they may run a real adapter.
    ignores: ['src/**/*.test.ts'],
    rules: { 'no-restricted-imports': ['error', { patterns: [adapterPaths] }] },
  },
  {
    files: ['web/src/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            {
              group: ['../../src/*', '!../../src/core/*'],
              message: 'web/ may import src/core only; talk HTTP to the server.',
            },
          ],
        },
      ],
    },
  },
  prettier,
)
