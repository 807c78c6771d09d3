// The tree's quota tooltip (a row with a quota) and the "no connection yet" question are in the
// user's language (on the fake vscode, with a marking l10n.t).
import '../fakes/installVscode';
import * as assert from 'node:assert/strict';
import { l10n, window } from '../fakes/vscode';
import { quotaTooltipMarkdown, quotaTooltipText } from '../../src/admin/quotaDecorations';
import { pickConnection } from '../../src/ui/connectionArgs';
import type { Quota } from '../../src/zk/clusterAdmin/quotas';
import { marking, untranslated } from '../zk/markingTranslate';
import { msg } from '../../src/zk/message';

describe("quota tooltips and the first connection question in the user's language", () => {
  const fake = l10n as unknown as { t: typeof l10n.t };
  const win = window as unknown as { showInformationMessage: unknown };
  const original = { t: fake.t, info: win.showInformationMessage };
  beforeEach(() => {
    fake.t = marking as unknown as typeof l10n.t;
  });
  afterEach(() => {
    fake.t = original.t;
    win.showInformationMessage = original.info;
  });

  it('the quota line and the quota section of a row tooltip', () => {
    const quotas: Quota[] = [
      { path: '/a', limits: { count: 10, bytesHard: 100 }, usage: { count: 3, bytes: 50 } },
      { path: '/b', limits: { count: 10 } },
      { path: '/c', limits: {}, usage: { count: 1, bytes: 0 } },
      { path: '/d', limits: { count: 5 }, problem: msg('limits {0}', msg('not understood: {0}', 'bytes=<b>')) },
    ];
    for (const q of quotas) {
      const line = quotaTooltipText(q);
      assert.match(line, /^«Quota: /, line);
      assert.equal(untranslated(line), '', line);
      for (const part of quotaTooltipMarkdown(q).split('\n\n')) assert.equal(untranslated(part.replace(/^- /, '')), '', part);
    }
    assert.match(quotaTooltipMarkdown(quotas[3]), /\n\n«\(«limits «not understood: bytes=\\<b\\>»»\)»$/);
  });

  it('offers Add Connection in the user\'s language when there is none', async () => {
    let buttons: string[] = [];
    win.showInformationMessage = async (_m: string, ...items: string[]) => ((buttons = items), undefined);
    const none = { configs: () => [], get: () => undefined };
    assert.equal(await pickConnection(none as never, undefined, 'title'), undefined);
    assert.deepEqual(buttons, ['«Add Connection»']);
  });
});
