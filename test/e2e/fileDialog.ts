// Answers VS Code's own open/save dialog as code-server shows it: a quick input (the "simple file
// dialog") with a path in its box. Shared by the e2e files that export, import, pull and convert.
import type { Workbench } from './workbench';
import { waitFor } from './workbench';

/**
 * Waits for the dialog titled `title`, lets it fill in its proposal, types `path` and accepts it.
 * `folder`: choosing a folder (Enter opens it, the dialog's Choose button picks it).
 * Returns the path the dialog proposed.
 */
export async function answerFileDialog(w: Workbench, title: string, path: string, opts: { folder?: boolean } = {}): Promise<string> {
  await w.waitQuickTitle(title, 15_000);
  const input = w.quickInput.locator('input');
  // The dialog fills in its proposal after it opens (the folder, then the file name): typing
  // before that would be overwritten. Wait until it has one and it stays.
  let proposed = '';
  let stableSince = Date.now();
  await waitFor(
    async () => {
      const v = await input.inputValue();
      if (v !== proposed) [proposed, stableSince] = [v, Date.now()];
      return proposed.startsWith('/') && Date.now() - stableSince > 500;
    },
    10_000,
    'the file dialog to propose a path',
  );
  await input.fill(path);
  // The dialog completes what is typed against the folder's entries: let it settle, then accept.
  await waitFor(async () => (await input.inputValue()) === path, 5_000, `the dialog to show ${path}`);
  await input.press('Enter');
  if (opts.folder) {
    // Enter opens the folder (the box then ends with '/'); the dialog's button chooses it.
    await waitFor(async () => (await input.inputValue().catch(() => '')) === `${path}/`, 10_000, `the dialog to open ${path}`);
    await w.quickInput.getByRole('button', { name: 'Choose' }).click();
  }
  // Accepted: the widget closes, or the command's next step takes it over.
  const titleNow = async () => ((await w.quickInput.locator('.quick-input-title').textContent().catch(() => '')) ?? '').trim();
  const accepted = async () => !(await w.quickInput.isVisible()) || (await titleNow()) !== title;
  if (!opts.folder && !(await waitFor(accepted, 3_000, '', false))) {
    // Seen once in CI (a save dialog): the box still showed the typed path 10 s after Enter; that run
    // kept no screenshot, so the cause is not known. The dialog (simpleFileDialog.ts) defers an Enter
    // that comes while it is busy and ignores one while it is accepting: a second Enter cannot accept
    // twice. Pressed only when the box shows exactly the typed path and no message, so a dialog that
    // refused the path still fails below, with what it showed.
    if ((await input.inputValue().catch(() => '')) === path && (await w.quickInputMessage()) === '') {
      console.log(`      [e2e] the file dialog "${title}" had not accepted ${path} 3 s after Enter: Enter again`);
      await input.press('Enter');
    }
  }
  await waitFor(accepted, 10_000, `the file dialog "${title}" to accept ${path}`).catch(async (e: Error) => {
    throw new Error(`${e.message}; the box shows "${await input.inputValue().catch(() => '?')}", message "${await w.quickInputMessage().catch(() => '?')}"`);
  });
  return proposed;
}
