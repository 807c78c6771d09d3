// Run-time localization (vscode.l10n): writes l10n/bundle.l10n.json, the English bundle, from the
// messages the sources pass to `l10n.t(...)` / `vscode.l10n.t(...)`, the domain's `t(...)` (a
// Translate, src/zk/localize.ts), `localizable(...)` and `msg(...)` (src/zk/message.ts), and the
// webview's `t(...)`. Read with the
// TypeScript compiler API (@vscode/l10n-dev, which does the same, is not installed here).
//   node scripts/l10n.mjs                      rewrite l10n/bundle.l10n.json
//   node scripts/l10n.mjs --check [--root D]   exit 1 when the English bundle is not what the sources
//     say, a message lacks a zh-cn translation (l10n/bundle.l10n.zh-cn.json) or keeps other
//     placeholders, or an adapter shows a plain string literal (a toast, a button, a quick pick
//     item, an input box and its validation, a tree row, a status bar text or message, a thrown Error, a file
//     decoration's tooltip, the title given to pickConnection/askNode/askPath/askQuery/pickPath or a
//     `title = '…'` default) without passing it
//     through l10n.t, or the domain (src/zk) makes a ZkError or a LocalizedError (or a subclass), a
//     socketError or a connection status detail from a plain string or template literal instead of msg('…'); a line with `l10n-ignore` in a comment is left out
//     (internal checks).
import { readFileSync, writeFileSync, readdirSync, existsSync, mkdirSync } from 'node:fs';
import { join, relative, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import ts from 'typescript';

const args = process.argv.slice(2);
const check = args.includes('--check');
const rootArg = args.indexOf('--root');
const root = rootArg >= 0 ? args[rootArg + 1] : fileURLToPath(new URL('../', import.meta.url));
const SOURCE_DIRS = ['src', 'webview'];

function sourceFiles(dir) {
  if (!existsSync(dir)) return [];
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const p = join(dir, e.name);
    if (e.isDirectory()) return sourceFiles(p);
    return /\.tsx?$/.test(e.name) && !e.name.endsWith('.d.ts') ? [p] : [];
  });
}

const literalText = (n) => (n && (ts.isStringLiteral(n) || ts.isNoSubstitutionTemplateLiteral(n)) ? n.text : undefined);
const calleeName = (call) => {
  const c = call.expression;
  if (ts.isIdentifier(c)) return c.text;
  if (ts.isPropertyAccessExpression(c)) return c.name.text;
  return undefined;
};
/** The message of a translating call: l10n.t('…'), t('…'), localizable('…'), msg('…'), l10n.t({ message: '…' }). */
function messageOf(call) {
  const name = calleeName(call);
  if (name !== 't' && name !== 'localizable' && name !== 'msg') return undefined;
  const first = call.arguments[0];
  const text = literalText(first);
  if (text !== undefined) return text;
  if (first && ts.isObjectLiteralExpression(first)) {
    const m = first.properties.find((p) => ts.isPropertyAssignment(p) && p.name.getText() === 'message');
    return m ? literalText(m.initializer) : undefined;
  }
  return undefined;
}

// --- what an adapter must not show untranslated ---------------------------------------------------
/** Calls whose string arguments the user reads (notifications and their buttons, hover Markdown). */
const SHOW = new Set(['showInformationMessage', 'showWarningMessage', 'showErrorMessage', 'setStatusBarMessage', 'appendMarkdown', 'appendText']);
/** Fields of quick pick items, input boxes, tree items, status bar items, progress and dialogs. */
const TEXT_FIELDS = new Set(['message', 'errorPrefix', 'label', 'description', 'detail', 'tooltip', 'placeHolder', 'placeholder', 'prompt', 'title', 'validationMessage', 'text', 'openLabel', 'saveLabel']);
/** An adapter's Error reaches the user: registerCommand shows what a command throws. */
const SHOWN_CLASSES = new Set(['TreeItem', 'MarkdownString', 'Error']);
/** The extension's own asking helpers (src/ui, src/tree, src/search…) and the argument that is the title the user reads. */
const TITLE_ARGS = new Map([['pickConnection', 2], ['askNode', 1], ['askPath', 0], ['askQuery', 0], ['pickPath', 2]]);
/** A file decoration's tooltip (its second argument) is what the tree row's hover says. */
const DECORATION_TOOLTIP = 1;
/** Text a user reads: two letters in a row outside `$(codicon)`, `${...}` and URLs / paths. */
function isUserText(s) {
  const rest = s.replace(/\$\([\w~-]+\)/g, '').replace(/[a-z][\w+.-]*:\/\/\S*/gi, '');
  return /\p{L}{2}/u.test(rest) && !/^[\w.-]*[/.][\w./*-]*$/.test(rest.trim()) && !/^[a-z][\w-]*(\.[\w-]+)+$/.test(rest.trim());
}
/** The plain literals an expression can evaluate to (through ?:, +, ??, ||, parentheses, templates). */
function plainLiterals(n) {
  if (!n) return [];
  if (ts.isParenthesizedExpression(n) || ts.isAsExpression(n)) return plainLiterals(n.expression);
  if (ts.isConditionalExpression(n)) return [...plainLiterals(n.whenTrue), ...plainLiterals(n.whenFalse)];
  if (ts.isBinaryExpression(n) && [ts.SyntaxKind.PlusToken, ts.SyntaxKind.QuestionQuestionToken, ts.SyntaxKind.BarBarToken].includes(n.operatorToken.kind)) {
    return [...plainLiterals(n.left), ...plainLiterals(n.right)];
  }
  const text = literalText(n);
  if (text !== undefined) return isUserText(text) ? [n] : [];
  if (ts.isTemplateExpression(n)) {
    const fixed = [n.head.text, ...n.templateSpans.map((s) => s.literal.text)].join(' ');
    return isUserText(fixed) ? [n] : [];
  }
  if (ts.isArrayLiteralExpression(n)) return n.elements.flatMap(plainLiterals);
  return [];
}
const isDomain = (rel) => rel.startsWith(`src${sep}zk${sep}`);
/** ZkError and the domain's classes that extend it (found by a first pass): their message argument is worded with msg. */
const zkErrorClasses = new Set(['ZkError']);
/** LocalizedError and its subclasses (AuthFailure, ProbeError, …): their last argument is the message. */
const localizedErrorClasses = new Set(['LocalizedError']);
function collectErrorClasses(files) {
  let grew = true;
  const parsed = files.filter((f) => isDomain(relative(root, f))).map((f) => ts.createSourceFile(f, readFileSync(f, 'utf8'), ts.ScriptTarget.Latest, true));
  while (grew) {
    grew = false;
    for (const sf of parsed) {
      ts.forEachChild(sf, (n) => {
        if (!ts.isClassDeclaration(n) || !n.name) return;
        const base = n.heritageClauses?.find((h) => h.token === ts.SyntaxKind.ExtendsKeyword)?.types[0]?.expression;
        if (!base || !ts.isIdentifier(base)) return;
        for (const family of [zkErrorClasses, localizedErrorClasses]) {
          if (family.has(base.text) && !family.has(n.name.text)) {
            family.add(n.name.text);
            grew = true;
          }
        }
      });
    }
  }
}
const isAdapter = (rel) => rel.startsWith(`src${sep}`) && !rel.startsWith(`src${sep}zk${sep}`) && !rel.startsWith(`src${sep}protocol${sep}`);
/** The health panel (webview/) shows text through its dom helpers; it translates with its own t (webview/health/l10n.ts). */
const isWebview = (rel) => rel.startsWith(`webview${sep}`);
const WEBVIEW_FIELDS = new Set(['text', 'title', 'help', 'label', 'aria-label']);
/** Webview helpers and the argument that is their visible text. */
const WEBVIEW_CALLS = new Map([['button', 0], ['fact', 0], ['badge', 0], ['progressRing', 0], ['setText', 1]]);

function scan(file) {
  const rel = relative(root, file);
  const sf = ts.createSourceFile(file, readFileSync(file, 'utf8'), ts.ScriptTarget.Latest, true);
  const lines = sf.getFullText().split('\n');
  const messages = [];
  const plain = [];
  const report = (nodes, what) => {
    for (const n of nodes) {
      const { line } = sf.getLineAndCharacterOfPosition(n.getStart());
      if (lines[line].includes('l10n-ignore')) continue; // said to be no user text (an internal check)
      plain.push(`${rel}:${line + 1}: ${what} shows ${n.getText().slice(0, 70)} without l10n.t`);
    }
  };
  const adapter = isAdapter(rel);
  const webview = isWebview(rel);
  const domain = isDomain(rel);
  const visit = (n) => {
    if (webview && ts.isPropertyAssignment(n) && WEBVIEW_FIELDS.has(n.name.text ?? n.name.getText())) report(plainLiterals(n.initializer), n.name.getText());
    if (webview && ts.isCallExpression(n) && WEBVIEW_CALLS.has(calleeName(n) ?? '')) report(plainLiterals(n.arguments[WEBVIEW_CALLS.get(calleeName(n))]), calleeName(n));
    if (ts.isCallExpression(n)) {
      const m = messageOf(n);
      if (m !== undefined) messages.push(m);
      if (adapter && SHOW.has(calleeName(n) ?? '')) report(n.arguments.flatMap(plainLiterals), calleeName(n));
      if (adapter && TITLE_ARGS.has(calleeName(n) ?? '')) report(plainLiterals(n.arguments[TITLE_ARGS.get(calleeName(n))]), `${calleeName(n)}'s title`);
    }
    // A connection's status detail (its row, tooltip and toasts) and a wire-layer socket error's text.
    if (domain && ts.isCallExpression(n) && calleeName(n) === 'setStatus') {
      for (const a of n.arguments) {
        if (!ts.isObjectLiteralExpression(a)) continue;
        for (const p of a.properties) if (ts.isPropertyAssignment(p) && p.name.getText() === 'detail') report(plainLiterals(p.initializer), 'a connection status detail');
      }
    }
    if (domain && ts.isCallExpression(n) && calleeName(n) === 'socketError') report(plainLiterals(n.arguments[0]), 'socketError');
    if (domain && ts.isNewExpression(n) && ts.isIdentifier(n.expression) && zkErrorClasses.has(n.expression.text)) {
      // A domain error's text reaches a toast: plain literals anywhere in its arguments, not msg('…').
      // The first argument is the code (or the base error); the message comes after it.
      report((n.arguments ?? []).slice(1).flatMap(plainLiterals), `new ${n.expression.text}`);
    }
    if (domain && ts.isNewExpression(n) && ts.isIdentifier(n.expression) && localizedErrorClasses.has(n.expression.text) && n.arguments?.length) {
      report(plainLiterals(n.arguments[n.arguments.length - 1]), `new ${n.expression.text}`);
    }
    if (adapter && ts.isNewExpression(n)) {
      const name = ts.isIdentifier(n.expression) ? n.expression.text : ts.isPropertyAccessExpression(n.expression) ? n.expression.name.text : '';
      if (SHOWN_CLASSES.has(name)) report(plainLiterals(n.arguments?.[0]), `new ${name}`);
      if (name === 'FileDecoration') report(plainLiterals(n.arguments?.[DECORATION_TOOLTIP]), 'a file decoration tooltip');
      if (name === 'Error') return; // an Error's message is not scanned twice
    }
    if (adapter && ts.isPropertyAssignment(n) && TEXT_FIELDS.has(n.name.getText())) report(plainLiterals(n.initializer), n.name.getText());
    // A default title (`title = 'Go to Znode'`) is shown when the caller gives none.
    if (adapter && ts.isParameter(n) && ts.isIdentifier(n.name) && TEXT_FIELDS.has(n.name.text) && n.initializer) report(plainLiterals(n.initializer), `${n.name.text} (default)`);
    // An input box's validateInput returns the message shown under the box.
    if (adapter && ts.isPropertyAssignment(n) && n.name.getText() === 'validateInput' && ts.isArrowFunction(n.initializer) && !ts.isBlock(n.initializer.body)) {
      report(plainLiterals(n.initializer.body), 'validateInput');
    }
    if (adapter && ts.isBinaryExpression(n) && n.operatorToken.kind === ts.SyntaxKind.EqualsToken && ts.isPropertyAccessExpression(n.left) && TEXT_FIELDS.has(n.left.name.text)) {
      report(plainLiterals(n.right), n.left.name.text);
    }
    ts.forEachChild(n, visit);
  };
  visit(sf);
  return { messages, plain };
}

const placeholders = (s) => [...s.matchAll(/\{[^}]+\}/g)].map((m) => m[0]).sort().join(' ');
const bundlePath = (lang) => join(root, 'l10n', lang ? `bundle.l10n.${lang}.json` : 'bundle.l10n.json');
const readBundle = (lang) => (existsSync(bundlePath(lang)) ? JSON.parse(readFileSync(bundlePath(lang), 'utf8')) : {});

const files = SOURCE_DIRS.flatMap((d) => sourceFiles(join(root, d))).sort();
collectErrorClasses(files);
const results = files.map(scan);
const messages = [...new Set(results.flatMap((r) => r.messages))].sort();
const english = Object.fromEntries(messages.map((m) => [m, m]));

if (check) {
  const problems = results.flatMap((r) => r.plain);
  const bundle = readBundle();
  for (const m of messages) if (!(m in bundle)) problems.push(`"${m}" is not in l10n/bundle.l10n.json (run node scripts/l10n.mjs)`);
  for (const m of Object.keys(bundle)) if (!(m in english)) problems.push(`"${m}" is in l10n/bundle.l10n.json but no source uses it (run node scripts/l10n.mjs)`);
  const zh = readBundle('zh-cn');
  for (const m of messages) {
    if (typeof zh[m] !== 'string' || zh[m].trim() === '') problems.push(`"${m}" has no zh-cn translation`);
    else if (placeholders(zh[m]) !== placeholders(m)) problems.push(`"${m}": the zh-cn text has placeholders ${placeholders(zh[m]) || 'none'}`);
  }
  for (const m of Object.keys(zh)) if (!(m in english)) problems.push(`"${m}" is translated in zh-cn but no source uses it`);
  if (problems.length) {
    console.error(problems.join('\n'));
    process.exit(1);
  }
  console.log(`${messages.length} run-time messages localized`);
} else {
  mkdirSync(join(root, 'l10n'), { recursive: true });
  writeFileSync(bundlePath(), `${JSON.stringify(english, null, 2)}\n`);
  console.log(`l10n/bundle.l10n.json: ${messages.length} messages`);
}
