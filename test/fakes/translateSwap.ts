// Tests of adapter texts run the fake vscode.l10n.t as a given Translate (a marking one, a small
// bundle) for the tests of one describe block, and put the fake's own back afterwards.
import type { Translate } from '../../src/zk/localize';
import { l10n } from './vscode';

/** In a describe block: every test in it runs with vscode.l10n.t = `t`. */
export function useTranslate(t: Translate): void {
  const fake = l10n as unknown as { t: unknown };
  const original = fake.t;
  beforeEach(() => {
    fake.t = t;
  });
  afterEach(() => {
    fake.t = original;
  });
}
