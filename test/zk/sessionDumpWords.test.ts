// Show Sessions: why a server's sessions (dump) could not be read is a Message, so the report says it
// in the user's language (a marking Translate here); the probe's and the AdminServer's reasons too.
import * as assert from 'node:assert/strict';
import { readSessionList } from '../../src/zk/sessionList';
import { formatSessionsReport } from '../../src/zk/clusterAdmin/sessionReport';
import { socketError } from '../../src/zk/health/fourLetterWords';
import { renderMessage } from '../../src/zk/message';
import { marking, untranslated } from './markingTranslate';

const refused = () => socketError(Object.assign(new Error('connect ECONNREFUSED'), { code: 'ECONNREFUSED' }));

describe("Show Sessions: why dump could not be read, in the user's language", () => {
  it('a refused dump whose AdminServer is not there either', async () => {
    const list = await readSessionList([{ host: '127.0.0.1', port: 2181, id: 1, adminPort: 8080 }], {
      timeoutMs: 500,
      fourLetterWord: async (_host, _port, word) => (word === 'dump' ? 'dump is not executed because it is not in the whitelist.\n' : ''),
      adminCommand: async () => {
        throw refused();
      },
    });
    const reason = list.dumps[0].reason ?? '';
    assert.equal(
      renderMessage(reason),
      'it refuses the four-letter word dump (not in its 4lw.commands.whitelist); its AdminServer: connection refused: nothing listens on that port (server down?)',
      'the English is as before',
    );
    assert.equal(
      renderMessage(reason, marking),
      '««it refuses the four-letter word dump (not in its 4lw.commands.whitelist)»; its AdminServer: «connection refused: nothing listens on that port (server down?)»»',
    );
    const report = formatSessionsReport({ connection: 'ens', list, t: marking });
    const line = report.split('\n').find((l) => l.includes('(dump)')) ?? '';
    assert.match(line, /»; its AdminServer: «connection refused/);
    assert.doesNotMatch(untranslated(line), /[a-z]{3,} [a-z]{3,}/i, line);
  });

  it('a server that does not answer dump: the probe error is quoted translated', async () => {
    const list = await readSessionList([{ host: '127.0.0.1', port: 2181, id: 1 }], {
      timeoutMs: 500,
      fourLetterWord: async () => {
        throw refused();
      },
    });
    assert.equal(renderMessage(list.dumps[0].reason ?? '', marking), '«connection refused: nothing listens on that port (server down?)»');
  });
});
