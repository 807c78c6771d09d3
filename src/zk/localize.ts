// User-facing text from the domain: the domain cannot import `vscode`, so code that words a message
// for the user takes a Translate (the adapter passes `vscode.l10n.t`, tests and plain Node get
// `english`), and fixed tables mark their entries with `localizable` so scripts/l10n.mjs finds them
// for the bundle; the adapter then passes the entry through `vscode.l10n.t`.

/** vscode.l10n.t's shape: an English template with {0}, {1}... filled from args. */
export type Translate = (message: string, ...args: (string | number | boolean)[]) => string;

/** The English text itself, with its placeholders filled. */
export const english: Translate = (message, ...args) =>
  message.replace(/\{(\d+)\}/g, (whole, i: string) => (Number(i) < args.length ? String(args[Number(i)]) : whole));

/** Marks a literal as a bundle key (extracted by scripts/l10n.mjs); returns it unchanged. */
export function localizable<T extends string>(message: T): T {
  return message;
}
