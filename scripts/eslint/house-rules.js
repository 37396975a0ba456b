// The house rules as ESLint rules: a purpose line atop each file, kebab-case names, and imports that run one way.
import { basename, dirname, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..');

/**
 * The layers, highest first: a file may import its own layer or any below it, never one above.
 * CLIs → kata app / trainer / lab → grader → sandbox → tfjs and kernels.
 */
const LAYERS = [
  ['command-line', ['harness/cli/']],
  ['kata app, trainer and lab', ['harness/ui/', 'harness/self-check/', 'harness/week/', 'harness/train/', 'harness/bench/', 'harness/backends/', 'datasets/']],
  ['grader', ['grader/']],
  ['sandbox', ['grader/sandbox/']],
  ['tfjs and kernels', ['grader/tfjs/', 'harness/kernels/']],
  ['contracts', ['katas/']],
];

/** The layer of a project file (the longest matching prefix wins), or -1 outside the layers. */
function layerOf(rel) {
  let best = -1;
  let len = 0;
  LAYERS.forEach(([, prefixes], i) => {
    for (const p of prefixes) if (rel.startsWith(p) && p.length > len) [best, len] = [i, p.length];
  });
  return best;
}

const isTest = (rel) => /\.test\.tsx?$/.test(rel) || rel.includes('/test-support/') || rel.includes('/fixtures/');

export default {
  rules: {
    'purpose-line': {
      meta: { type: 'suggestion', messages: { missing: 'Open the file with a one-line comment saying what it is for.' }, schema: [] },
      create(context) {
        return {
          Program() {
            const text = context.sourceCode.getText();
            const first = text.split('\n').find((l) => !l.startsWith('#!'))?.trim() ?? '';
            if (!first.startsWith('//') && !first.startsWith('/*')) context.report({ loc: { line: 1, column: 0 }, messageId: 'missing' });
          },
        };
      },
    },
    'file-name-case': {
      meta: { type: 'suggestion', messages: { bad: 'File names are kebab-case (PascalCase only for .tsx components): rename {{name}}.' }, schema: [] },
      create(context) {
        return {
          Program() {
            const name = basename(context.filename);
            if (/\.config\.(ts|js)$/.test(name)) return; // tools look for these names
            const stem = name.replace(/\.(test\.)?(ts|tsx|js|mjs|d\.mts)$/, '').replace(/\.d$/, '');
            const kebab = /^[a-z0-9]+(-[a-z0-9]+)*$/.test(stem);
            const component = name.endsWith('.tsx') && /^[A-Z][A-Za-z0-9]*$/.test(stem);
            if (!kebab && !component) context.report({ loc: { line: 1, column: 0 }, messageId: 'bad', data: { name } });
          },
        };
      },
    },
    layers: {
      meta: {
        type: 'problem',
        messages: { upward: '{{from}} ({{fromLayer}}) may not import {{to}} ({{toLayer}}): imports run CLIs → kata app / trainer / lab → grader → sandbox → tfjs and kernels.' },
        schema: [],
      },
      create(context) {
        const from = relative(ROOT, context.filename);
        if (isTest(from)) return {};
        const fromLayer = layerOf(from);
        const check = (node, spec) => {
          if (typeof spec !== 'string' || !spec.startsWith('.')) return;
          const to = relative(ROOT, resolve(dirname(context.filename), spec));
          const toLayer = layerOf(to);
          if (fromLayer >= 0 && toLayer >= 0 && toLayer < fromLayer) {
            context.report({ node, messageId: 'upward', data: { from, to, fromLayer: LAYERS[fromLayer][0], toLayer: LAYERS[toLayer][0] } });
          }
        };
        return {
          ImportDeclaration: (node) => check(node, node.source.value),
          ExportNamedDeclaration: (node) => node.source && check(node, node.source.value),
          ExportAllDeclaration: (node) => check(node, node.source.value),
          ImportExpression: (node) => node.source.type === 'Literal' && check(node, node.source.value),
        };
      },
    },
  },
};
