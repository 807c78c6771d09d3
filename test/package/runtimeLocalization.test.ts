// Unit test of the run-time localization (issue 21): every message the sources pass to l10n.t (and
// the domain's t / localizable, and the health panel's t) is in l10n/bundle.l10n.json and has a
// zh-cn translation with the same placeholders, and no adapter shows a plain string literal. The
// check is scripts/l10n.mjs --check (a TypeScript AST scan); here it runs on the repository and on
// small source trees with one violation each, which it must report.
import * as assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';

const root = join(__dirname, '..', '..', '..');
const script = join(root, 'scripts', 'l10n.mjs');

function check(dir?: string): { status: number | null; out: string } {
  const r = spawnSync(process.execPath, [script, '--check', ...(dir ? ['--root', dir] : [])], { encoding: 'utf8' });
  return { status: r.status, out: `${r.stdout}${r.stderr}` };
}

/** A throw-away project: source files and the two bundles. */
function project(files: Record<string, string>, en: Record<string, string>, zh: Record<string, string>): string {
  const dir = mkdtempSync(join(tmpdir(), 'zk-l10n-'));
  for (const [path, text] of Object.entries(files)) {
    mkdirSync(dirname(join(dir, path)), { recursive: true });
    writeFileSync(join(dir, path), text);
  }
  mkdirSync(join(dir, 'l10n'));
  writeFileSync(join(dir, 'l10n', 'bundle.l10n.json'), JSON.stringify(en));
  writeFileSync(join(dir, 'l10n', 'bundle.l10n.zh-cn.json'), JSON.stringify(zh));
  return dir;
}

describe('run-time localization (l10n bundles, issue 21)', () => {
  const dirs: string[] = [];
  after(() => dirs.forEach((d) => rmSync(d, { recursive: true, force: true })));
  const run = (files: Record<string, string>, en: Record<string, string>, zh: Record<string, string>) => {
    const dir = project(files, en, zh);
    dirs.push(dir);
    return check(dir);
  };
  const good = "import * as vscode from 'vscode';\nvoid vscode.window.showInformationMessage(vscode.l10n.t('Deleted {0}', p));\n";

  it('the repository: every message is in both bundles with its placeholders, no adapter shows a plain string', () => {
    const r = check();
    assert.equal(r.status, 0, r.out);
    assert.match(r.out, /^\d+ run-time messages localized/);
  });

  it('package.json points VS Code at the bundles', () => {
    const pkg = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as { l10n?: string };
    assert.equal(pkg.l10n, './l10n');
  });

  it('passes a tree that translates everything it shows', () => {
    const r = run({ 'src/a/x.ts': good }, { 'Deleted {0}': 'Deleted {0}' }, { 'Deleted {0}': '已删除 {0}' });
    assert.equal(r.status, 0, r.out);
  });

  it('fails on a plain literal in a notification, its buttons, a quick pick item, an input box, a tree row, an Error', () => {
    const src = [
      "import * as vscode from 'vscode';",
      "void vscode.window.showWarningMessage(`Delete ${p}?`, { modal: true }, 'Delete');",
      "void vscode.window.showQuickPick([{ label: 'Read-only', description: vscode.l10n.t('ok') }], { placeHolder: 'Access' });",
      "void vscode.window.showInputBox({ prompt: cond ? 'A name' : vscode.l10n.t('ok') });",
      "const item = new vscode.TreeItem('Load more');",
      "item.tooltip = 'Click to load';",
      "throw new Error(`Connection ${n} is read-only`);",
      "const fine = [new vscode.TreeItem(name), { label: '$(check)' }, { label: '/config/app' }, { title: `${a} · ${b}` }];",
    ].join('\n');
    const r = run({ 'src/a/x.ts': src }, { ok: 'ok' }, { ok: '好' });
    assert.equal(r.status, 1);
    for (const shown of ['`Delete ${p}?`', "'Delete'", "'Read-only'", "'Access'", "'A name'", "'Load more'", "'Click to load'", '`Connection ${n} is read-only`']) {
      assert.ok(r.out.includes(shown), `${shown} is reported:\n${r.out}`);
    }
    assert.equal(r.out.trim().split('\n').length, 8, r.out);
  });

  it("fails on a plain literal in a status bar message or an input box's validation message", () => {
    const src = [
      "import * as vscode from 'vscode';",
      "vscode.window.setStatusBarMessage(`Copied ${p}`, 2000);",
      "void vscode.window.showInputBox({ validateInput: (v) => (v ? undefined : 'Enter e.g. 30s') });",
      "vscode.window.setStatusBarMessage(vscode.l10n.t('ok'), 2000);",
      "void vscode.window.showInputBox({ validateInput: (v) => (v ? undefined : vscode.l10n.t('ok')) });",
    ].join('\n');
    const r = run({ 'src/a/x.ts': src }, { ok: 'ok' }, { ok: '好' });
    assert.equal(r.status, 1);
    for (const shown of ['`Copied ${p}`', "'Enter e.g. 30s'"]) assert.ok(r.out.includes(shown), `${shown} is reported:\n${r.out}`);
    assert.equal(r.out.trim().split('\n').length, 2, r.out);
  });

  it("fails on a plain title given to the extension's asking helpers, a default title, and a file decoration's tooltip", () => {
    const src = [
      "import * as vscode from 'vscode';",
      "await pickConnection(registry, arg, 'Show Sessions');",
      "await askNode(registry, 'Open Znode');",
      "await askQuery(`Find in Subtree: ${root}`, last);",
      "export function pickPath(c: C, name: string, title = `Go to Znode on ${name}`) {}",
      "new vscode.FileDecoration('W', `Watched: inside ${root}`);",
      "await pickConnection(registry, arg, vscode.l10n.t('ok'));",
      "export function pickOther(title = vscode.l10n.t('ok')) {}",
      "new vscode.FileDecoration('W', vscode.l10n.t('ok'));",
    ].join('\n');
    const r = run({ 'src/a/x.ts': src }, { ok: 'ok' }, { ok: '好' });
    assert.equal(r.status, 1);
    for (const shown of ["'Show Sessions'", "'Open Znode'", '`Find in Subtree: ${root}`', '`Go to Znode on ${name}`', '`Watched: inside ${root}`']) {
      assert.ok(r.out.includes(shown), `${shown} is reported:\n${r.out}`);
    }
    assert.equal(r.out.trim().split('\n').length, 5, r.out);
  });

  it('leaves the domain (src/zk) and a line marked l10n-ignore alone, but scans the webview', () => {
    const r = run(
      {
        'src/zk/x.ts': "throw new Error(`node ${p} does not exist`);\n",
        'src/a/y.ts': "throw new Error('unexpected character'); // l10n-ignore: internal\n",
        'webview/health/x.ts': "el('h2', { text: 'Servers' });\n",
      },
      {},
      {},
    );
    assert.equal(r.out.trim(), "webview/health/x.ts:1: text shows 'Servers' without l10n.t");
  });

  it('fails when a message is missing from the English bundle, or from zh-cn, or keeps other placeholders', () => {
    const src = "import * as vscode from 'vscode';\nvscode.l10n.t('A {0}', 1); vscode.l10n.t('B {0}', 1); vscode.l10n.t('C {0}', 1);\n";
    const r = run({ 'src/a/x.ts': src }, { 'B {0}': 'B {0}', 'C {0}': 'C {0}', Old: 'Old' }, { 'A {0}': '甲 {0}', 'C {0}': '丙 {1}' });
    assert.equal(r.status, 1);
    assert.match(r.out, /"A \{0\}" is not in l10n\/bundle\.l10n\.json/);
    assert.match(r.out, /"B \{0\}" has no zh-cn translation/);
    assert.match(r.out, /"C \{0\}": the zh-cn text has placeholders \{1\}/);
    assert.match(r.out, /"Old" is in l10n\/bundle\.l10n\.json but no source uses it/);
  });

  it('fails on a domain ZkError (or a class extending it) made from a plain literal; collects msg; l10n-ignore lets an internal one be', () => {
    const files = {
      'src/zk/errs.ts': [
        "export class PartialError extends ZkError {}",
        "export class LaterError extends PartialError {}",
        "throw new ZkError('NONODE', `Node ${p} does not exist`, { path: p, op: 'read' });",
        "throw new LaterError('CONFLICT', cond ? 'Gave up' : msg('Stopped'), report);",
        "throw new ZkError('NONODE', msg('Node {0} does not exist', p), { path: p, op: 'read' });",
        "throw new ZkError('INTERNAL', 'a programming error'); // l10n-ignore: internal",
      ].join('\n'),
    };
    const en = { 'Node {0} does not exist': 'Node {0} does not exist', Stopped: 'Stopped' };
    const r = run(files, en, { 'Node {0} does not exist': '节点 {0} 不存在', Stopped: '已停止' });
    assert.equal(r.status, 1);
    assert.deepEqual(r.out.trim().split('\n'), [
      'src/zk/errs.ts:3: new ZkError shows `Node ${p} does not exist` without l10n.t',
      "src/zk/errs.ts:4: new LaterError shows 'Gave up' without l10n.t",
    ]);
  });

  it('fails on a plain literal as a connection status detail, an AuthFailure or a socketError in the domain', () => {
    const files = {
      'src/zk/conn.ts': [
        "this.setStatus({ state: 'idle', detail: 'Disconnected' });",
        "this.setStatus({ state: 'reconnecting', detail: `Lost ${server}` });",
        "throw new AuthFailure('rejected', `The server rejected ${user}`);",
        "const e = socketError(`no answer from ${at}`, 'ETIMEDOUT');",
        "this.setStatus({ state: 'idle', detail: msg('Disconnected'), server: 'h:1' });",
        "throw new AuthFailure('rejected', msg('Refused'));",
        'export class AuthFailure extends LocalizedError {}',
      ].join('\n'),
    };
    const en = { Disconnected: 'Disconnected', Refused: 'Refused' };
    const r = run(files, en, { Disconnected: '已断开连接', Refused: '已拒绝' });
    assert.equal(r.status, 1);
    assert.deepEqual(r.out.trim().split('\n'), [
      "src/zk/conn.ts:1: a connection status detail shows 'Disconnected' without l10n.t",
      'src/zk/conn.ts:2: a connection status detail shows `Lost ${server}` without l10n.t',
      'src/zk/conn.ts:3: new AuthFailure shows `The server rejected ${user}` without l10n.t',
      'src/zk/conn.ts:4: socketError shows `no answer from ${at}` without l10n.t',
    ]);
  });

  it("collects the domain's localizable and t messages and the webview's t", () => {
    const files = {
      'src/zk/reasons.ts': "export const R = { NOAUTH: localizable('not authorized') };\nexport const f = (t: Translate) => t('{0} nodes', 3);\n",
      'webview/health/x.ts': "el('h2', { text: t('Servers') });\n",
    };
    const en = { 'not authorized': 'not authorized', '{0} nodes': '{0} nodes', Servers: 'Servers' };
    const r = run(files, en, { 'not authorized': '未授权', '{0} nodes': '{0} 个节点' });
    assert.equal(r.out.trim(), '"Servers" has no zh-cn translation');
  });
});
