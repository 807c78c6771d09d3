// The panel's text in VS Code's display language: the host writes vscode.l10n.bundle into the page
// (a meta element, src/health/html.ts) before this script, so it is read once, before any view builds its labels.
// t() is vscode.l10n.t's counterpart: the English text is the key, {0}, {1}... are filled from args.
import { HEALTH_L10N_ELEMENT_ID, isHealthL10nBundle, type HealthL10nBundle } from '../../src/protocol/health';

/** The page, when there is one (format.ts is unit-tested in plain Node, which has none). */
const page = (globalThis as { document?: { getElementById(id: string): { getAttribute(name: string): string | null } | null } }).document;

function readBundle(): HealthL10nBundle {
  try {
    const parsed: unknown = JSON.parse(page?.getElementById(HEALTH_L10N_ELEMENT_ID)?.getAttribute('content') || '{}');
    return isHealthL10nBundle(parsed) ? parsed : {};
  } catch {
    return {};
  }
}

const bundle = readBundle();

export function t(message: string, ...args: (string | number)[]): string {
  const text = Object.prototype.hasOwnProperty.call(bundle, message) ? bundle[message] : message;
  return text.replace(/\{(\d+)\}/g, (whole, i: string) => (Number(i) < args.length ? String(args[Number(i)]) : whole));
}
