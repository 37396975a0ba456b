// Child-process entry that type-checks learner files with the TypeScript compiler (it never runs them) and prints
// one JSON line: { file: ["file:line:col message", ...] }.
import ts from 'typescript';

const files = process.argv.slice(2);
const program = ts.createProgram(files, {
  strict: true,
  noEmit: true,
  target: ts.ScriptTarget.ES2022,
  module: ts.ModuleKind.NodeNext,
  moduleResolution: ts.ModuleResolutionKind.NodeNext,
  skipLibCheck: true,
  allowImportingTsExtensions: true,
  types: [],
});
const out: Record<string, string[]> = Object.fromEntries(files.map((f) => [f, []]));
for (const d of ts.getPreEmitDiagnostics(program)) {
  const name = d.file?.fileName;
  if (!name || !(name in out)) continue;
  const { line, character } = d.file!.getLineAndCharacterOfPosition(d.start ?? 0);
  out[name]!.push(`${name}:${line + 1}:${character + 1} ${ts.flattenDiagnosticMessageText(d.messageText, ' ')}`);
}
process.stdout.write(`${JSON.stringify(out)}\n`);
