// Source-level rules, read by the parent from the learner's file (never from anything the child reports):
// code lines (blank lines, comments and imports excluded), loop statements, and calls such as tf.linalg.bandPart.
import type * as TS from 'typescript';
import ts from './typescript-module.ts';

function parse(source: string, fileName = 'solution.ts'): TS.SourceFile {
  return ts.createSourceFile(fileName, source, ts.ScriptTarget.Latest, true, ts.ScriptKind.TS);
}

/** Lines that hold at least one token outside comments and import declarations. */
export function codeLines(source: string): number {
  const sf = parse(source);
  const lines = new Set<number>();
  const visit = (n: TS.Node) => {
    if (ts.isImportDeclaration(n) || ts.isJSDoc(n)) return;
    const kids = n.getChildren(sf);
    if (kids.length === 0) {
      if (n.kind !== ts.SyntaxKind.EndOfFileToken) lines.add(sf.getLineAndCharacterOfPosition(n.getStart(sf)).line);
      return;
    }
    kids.forEach(visit);
  };
  visit(sf);
  return lines.size;
}

export interface Found {
  line: number; // 1-based
  text: string;
}

function findNodes(source: string, pred: (n: TS.Node) => boolean): Found[] {
  const sf = parse(source);
  const out: Found[] = [];
  const visit = (n: TS.Node) => {
    if (pred(n)) {
      const line = sf.getLineAndCharacterOfPosition(n.getStart(sf)).line;
      out.push({ line: line + 1, text: source.split('\n')[line]!.trim() });
    }
    ts.forEachChild(n, visit);
  };
  visit(sf);
  return out;
}

/** for, for-in, for-of, while and do-while statements. */
export function loopStatements(source: string): Found[] {
  return findNodes(
    source,
    (n) => ts.isForStatement(n) || ts.isForInStatement(n) || ts.isForOfStatement(n) || ts.isWhileStatement(n) || ts.isDoStatement(n),
  );
}

/** Uses of a member named `name` (x.name or x['name']), outside comments and strings. */
export function memberUses(source: string, name: string): Found[] {
  return findNodes(
    source,
    (n) =>
      (ts.isPropertyAccessExpression(n) && n.name.text === name) ||
      (ts.isElementAccessExpression(n) && ts.isStringLiteralLike(n.argumentExpression) && n.argumentExpression.text === name) ||
      (ts.isImportSpecifier(n) && (n.propertyName ?? n.name).text === name) ||
      (ts.isBindingElement(n) && ((n.propertyName && ts.isIdentifier(n.propertyName) ? n.propertyName.text : ts.isIdentifier(n.name) ? n.name.text : '') === name)),
  );
}

/** tfjs ops that return a new tensor and never change their input, so a call whose result is unused does nothing. */
const PURE_OPS = new Set(['where', 'add', 'sub', 'mul', 'div', 'addStrict', 'maskedFill', 'fill', 'neg', 'clipByValue', 'maximum', 'minimum', 'softmax', 'maskFuture']);

function calledName(n: TS.Node): string | null {
  if (!ts.isCallExpression(n)) return null;
  const callee = n.expression;
  if (ts.isIdentifier(callee)) return callee.text;
  if (ts.isPropertyAccessExpression(callee)) return callee.name.text;
  return null;
}

/**
 * Calls of a pure tensor op whose result is thrown away: a bare statement such as `tf.where(keep, scores, -1e9);`
 * or `scores.add(bias);` (written as if it changed scores in place, as PyTorch's masked_fill_ does), or a const
 * holding such a call that is never read again.
 */
export function discardedResults(source: string): Found[] {
  const sf = parse(source);
  const uses = new Map<string, number>();
  const count = (n: TS.Node) => {
    if (ts.isIdentifier(n)) uses.set(n.text, (uses.get(n.text) ?? 0) + 1);
    ts.forEachChild(n, count);
  };
  count(sf);
  return findNodes(source, (n) => {
    if (ts.isExpressionStatement(n)) return PURE_OPS.has(calledName(n.expression) ?? '');
    if (ts.isVariableDeclaration(n) && ts.isIdentifier(n.name) && n.initializer) {
      return PURE_OPS.has(calledName(n.initializer) ?? '') && uses.get(n.name.text) === 1;
    }
    return false;
  });
}

/** Calls of tf.multinomial that pass a seed (a third argument other than undefined), so every call draws alike. */
export function seededMultinomials(source: string): Found[] {
  return findNodes(source, (n) => {
    if (calledName(n) !== 'multinomial') return false;
    const seed = (n as TS.CallExpression).arguments[2];
    return seed !== undefined && !(ts.isIdentifier(seed) && seed.text === 'undefined') && seed.kind !== ts.SyntaxKind.NullKeyword;
  });
}

/** The name of the top-level function (declaration or const arrow) whose body holds the 1-based `line`, if any. */
export function functionAt(source: string, line: number): string | null {
  const sf = parse(source);
  const spans = (n: TS.Node) => {
    const first = sf.getLineAndCharacterOfPosition(n.getStart(sf)).line + 1;
    const last = sf.getLineAndCharacterOfPosition(n.getEnd()).line + 1;
    return line >= first && line <= last;
  };
  for (const st of sf.statements) {
    if (ts.isFunctionDeclaration(st) && st.name && spans(st)) return st.name.text;
    if (ts.isVariableStatement(st)) {
      for (const d of st.declarationList.declarations) if (ts.isIdentifier(d.name) && d.initializer && spans(d)) return d.name.text;
    }
  }
  return null;
}
