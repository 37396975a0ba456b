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
