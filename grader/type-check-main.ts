// Child-process entry that type-checks learner files with the TypeScript compiler (it never runs them) and prints
// one JSON line: { file: ["file:line:col message", ...] }.
import { join } from 'node:path';
import ts from './typescript-module.ts';

const [projectRoot, ...files] = process.argv.slice(2);
const program = ts.createProgram(files, {
  strict: true,
  noEmit: true,
  target: ts.ScriptTarget.ES2022,
  // Bundler resolution accepts './attention', './attention.js' and './attention.ts', as the grader's bundler does.
  module: ts.ModuleKind.ESNext,
  moduleResolution: ts.ModuleResolutionKind.Bundler,
  skipLibCheck: true,
  allowImportingTsExtensions: true,
  types: [],
  // A solution may live anywhere on disk: its packages are the project's.
  baseUrl: projectRoot,
  paths: { '*': [join(projectRoot!, 'node_modules', '*')] },
});
const out: Record<string, string[]> = Object.fromEntries(files.map((f) => [f, []]));
for (const d of ts.getPreEmitDiagnostics(program)) {
  const name = d.file?.fileName;
  if (!name || !(name in out)) continue;
  const { line, character } = d.file!.getLineAndCharacterOfPosition(d.start ?? 0);
  out[name]!.push(`${name}:${line + 1}:${character + 1} ${ts.flattenDiagnosticMessageText(d.messageText, ' ')}`);
}
process.stdout.write(`${JSON.stringify(out)}\n`);
