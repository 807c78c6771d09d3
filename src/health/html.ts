// The panel's HTML: a strict Content-Security-Policy with a per-load nonce, no inline script or
// style, and only our own bundle and stylesheets. The `csp-nonce` meta is read by FAST (under the
// toolkit), which probes :focus-visible support with a <style> element carrying that nonce. Nothing from a server or the user's settings is
// put into this markup: the connection name and all data reach the webview as messages.

export interface HealthHtmlParts {
  /** `webview.cspSource`. */
  cspSource: string;
  /** Fresh per load, from crypto.randomBytes. */
  nonce: string;
  scriptUri: string;
  styleUris: string[];
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
  return `<!DOCTYPE html>
<html lang="en">
<head>
  <meta charset="UTF-8">
  <meta http-equiv="Content-Security-Policy" content="${healthCsp(p)}">
  <meta property="csp-nonce" content="${nonce}">
  <meta name="viewport" content="width=device-width, initial-scale=1.0">
${styles}
  <title>Cluster Health</title>
</head>
<body>
  <main id="app" aria-live="polite"></main>
  <script nonce="${nonce}" src="${attr(p.scriptUri, 'script URI')}"></script>
</body>
</html>`;
}
