import * as assert from 'node:assert/strict';
import { readFileSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { healthCsp, healthHtml } from '../../src/health/html';
import { DEFAULT_SETTINGS, adminPortFor, readHealthSettings } from '../../src/zk/health/healthSettings';
import { isHealthWebviewState, isHostToWebview, isWebviewToHost } from '../../src/protocol/health';

const ROOT = join(__dirname, '..', '..', ...(__dirname.includes(join('out', 'test')) ? ['..'] : []));

function filesUnder(dir: string): string[] {
  const out: string[] = [];
  for (const name of readdirSync(dir)) {
    const p = join(dir, name);
    if (statSync(p).isDirectory()) out.push(...filesUnder(p));
    else if (p.endsWith('.ts')) out.push(p);
  }
  return out;
}

describe('cluster health panel (pure parts)', () => {
  describe('HTML and CSP', () => {
    const parts = { cspSource: 'https://file+.vscode-resource.vscode-cdn.net', nonce: 'AbCd0123+/xyz==', scriptUri: 'https://file+.vscode-resource.vscode-cdn.net/ext/dist/webview/health.js', styleUris: ['https://file+.vscode-resource.vscode-cdn.net/ext/dist/webview/health.css', 'https://file+.vscode-resource.vscode-cdn.net/ext/media/health.css'] };

    it('a strict CSP: nothing by default, scripts by nonce only, styles from our files', () => {
      const csp = healthCsp(parts);
      assert.match(csp, /^default-src 'none'; /);
      assert.match(csp, /script-src 'nonce-AbCd0123\+\/xyz=='(;|$)/);
      assert.match(csp, /style-src https:\/\/file\+\.vscode-resource\.vscode-cdn\.net 'nonce-AbCd0123\+\/xyz=='/);
      assert.doesNotMatch(csp, /unsafe-inline|unsafe-eval|\*/);
      assert.match(csp, /connect-src 'none'/);
    });

    it('no inline script or style in the markup; the script carries the nonce', () => {
      const html = healthHtml(parts);
      assert.equal((html.match(/<script/g) ?? []).length, 1);
      assert.match(html, /<script nonce="AbCd0123\+\/xyz==" src="[^"]+health\.js"><\/script>/);
      assert.doesNotMatch(html, /<style|\sstyle=|\son[a-z]+=/i);
      assert.equal((html.match(/<link rel="stylesheet" nonce="AbCd0123\+\/xyz=="/g) ?? []).length, 2);
    });

    it('carries the display language and its bundle of panel strings, escaped, in a meta element (issue 21)', () => {
      const l10n = { Servers: '服务器', 'a "quote" & <tag>': '"><script>alert(1)</script>' };
      const html = healthHtml({ ...parts, language: 'zh-cn', l10n });
      assert.match(html, /<html lang="zh-cn">/);
      const meta = /<meta id="zk-l10n" content="([^"]*)">/.exec(html);
      assert.ok(meta, 'the bundle is in one attribute');
      const decoded = meta[1].replace(/&#(\d+);/g, (_, n: string) => String.fromCharCode(Number(n)));
      assert.deepEqual(JSON.parse(decoded), l10n);
      assert.equal((html.match(/<script/g) ?? []).length, 1);
      assert.match(healthHtml({ ...parts, language: 'x" onload="y' }), /<html lang="en">/);
    });

    it('refuses values that would need escaping', () => {
      assert.throws(() => healthHtml({ ...parts, nonce: '"><script>' }), /nonce/);
      assert.throws(() => healthHtml({ ...parts, scriptUri: 'https://x/a"b.js' }), /script URI/);
    });
  });

  describe('settings', () => {
    it('defaults, and out-of-range values fall back to them', () => {
      assert.deepEqual(readHealthSettings(() => undefined), DEFAULT_SETTINGS);
      assert.equal(DEFAULT_SETTINGS.pollIntervalMs, 5000);
      const s = readHealthSettings((k) => ({ pollIntervalMs: 10, latencyWarnMs: 250, fdWarnPercent: 500, statusBar: false, adminServerPorts: [] })[k as 'pollIntervalMs']);
      assert.equal(s.pollIntervalMs, 5000);
      assert.equal(s.thresholds.latencyWarnMs, 250);
      assert.equal(s.thresholds.fdWarnPercent, 85);
      assert.equal(s.statusBar, false);
      assert.deepEqual(s.adminServerPorts, {});
    });

    it('AdminServer port: per connection, per server, "*" and 0 to turn it off; 8080 by default', () => {
      const s = { ...DEFAULT_SETTINGS, adminServerPorts: { prod: 9090, lab: { '127.0.0.1:2182': 8182, '*': 8100 }, off: 0, bad: 'x' } };
      assert.equal(adminPortFor(s, 'prod', 'zk1', 2181), 9090);
      assert.equal(adminPortFor(s, 'lab', '127.0.0.1', 2182), 8182);
      assert.equal(adminPortFor(s, 'lab', '127.0.0.1', 2181), 8100);
      assert.equal(adminPortFor(s, 'off', 'zk', 2181), undefined);
      assert.equal(adminPortFor(s, 'bad', 'zk', 2181), 8080);
      assert.equal(adminPortFor(s, 'other', 'zk', 2181), 8080);
    });
  });

  describe('protocol guards', () => {
    it('accept only the messages the host acts on', () => {
      assert.ok(isWebviewToHost({ type: 'ready' }));
      assert.ok(isWebviewToHost({ type: 'refresh' }));
      assert.ok(isWebviewToHost({ type: 'copy', text: '4lw.commands.whitelist=srvr,mntr' }));
      assert.ok(isWebviewToHost({ type: 'openSetting', setting: 'zookeeper.health.latencyWarnMs' }));
      for (const bad of [null, 'ready', {}, { type: 'exec' }, { type: 'copy', text: 5 }, { type: 'copy', text: 'x'.repeat(3000) }, { type: 'openSetting', setting: 'terminal.integrated.shell.linux' }, { type: 'openSetting', setting: 'zookeeper.health.x; rm' }]) {
        assert.equal(isWebviewToHost(bad), false, JSON.stringify(bad));
      }
      assert.ok(isHostToWebview({ type: 'snapshot', snapshot: {}, history: {} }));
      assert.ok(isHostToWebview({ type: 'status', polling: false }));
      assert.equal(isHostToWebview({ type: 'snapshot' }), false);
      assert.ok(isHealthWebviewState({ connectionName: 'prod' }));
      assert.equal(isHealthWebviewState({ connectionName: '' }), false);
      assert.equal(isHealthWebviewState(undefined), false);
    });

    it('the clients messages: wantClients/stopClients name a server; clients carries rows', () => {
      assert.ok(isWebviewToHost({ type: 'wantClients', server: '127.0.0.1:2181' }));
      assert.ok(isWebviewToHost({ type: 'stopClients', server: '[::1]:2181' }));
      for (const bad of [{ type: 'wantClients' }, { type: 'wantClients', server: '' }, { type: 'stopClients', server: 7 }, { type: 'wantClients', server: 'x'.repeat(301) }]) {
        assert.equal(isWebviewToHost(bad), false, JSON.stringify(bad));
      }
      assert.ok(isHostToWebview({ type: 'clients', server: 'a', clients: { at: 1, rows: [], total: 0, more: 0 } }));
      for (const bad of [{ type: 'clients', server: 'a' }, { type: 'clients', server: 'a', clients: { rows: 'x' } }, { type: 'clients', clients: { rows: [] } }, { type: 'clients', server: 'a', clients: null }]) {
        assert.equal(isHostToWebview(bad), false, JSON.stringify(bad));
      }
    });
  });

  describe('rendering discipline', () => {
    it('the webview and the panel never build HTML from strings', () => {
      const files = [...filesUnder(join(ROOT, 'webview')), ...filesUnder(join(ROOT, 'src', 'health'))];
      assert.ok(files.length >= 8, `${files.length} files`);
      for (const f of files) {
        const text = readFileSync(f, 'utf8');
        for (const pattern of [/\.innerHTML\b/, /\.outerHTML\b/, /insertAdjacentHTML/, /document\.write/, /\beval\(/, /new Function\(/, /createContextualFragment/, /\.style\.cssText/, /setAttribute\(\s*['"](style|on\w+|href|src)['"]/]) {
          assert.doesNotMatch(text, pattern, `${f} uses ${pattern}`);
        }
      }
    });

    it('the webview sets no inline style: layout is CSS classes only (the CSP would block style attributes)', () => {
      for (const f of filesUnder(join(ROOT, 'webview'))) {
        const text = readFileSync(f, 'utf8');
        for (const pattern of [/\.style\.[A-Za-z]+\s*=(?!=)/, /\.style\s*=(?!=)/, /\.style\.setProperty\(/, /\bstyle=/]) {
          assert.doesNotMatch(text, pattern, `${f} uses ${pattern}`);
        }
      }
    });

    it('only webview/toolkit.ts imports @vscode/webview-ui-toolkit', () => {
      const importers = filesUnder(join(ROOT, 'webview')).filter((f) => /from '@vscode\/webview-ui-toolkit'/.test(readFileSync(f, 'utf8')));
      assert.deepEqual(importers.map((f) => f.slice(ROOT.length + 1).split('\\').join('/')), ['webview/toolkit.ts']);
    });
  });
});
