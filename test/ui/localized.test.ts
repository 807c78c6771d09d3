// Domain reasons (pathProblem, queryProblem, the quota explanation...) are Messages the adapter
// translates: an input box's validation shows them in the user's language.
import '../fakes/installVscode';
import * as assert from 'node:assert/strict';
import { formatL10n, l10n, window } from '../fakes/vscode';
import { localized } from '../../src/ui/localized';
import { askNode } from '../../src/ui/nodeArgs';
import { errorText } from '../../src/ui/registerCommand';
import { explainQuotaExceeded } from '../../src/zk/clusterAdmin/quotaStore';
import { ZkError } from '../../src/zk/errors';
import { explainedRefusal } from '../../src/zk/reconfig';
import { unsupportedError } from '../../src/zk/serverCapabilities';
import { renderMessage } from '../../src/zk/message';
import { pathProblem, segmentProblem } from '../../src/zk/paths';
import { queryProblem } from '../../src/zk/search/query';
import { directWriteProblem } from '../../src/zk/systemNodes';

describe('ui: localized domain reasons', () => {
  const fake = l10n as unknown as { t: typeof l10n.t };
  const win = window as unknown as { showInputBox: unknown };
  const originalT = fake.t;
  const originalInput = win.showInputBox;
  const bundle: Record<string, string> = {
    'a path must start with "/"': '路径必须以“/”开头',
    '"{0}" is not allowed as a node name': '“{0}”不能用作节点名',
    'Type something to search for': '请输入要搜索的内容',
    "{0} is the ensemble's dynamic configuration: ZooKeeper changes it only through a reconfiguration, and data written here directly would no longer describe the real members. Use Add Member…, Remove Member… or Change Role… instead. Nothing was written.":
      '{0} 是集群的动态配置。',
    'The server refused the write: a quota is exceeded (it enforces quotas: enforceQuota=true). {0}': '服务器拒绝写入：超出了配额。{0}',
    'Raise it with Set Quota… on that node (or zkCli: setquota -N/-B), or remove it with Remove Quota.': '请提高配额。',
    'The ensemble refused the reconfiguration ({0}): {1}': '集群拒绝了重新配置（{0}）：{1}',
    "The servers do not allow dynamic reconfiguration: set reconfigEnabled=true in every member's zoo.cfg and restart them one by one.": '服务器不允许动态重新配置。',
    'The server {0} does not support {1} ({2}){3}': '服务器 {0} 不支持 {1}（{2}）{3}',
    'container nodes': '容器节点',
    'it needs ZooKeeper {0} or later': '需要 ZooKeeper {0} 或更高版本',
    '; {0}': '；{0}',
    'create a persistent node instead': '请改为创建持久节点',
  };
  beforeEach(() => {
    fake.t = ((m: string, ...args: unknown[]) => formatL10n(bundle[m] ?? m, args)) as typeof l10n.t;
  });
  afterEach(() => {
    fake.t = originalT;
    win.showInputBox = originalInput;
  });

  it("shows a path's problem in the input box in the user's language (Go to Node's validation)", async () => {
    let validate: ((v: string) => unknown) | undefined;
    win.showInputBox = async (o: { validateInput?: (v: string) => unknown }) => {
      validate = o.validateInput;
      return undefined;
    };
    assert.equal(await askNode({} as never, 'Go to Node'), undefined);
    assert.ok(validate, 'the input box validates what is typed');
    assert.equal(validate('app'), '路径必须以“/”开头');
    assert.equal(validate('/app'), undefined);
    assert.equal(renderMessage(pathProblem('app')!), 'a path must start with "/"', 'the English text is unchanged');
  });

  it('translates the name, query, system-node and quota reasons, their arguments filled', async () => {
    assert.equal(localized(segmentProblem('..')), '“..”不能用作节点名');
    assert.equal(localized(queryProblem({ text: '', mode: 'substring', caseSensitive: false, target: 'all' })), '请输入要搜索的内容');
    assert.equal(localized(directWriteProblem('/zookeeper/config')), '/zookeeper/config 是集群的动态配置。');
    assert.equal(localized(directWriteProblem('/app')), undefined);
    const why = await explainQuotaExceeded({} as never, undefined);
    assert.equal(localized(why), '服务器拒绝写入：超出了配额。请提高配额。');
  });

  it("shows the ensemble's reconfig refusal with its explanation in the user's language", () => {
    const refused = explainedRefusal(ZkError.fromServer(-123, 'reconfig'));
    assert.equal(errorText(refused), '集群拒绝了重新配置（RECONFIGDISABLED）：服务器不允许动态重新配置。');
  });

  it("names an older server's missing feature and what to do instead in the user's language", () => {
    const e = unsupportedError(19, '10.0.0.1:2181', 'reply', 'create', '/box');
    assert.equal(errorText(e), '服务器 10.0.0.1:2181 不支持 容器节点（需要 ZooKeeper 3.5.1 或更高版本）；请改为创建持久节点');
    assert.equal(e.message, 'The server 10.0.0.1:2181 does not support container nodes (it needs ZooKeeper 3.5.1 or later); create a persistent node instead');
  });
});
