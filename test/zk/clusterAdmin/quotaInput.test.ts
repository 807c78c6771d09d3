// Set Quota…'s inputs, as checked while the user types.
import * as assert from 'node:assert/strict';
import { checkLimitInput, parseLimitInput, type ParsedLimit } from '../../../src/zk/clusterAdmin/quotaInput';
import { renderMessage, type Message } from '../../../src/zk/message';
import { marking, untranslated } from '../markingTranslate';

const text = (p: ParsedLimit) => renderMessage((p as { problem: Message }).problem);
const words = (m: Message | undefined) => (m ? renderMessage(m) : '');

describe('Set Quota inputs', () => {
  it('numbers, empty for no limit, byte units in powers of 1024', () => {
    assert.deepEqual(parseLimitInput('', 'count'), { value: undefined });
    assert.deepEqual(parseLimitInput(' 1,000 ', 'count'), { value: 1000 });
    assert.deepEqual(parseLimitInput('10 MiB', 'bytes'), { value: 10 * 1024 * 1024 });
    assert.deepEqual(parseLimitInput('512k', 'bytesHard'), { value: 512 * 1024 });
    assert.deepEqual(parseLimitInput('1.5G', 'bytes'), { value: 1.5 * 1024 ** 3 });
  });

  it('refuses what is not a limit, saying what is', () => {
    assert.match(text(parseLimitInput('10k', 'count')), /whole number of nodes/);
    assert.match(text(parseLimitInput('-5', 'bytes')), /whole number of bytes/);
    assert.match(text(parseLimitInput('5 parsecs', 'bytes')), /Unknown unit "parsecs"/);
    assert.match(text(parseLimitInput('3000000000', 'count')), /32-bit/);
  });

  it('checks each step against the earlier ones and the usage', () => {
    assert.match(words(checkLimitInput('5', 'countHard', { count: 10 }).error), /Below the soft limit \(10\)/);
    assert.match(words(checkLimitInput('1k', 'bytesHard', { bytes: 2048 }).error), /Below the soft limit \(2048\)/);
    assert.match(words(checkLimitInput('2', 'countHard', {}, { count: 3, bytes: 0 }).warning), /Already 3 used: with enforceQuota=true every write/);
    assert.match(words(checkLimitInput('2', 'count', {}, { count: 3, bytes: 0 }).warning), /logged as exceeded|log it as exceeded/);
    assert.deepEqual(checkLimitInput('20', 'count', {}, { count: 3, bytes: 0 }), {});
    assert.match(words(checkLimitInput('', 'bytesHard', {}).error), /at least one limit/);
    assert.deepEqual(checkLimitInput('', 'bytesHard', { count: 1 }), {});
  });

  it('words its refusals and warnings as Messages the adapter translates', () => {
    const messages: (Message | undefined)[] = [
      ...(['10k', '5 parsecs', '3000000000', '99999999999999999999G'] as const).map((v) => (parseLimitInput(v, v === '5 parsecs' || v === '99999999999999999999G' ? 'bytes' : 'count') as { problem?: Message }).problem),
      checkLimitInput('5', 'countHard', { count: 10 }).error,
      checkLimitInput('', 'bytesHard', {}).error,
      checkLimitInput('2', 'countHard', {}, { count: 3, bytes: 0 }).warning,
      checkLimitInput('2', 'count', {}, { count: 3, bytes: 0 }).warning,
    ];
    for (const m of messages) {
      assert.ok(m, 'a message');
      const shown = renderMessage(m, marking);
      assert.equal(untranslated(shown), '', shown);
    }
  });
});
