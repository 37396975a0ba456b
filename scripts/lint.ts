// Project lint: the house rules tsc cannot check (no committed .only, kebab-case names, a purpose line atop each file).
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';

const ROOT = new URL('..', import.meta.url).pathname;
const DIRS = ['katas', 'grader', 'harness', 'datasets', 'scripts'];
const SKIP = new Set(['node_modules', 'fixtures']); // fixtures are learner-style files, deliberately odd

function* sourceFiles(dir: string): Generator<string> {
  for (const name of readdirSync(dir)) {
    if (SKIP.has(name)) continue;
    const path = join(dir, name);
    if (statSync(path).isDirectory()) yield* sourceFiles(path);
    else if (/\.(ts|tsx)$/.test(name)) yield path;
  }
}

const problems: string[] = [];
for (const top of DIRS) {
  let files: string[];
  try {
    files = [...sourceFiles(join(ROOT, top))];
  } catch {
    continue;
  }
  for (const file of files) {
    const rel = relative(ROOT, file);
    const base = file.split('/').pop()!;
    const stem = base.replace(/\.(test\.)?(ts|tsx)$/, '');
    const kebab = /^[a-z0-9]+(-[a-z0-9]+)*$/.test(stem);
    const pascalComponent = base.endsWith('.tsx') && /^[A-Z][A-Za-z0-9]*$/.test(stem);
    if (!kebab && !pascalComponent) problems.push(`${rel}: file names are kebab-case (PascalCase only for .tsx components); rename it`);
    const text = readFileSync(file, 'utf8');
    const first = text.split('\n').find((l) => !l.startsWith('#!'))?.trim() ?? '';
    if (!first.startsWith('//') && !first.startsWith('/*')) problems.push(`${rel}:1: open the file with a one-line comment saying what it is for`);
    if (/\.test\.tsx?$/.test(base)) {
      const m = /\b(it|test|describe)\.only\s*\(/.exec(text);
      if (m) problems.push(`${rel}:${text.slice(0, m.index).split('\n').length}: remove ${m[0].trim().slice(0, -1)} before committing`);
    }
  }
}

if (problems.length) {
  console.error(problems.join('\n'));
  console.error(`\nlint: ${problems.length} problem(s)`);
  process.exit(1);
}
console.log('lint: ok');
