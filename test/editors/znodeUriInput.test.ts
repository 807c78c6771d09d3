// Issue 14 item 14: "Open Znode URI…" never waits for the clipboard (a browser without clipboard
// permission answers late, or only after a notification is dismissed, or fails).
import '../fakes/installVscode';
import * as assert from 'node:assert/strict';
import { EventEmitter } from 'node:events';
import { askZnodeUriText, type UriInputHost } from '../../src/editors/znodeUriInput';

class FakeBox {
  title: string | undefined;
  prompt: string | undefined;
  value = '';
  ignoreFocusOut = false;
  validationMessage: string | undefined;
  shownAt: number | undefined;
  private readonly events = new EventEmitter();
  private on(name: string) {
    return (fn: (v?: unknown) => void) => {
      this.events.on(name, fn);
      return { dispose: () => this.events.off(name, fn) };
    };
  }
  onDidChangeValue = this.on('change');
  onDidAccept = this.on('accept');
  onDidHide = this.on('hide');
  show() {
    this.shownAt = Date.now();
  }
  hide() {
    this.events.emit('hide');
  }
  dispose() {}
  type(v: string) {
    this.value = v;
    this.events.emit('change', v);
  }
  accept() {
    this.events.emit('accept');
  }
}

function host(readClipboard: () => Promise<string>): { host: UriInputHost; box: FakeBox } {
  const box = new FakeBox();
  return { box, host: { createInputBox: () => box as unknown as ReturnType<UriInputHost['createInputBox']>, readClipboard } };
}

const validate = (v: string) => (v.startsWith('zk://') ? undefined : 'must start with zk://');
const tick = (ms = 0) => new Promise((r) => setTimeout(r, ms));

describe('Open Znode URI input', () => {
  it('is shown at once while the clipboard never answers, and accepts what is typed', async () => {
    const { host: h, box } = host(() => new Promise<string>(() => undefined));
    const asked = askZnodeUriText(h, validate);
    await tick();
    assert.ok(box.shownAt !== undefined, 'the box is shown without waiting for the clipboard');
    assert.equal(box.value, 'zk://');
    box.type('zk://sandbox/app');
    box.accept();
    assert.equal(await asked, 'zk://sandbox/app');
  });

  it('is shown at once when reading the clipboard fails, with no error', async () => {
    const { host: h, box } = host(() => Promise.reject(new Error('NotAllowedError: Read permission denied.')));
    const asked = askZnodeUriText(h, validate);
    await tick(10);
    assert.ok(box.shownAt !== undefined);
    assert.equal(box.value, 'zk://');
    assert.equal(box.validationMessage, undefined);
    box.hide();
    assert.equal(await asked, undefined);
  });

  it('is prefilled when the clipboard answers with a zk:// URI in time and nothing was typed', async () => {
    let answer: (s: string) => void = () => undefined;
    const { host: h, box } = host(() => new Promise<string>((r) => (answer = r)));
    const asked = askZnodeUriText(h, validate);
    await tick();
    assert.equal(box.value, 'zk://');
    answer('  zk://prod/config/app  ');
    await tick();
    assert.equal(box.value, 'zk://prod/config/app');
    box.accept();
    assert.equal(await asked, 'zk://prod/config/app');
  });

  it('never replaces what the user typed, nor prefills with something that is not a zk:// URI or too late', async () => {
    let answer: (s: string) => void = () => undefined;
    const typed = host(() => new Promise<string>((r) => (answer = r)));
    const a = askZnodeUriText(typed.host, validate);
    await tick();
    typed.box.type('zk://mine/');
    answer('zk://clipboard/node');
    await tick();
    assert.equal(typed.box.value, 'zk://mine/');
    typed.box.hide();
    await a;

    const other = host(async () => 'hello world');
    const b = askZnodeUriText(other.host, validate);
    await tick(5);
    assert.equal(other.box.value, 'zk://');
    other.box.hide();
    await b;

    let late: (s: string) => void = () => undefined;
    const slow = host(() => new Promise<string>((r) => (late = r)));
    const c = askZnodeUriText(slow.host, validate, 20);
    await tick(40);
    late('zk://late/node');
    await tick();
    assert.equal(slow.box.value, 'zk://', 'an answer after the wait does not change the box under the user');
    slow.box.hide();
    await c;
  });
});
