// The ONE module that knows about @vscode/webview-ui-toolkit. The toolkit was archived upstream in
// January 2025 (1.4.0 is its last release); everything else in the webviews builds its UI through
// these functions, so moving to its successor (@vscode-elements/elements) touches this file only.
// Every function sets text with textContent: no caller can pass markup through it.
//
// Not used: <vscode-badge> and <vscode-tag>. Both use FAST's badge template, which binds a `style`
// attribute; a strict CSP (no 'unsafe-inline') blocks it and logs a violation on every render.
// badge() and tag() below are plain elements styled by the panel's stylesheet instead.
// Nor <vscode-data-grid>: buttons inside its cells cannot be reached with Tab, so the server list
// is a native <table> (webview/health/serverList.ts).
import {
  provideVSCodeDesignSystem,
  vsCodeButton,
  vsCodeProgressRing,
} from '@vscode/webview-ui-toolkit';

let registered = false;

/** Registers the components once per page. */
export function registerToolkit(): void {
  if (registered) return;
  registered = true;
  provideVSCodeDesignSystem().register(
    vsCodeButton(),
    vsCodeProgressRing(),
  );
}

export interface ButtonOptions {
  appearance?: 'primary' | 'secondary' | 'icon';
  /** Tooltip and accessible name. */
  title?: string;
  onClick: () => void;
}

export function button(label: string, opts: ButtonOptions): HTMLElement {
  const b = document.createElement('vscode-button');
  b.textContent = label;
  b.setAttribute('appearance', opts.appearance ?? 'secondary');
  if (opts.title) {
    b.title = opts.title;
    b.setAttribute('aria-label', opts.title);
  }
  b.addEventListener('click', () => opts.onClick());
  return b;
}

/** A badge (class `tk-badge`; see the note at the top on why it is not <vscode-badge>). */
export function badge(text: string): HTMLElement {
  const b = document.createElement('span');
  b.className = 'tk-badge';
  b.textContent = text;
  return b;
}

/** A tag (class `tk-tag`; see the note at the top on why it is not <vscode-tag>). */
export function tag(text: string): HTMLElement {
  const t = document.createElement('span');
  t.className = 'tk-tag';
  t.textContent = text;
  return t;
}

export function progressRing(label: string): HTMLElement {
  const p = document.createElement('vscode-progress-ring');
  p.setAttribute('aria-label', label);
  return p;
}
