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
    },
  },
  { files: ['**/*.js', '**/*.mjs'], ...tseslint.configs.disableTypeChecked },
);
