// ESLint: typescript-eslint's type-aware rules, React hooks, Vitest, import cycles and the house rules (house-rules.js).
import js from '@eslint/js';
import vitest from '@vitest/eslint-plugin';
import importX from 'eslint-plugin-import-x';
import reactHooks from 'eslint-plugin-react-hooks';
import globals from 'globals';
import tseslint from 'typescript-eslint';
import house from './scripts/eslint/house-rules.js';

export default tseslint.config(
  {
    ignores: ['node_modules/**', 'solutions/**', 'runs/**', '.cache/**', '.scratch/**', 'harness/kernels/blas/build/**', 'grader/fixtures/**', 'grader/katas/*/fixtures/**'],
  },
  js.configs.recommended,
  ...tseslint.configs.recommendedTypeChecked,
  {
    languageOptions: {
      globals: globals.node,
      parserOptions: { projectService: { allowDefaultProject: ['*.js', 'scripts/eslint/*.js', 'scripts/gpu/*.mjs'] }, tsconfigRootDir: import.meta.dirname },
    },
    plugins: { 'import-x': importX, house },
    rules: {
      'import-x/no-cycle': 'error',
      'house/purpose-line': 'error',
      'house/file-name-case': 'error',
      'house/layers': 'error',
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      // A check's run() and other Promise-returning interface methods may have nothing to await in one implementation.
      '@typescript-eslint/require-await': 'off',
      // Shapes print as `[${shape}]` on purpose: "[2,3,4]" is how the messages show them.
      '@typescript-eslint/restrict-template-expressions': ['error', { allowNumber: true, allowArray: true }],
    },
  },
  { files: ['**/*.tsx', 'harness/ui/**'], ...reactHooks.configs.flat['recommended-latest'] },
  {
    files: ['**/*.test.ts', '**/*.test.tsx'],
    ...vitest.configs.recommended,
    rules: {
      ...vitest.configs.recommended.rules,
      // expect(value, 'what it means') is Vitest's own message form
      'vitest/valid-expect': ['error', { maxArgs: 2 }],
      // Shared assertion helpers (close, compare, check…AgainstCpu) count as assertions.
      'vitest/expect-expect': ['error', { assertFunctionNames: ['expect', 'expect*', 'close', 'compare', 'check*', 'assert*'] }],
    },
  },
  { files: ['**/*.js', '**/*.mjs'], ...tseslint.configs.disableTypeChecked },
);
