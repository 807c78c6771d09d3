// The input of "Open Znode URI…": shown at once, and prefilled from the clipboard only when the
// clipboard answers in time with a zk:// URI and the user has not typed yet. In a browser without
// clipboard permission the read fails or waits for a notification to be dismissed: the input never
// waits for it.
import * as vscode from 'vscode';

/** What this needs of VS Code (a parameter, so that a test can drive the box). */
export interface UriInputHost {
  createInputBox(): Pick<vscode.InputBox, 'title' | 'prompt' | 'value' | 'ignoreFocusOut' | 'validationMessage' | 'onDidChangeValue' | 'onDidAccept' | 'onDidHide' | 'show' | 'hide' | 'dispose'>;
  readClipboard(): Thenable<string>;
}

/** How long a clipboard answer may take to still prefill the box. */
export const CLIPBOARD_WAIT_MS = 2000;

export const EMPTY_URI = 'zk://';

export function askZnodeUriText(host: UriInputHost, validate: (v: string) => string | undefined, waitMs = CLIPBOARD_WAIT_MS): Promise<string | undefined> {
  return new Promise((resolve) => {
    const box = host.createInputBox();
    box.title = vscode.l10n.t('Open Znode URI');
    box.prompt = vscode.l10n.t('zk://<connection name>/<znode path> (names and paths percent-encoded, as Copy URI makes them)');
    box.value = EMPTY_URI;
    box.ignoreFocusOut = true;
    let open = true;
    const shownAt = Date.now();
    const subscriptions = [
      box.onDidChangeValue((v) => (box.validationMessage = validate(v))),
      box.onDidAccept(() => {
        const problem = validate(box.value);
        if (problem) {
          box.validationMessage = problem;
          return;
        }
        open = false;
        resolve(box.value);
        box.hide();
      }),
      box.onDidHide(() => {
        if (open) resolve(undefined);
        open = false;
        for (const s of subscriptions) s.dispose();
        box.dispose();
      }),
    ];
    box.show();
    // In parallel: errors and late answers are ignored, and what the user typed is never replaced.
    Promise.resolve()
      .then(() => host.readClipboard())
      .then(
        (clip) => {
          const uri = clip.trim();
          if (!open || Date.now() - shownAt > waitMs || box.value !== EMPTY_URI || !/^zk:\/\//i.test(uri)) return;
          box.value = uri;
          box.validationMessage = validate(uri);
        },
        () => undefined,
      );
  });
}
