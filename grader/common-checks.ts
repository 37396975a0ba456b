// Checks shared by every kata: the exports exist and are functions.
import { type Check, fail, pass } from './suite.ts';

export function exportsCheck(names: string[]): Check {
  return {
    name: `exports ${names.join(', ')}`,
    async run(ctx) {
      const missing = names.filter((n) => ctx.exports[n] !== 'function');
      if (missing.length === 0) return pass();
      const found = Object.keys(ctx.exports);
      const have = found.length ? `it exports ${found.map((n) => `${n} (${ctx.exports[n]})`).join(', ')}` : 'it exports nothing';
      return fail(`missing function export(s): ${missing.join(', ')}; ${have}. Write \`export function ${missing[0]}(...)\`.`, 'missing-export');
    },
  };
}
