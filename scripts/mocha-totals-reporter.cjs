// Mocha's spec reporter, plus a JSON file with the suite's totals so that scripts/test.mjs can print
// one "N passed, N failed" line over every suite.
const Mocha = require('mocha');
const fs = require('node:fs');

class TotalsReporter extends Mocha.reporters.Spec {
  constructor(runner, options) {
    super(runner, options);
    runner.once(Mocha.Runner.constants.EVENT_RUN_END, () => {
      const file = process.env.ZK_TEST_TOTALS_FILE;
      if (!file) return;
      const s = runner.stats || {};
      fs.writeFileSync(file, JSON.stringify({ passed: s.passes || 0, failed: s.failures || 0, pending: s.pending || 0 }));
    });
  }
}
module.exports = TotalsReporter;
