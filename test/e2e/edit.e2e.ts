// Editing a znode in the real VS Code (code-server in chromium) against a real ZooKeeper server,
// with zkCli.sh as the other client:
// - open a JSON znode by pasting its zk:// URI, change it, save: zkCli.sh reads the new value;
// - a change by zkCli.sh while the document is open and clean: the editor shows it;
// - a conflicting change of the same size by zkCli.sh before a save: the comparison opens with
//   Overwrite and Cancel; Cancel writes nothing, keeps the user's text and the editor dirty, with no
//   error notification (one calm status bar line); Overwrite writes it;
// - a conflicting change of another size: the same prompt (not VS Code's "content of the file is
//   newer"), and the server-change news does not stay up next to it: one notification at a time;
// - data over the request limit: the extension's own message (not VS Code's "Failed to save"), nothing sent.
import * as assert from 'node:assert/strict';
import type { Locator } from './playwright';
import { readmeScreenshot } from './readmeScreenshots';
import { sleep, useWorkbench, waitFor, type Workbench, type WorkbenchOptions } from './workbench';
import { ZkCluster, zkCli } from '../harness/zookeeper';
import { ZkClient } from '../../src/zk/client';

const NODE = '/app/config.json';


describe('e2e: edit a znode', function () {
  this.timeout(240_000);
  let cluster: ZkCluster | undefined;
  const options: WorkbenchOptions = {
    scenario: 'edit',
    settings: {},
  };

  const cli = async (...args: string[]) => {
    const r = await zkCli(cluster!.servers[0].address, args);
    return `${r.stdout}\n${r.stderr}`;
  };

  before(async function () {
    this.timeout(120_000);
    cluster = await ZkCluster.startStandalone();
    await cli('create', '/app', '');
    await cli('create', NODE, '{"port": 8080}');
    // Read before useWorkbench's before hook starts VS Code with these settings.
    options.settings = {
      'zookeeper.connections': [{ name: 'e2e', connectString: cluster.connectString }],
      'editor.autoClosingBrackets': 'never',
      'editor.autoClosingQuotes': 'never',
      'editor.formatOnSave': false,
      'files.autoSave': 'off',
    };
  });
  const wb = useWorkbench(options);

  after(async () => {
    await cluster?.close();
  });

  /** The active editor's text (the modified side in a diff). */
  const editorText = async (w: Workbench): Promise<string> => {
    const lines = w.page.locator('.editor-group-container.active .editor-instance .monaco-editor:not(.original-in-monaco-diff-editor) .view-lines').last();
    return (await lines.innerText()).replace(/\u00a0/g, ' ');
  };

  const activeTab = (w: Workbench): Locator => w.page.locator('.editor-group-container.active .tab.active');

  const replaceText = async (w: Workbench, text: string): Promise<void> => {
    const lines = w.page.locator('.editor-group-container.active .editor-instance .monaco-editor:not(.original-in-monaco-diff-editor) .view-lines').last();
    await lines.click();
    await w.page.keyboard.press('Control+A');
    await w.page.keyboard.press('Delete');
    await w.page.keyboard.insertText(text);
    await waitFor(async () => (await editorText(w)).trim() === text, 5000, `the editor to hold exactly ${text}`);
  };

  /** "ZooKeeper: Open Znode URI…", then the URI typed into its input box (not the palette's). */
  const openUri = async (w: Workbench, uri: string): Promise<void> => {
    await w.runCommand('ZooKeeper: Open Znode URI…');
    await w.quickInput.locator('.quick-input-title', { hasText: 'Open Znode URI' }).waitFor({ state: 'visible', timeout: 10_000 });
    await w.answerQuickInput(uri);
  };

  const save = async (w: Workbench): Promise<void> => {
    await w.page.keyboard.press('Control+S');
  };

  const waitClean = async (w: Workbench, what: string): Promise<void> => {
    await waitFor(async () => !((await activeTab(w).getAttribute('class')) ?? '').includes('dirty'), 20_000, what);
  };

  it('opens a JSON znode from its URI, saves a change, and zkCli.sh reads it', async function () {
    const w = wb();
    await w.openZooKeeperView(); // activates the extension
    await w.waitForActivation();
    await openUri(w, `zk://e2e${NODE}`);
    await waitFor(async () => /"port": 8080/.test(await editorText(w).catch(() => '')), 30_000, 'the znode text in the editor');
    assert.match((await activeTab(w).innerText()).replace(/\s+/g, ''), /^config\.json/);
    await replaceText(w, '{"port": 9090}');
    await waitFor(async () => ((await activeTab(w).getAttribute('class')) ?? '').includes('dirty'), 5000, 'dirty');
    await save(w);
    await waitClean(w, 'the save to finish');
    assert.match(await cli('get', NODE), /\{"port": 9090\}/);
    w.assertNoExtensionErrors();
  });

  it('a change by zkCli.sh shows up in the open, unmodified document', async function () {
    const w = wb();
    await cli('set', NODE, '{"port": 9191, "by": "zkCli"}');
    await waitFor(async () => /"by": "zkCli"/.test(await editorText(w)), 20_000, 'the editor to reload the new value');
    w.assertNoExtensionErrors();
  });

  it('a same-size change by zkCli.sh before a save: compare view with Overwrite and Cancel; nothing is lost', async function () {
    const w = wb();
    await replaceText(w, '{"port": 7070, "by": "me!!!"}');
    // Same length as what the user saves: VS Code's own check cannot see it; the version can.
    await cli('set', NODE, '{"port": 1111, "by": "zkCli"}');
    await sleep(500);
    await save(w);
    const prompt = await w.waitForNotification(/was changed by someone else while you were editing it/, 20_000);
    assert.match(await prompt.innerText(), /your edit is based on version 2, the server has version 3/);
    await waitFor(async () => /server, version 3 ↔ yours/.test(await activeTab(w).innerText()), 10_000, 'the comparison to open');
    await readmeScreenshot(w, 'conflict');
    await prompt.getByRole('button', { name: 'Cancel' }).click();
    await waitFor(async () => /Not saved: you kept the server's version/.test(await w.page.locator('.statusbar').innerText()), 10_000, 'the calm status line');
    await sleep(1000);
    const toasts = await w.notifications.allInnerTexts();
    assert.deepEqual(toasts.filter((t) => /Failed to save|FileSystemError|Unknown/i.test(t)), [], `no error toast after Cancel: ${JSON.stringify(toasts)}`);
    assert.deepEqual(toasts.filter((t) => /config\.json|save/i.test(t)), [], `nothing else is said about the save: ${JSON.stringify(toasts)}`);
    assert.ok(((await activeTab(w).getAttribute('class')) ?? '').includes('dirty'), 'the editor stays dirty');
    assert.match(await cli('get', NODE), /"port": 1111/, 'their change is intact');
    assert.match(await editorText(w), /"port": 7070/, 'my text is still in the editor');

    await save(w);
    const again = await w.waitForNotification(/was changed by someone else while you were editing it/, 20_000);
    await again.getByRole('button', { name: 'Overwrite' }).click();
    await waitFor(async () => /"port": 7070/.test(await cli('get', NODE)), 20_000, 'zkCli.sh to read my text');
    await waitClean(w, 'the document to be saved');
    assert.match(await cli('stat', NODE), /dataVersion = 4/, 'one write: Overwrite against version 3');
    w.assertNoExtensionErrors();
  });

  it('a change of another size: the same prompt with Overwrite and Cancel, alone on screen; Overwrite writes once', async function () {
    const w = wb();
    await waitFor(async () => /^config\.json/.test((await activeTab(w).innerText()).replace(/\s+/g, '')), 10_000, 'the document (the comparison closed)');
    await replaceText(w, '{"port": 6060}');
    await cli('set', NODE, '{"port": 2222, "a much longer value": true}');
    // The watch reports the change while the editor is dirty: a status bar entry, not a notification.
    await waitFor(async () => /Changed on server/.test(await w.page.locator('.statusbar').innerText()), 20_000, 'the server-change status');
    await save(w);
    const prompt = await w.waitForNotification(/was changed by someone else while you were editing it/, 20_000);
    assert.match(await prompt.innerText(), /your edit is based on version 4, the server has version 5/);
    assert.ok(await prompt.getByRole('button', { name: 'Cancel' }).isVisible(), 'Cancel is offered');
    await sleep(700);
    const toasts = await w.notifications.allInnerTexts();
    assert.equal(toasts.length, 1, `one notification at a time: ${JSON.stringify(toasts)}`);
    await prompt.getByRole('button', { name: 'Overwrite' }).click();
    await waitFor(async () => /"port": 6060/.test(await cli('get', NODE)), 20_000, 'zkCli.sh to read my text');
    await waitClean(w, 'the document to be saved');
    assert.match(await cli('stat', NODE), /dataVersion = 6/, 'one write: Overwrite against version 5');
    w.assertNoExtensionErrors();
  });

  it("data over the request limit: the extension's own message, nothing sent", async function () {
    const w = wb();
    const line = `${'x'.repeat(99)}\n`;
    // 1,048,000 bytes (fits): too long for a command-line argument, so written by our own client.
    const writer = new ZkClient({ connectString: cluster!.connectString });
    await writer.connect();
    try {
      await writer.create('/big', new Uint8Array(Buffer.from(line.repeat(10_480))));
    } finally {
      await writer.close();
    }
    await openUri(w, 'zk://e2e/big');
    await waitFor(async () => /^big/.test((await activeTab(w).innerText()).replace(/\s+/g, '')), 30_000, 'the big node open');
    await waitFor(async () => /xxxxxxxx/.test(await editorText(w).catch(() => '')), 30_000, 'the big node text');
    const lines = w.page.locator('.editor-group-container.active .editor-instance .monaco-editor .view-lines').last();
    await lines.click();
    await w.page.keyboard.press('Control+End');
    await w.page.keyboard.insertText('y'.repeat(600)); // 1,048,600 bytes: over the 1,048,551 a setData can carry here
    await waitFor(async () => ((await activeTab(w).getAttribute('class')) ?? '').includes('dirty'), 5000, 'dirty');
    await save(w);
    const toast = await w.waitForNotification(/\/big was not saved: the data is 1,048,600 bytes and ZooKeeper accepts at most/, 20_000);
    const text = await toast.innerText();
    assert.doesNotMatch(text, /Failed to save|FileSystemError|Unknown/, text);
    assert.match(text, /Nothing was sent/);
    assert.match(await cli('stat', '/big'), /dataVersion = 0/, 'nothing was written');
    await w.runCommand('File: Revert File');
    w.assertNoExtensionErrors();
  });
});
