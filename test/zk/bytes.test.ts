// The one byte formatter: binary units (KiB, MiB) as VS Code shows sizes, one decimal below ten of
// a unit; the health panel's browser copy (webview/ imports no domain code) follows the same rule.
import * as assert from 'node:assert/strict';
import { formatBytes } from '../../src/zk/bytes';
import { bytes as panelBytes } from '../../webview/health/format';

describe('formatBytes', () => {
  it('uses binary units with one decimal below ten', () => {
    assert.equal(formatBytes(0), '0 B');
    assert.equal(formatBytes(1023), '1023 B');
    assert.equal(formatBytes(1024), '1.0 KiB');
    assert.equal(formatBytes(1536), '1.5 KiB');
    assert.equal(formatBytes(45 * 1024), '45 KiB');
    assert.equal(formatBytes(2.31 * 1024 * 1024), '2.3 MiB');
    assert.equal(formatBytes(600 * 1024 * 1024), '600 MiB');
    assert.equal(formatBytes(3 * 1024 ** 3), '3.0 GiB');
  });

  it('says the same as the health panel for every size', () => {
    for (const n of [0, 1, 999, 1023, 1024, 10 * 1024 - 1, 10 * 1024, 123_456, 1024 ** 2, 5 * 1024 ** 2, 1024 ** 3 * 7.5, 1024 ** 4 * 2]) {
      assert.equal(formatBytes(n), panelBytes(n), String(n));
    }
  });
});
