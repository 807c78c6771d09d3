// The panel's HTML: a strict Content-Security-Policy with a per-load nonce, no inline script or
// style, and only our own bundle and stylesheets. The `csp-nonce` meta is read by FAST (under the
// toolkit), which probes :focus-visible support with a <style> element carrying that nonce. Nothing from a server or the user's settings is
// put into this markup: the connection name and all data reach the webview as messages. The one
// exception is ours: the bundle of the panel's strings, as JSON in an escaped meta attribute.
import { HEALTH_L10N_ELEMENT_ID, type HealthL10nBundle } from '../protocol/health';

export interface HealthHtmlParts {
  /** `webview.cspSource`. */
  cspSource: string;
  /** Fresh per load, from crypto.randomBytes. */
  nonce: string;
  scriptUri: string;
  styleUris: string[];
  /** VS Code's display language (`vscode.env.language`) and its bundle of the panel's strings. */
  language?: string;
  l10n?: HealthL10nBundle;
}

/** An attribute value holding any text: every character that could end it or start markup is an entity. */
function escapedAttr(text: string): string {
  return text.replace(/[&"'<>]/g, (c) => `&#${c.charCodeAt(0)};`);
}

export function healthCsp(p: Pick<HealthHtmlParts, 'cspSource' | 'nonce'>): string {
  return [
    "default-src 'none'",
    `script-src 'nonce-${p.nonce}'`,
    `style-src ${p.cspSource} 'nonce-${p.nonce}'`,
    `font-src ${p.cspSource}`,
    `img-src ${p.cspSource} data:`,
    "connect-src 'none'",
    "frame-src 'none'",
    "form-action 'none'",
    "base-uri 'none'",
  ].join('; ');
}

const ATTR_SAFE = /^[A-Za-z0-9+/=._:~%\-]+$/;

/** Refuses anything that would need escaping: these values are ours and never contain such characters. */
function attr(v: string, what: string): string {
  if (!ATTR_SAFE.test(v.replace(/^[a-z-]+:\/\//, '').replace(/[?&#]/g, ''))) throw new Error(`unexpected character in ${what}`);  // l10n-ignore: an internal check, never shown
  return v;
}

export function healthHtml(p: HealthHtmlParts): string {
  const nonce = attr(p.nonce, 'nonce');
  const styles = p.styleUris.map((u) => `  <link rel="stylesheet" nonce="${nonce}" href="${attr(u, 'style URI')}">`).join('\n');
  const lang = /^[A-Za-z]{2,3}(-[A-Za-z0-9]{1,8})*$/.test(p.language ?? '') ? p.language : 'en';
  return `<!DOCTYPE html>
<html lang="${lang}">
<head>
  <meta charset="UTF-8">
  <meta http-equiv="Content-Security-Policy" content="${healthCsp(p)}">
  <meta property="csp-nonce" content="${nonce}">
  <meta name="viewport" content="width=device-width, initial-scale=1.0">
  <meta id="${HEALTH_L10N_ELEMENT_ID}" content="${escapedAttr(JSON.stringify(p.l10n ?? {}))}">
${styles}
  <title>Cluster Health</title>
</head>
<body>
  <main id="app" aria-live="polite"></main>
  <script nonce="${nonce}" src="${attr(p.scriptUri, 'script URI')}"></script>
</body>
</html>`;
}
