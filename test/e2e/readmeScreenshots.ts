// The README's screenshots are taken by the end-to-end scenarios that reach each state, so they show
// what the current code shows. They are written into media/screenshots/ only when asked
// (ZK_E2E_SCREENSHOTS=1), so that an ordinary run (and CI) leaves the work tree as it was:
//
//   ZK_E2E_SCREENSHOTS=1 npx mocha --config .mocharc.json out/test/e2e/tree.e2e.js
//
// Every run still saves the same picture as artifacts/e2e/<name>.png (Workbench.screenshot).
import { copyFileSync, mkdirSync } from 'node:fs';
import { join, resolve } from 'node:path';
import type { Workbench } from './workbench';

/** The repository root (this file runs from out/test/e2e; test/package reads the list without a workbench). */
const REPO = resolve(__dirname, '..', '..', '..');

/** The README's screenshots: file name (without .png) -> the scenario that takes it. */
export const README_SCREENSHOTS = {
  tree: 'tree.e2e.ts: a connection browsed down to a leaf, sizes and child counts in the rows',
  conflict: 'edit.e2e.ts: a save of a node changed on the server, the comparison and Overwrite/Cancel',
  'watch-log': 'watch.e2e.ts: a watched node (W) and the "ZooKeeper Watches" log of a change made by zkCli.sh',
  health: 'health.e2e.ts: the Cluster Health panel of a three-server ensemble',
} as const;

export type ReadmeScreenshot = keyof typeof README_SCREENSHOTS;

/** Where the README's screenshots live (relative to the repository: the README links them so). */
export const README_SCREENSHOT_DIR = join('media', 'screenshots');

/** True when this run is asked to (re)write the README's screenshots. */
export function readmeScreenshotsRequested(env: NodeJS.ProcessEnv = process.env): boolean {
  return env.ZK_E2E_SCREENSHOTS === '1';
}

/**
 * Takes the screenshot (always saved as artifacts/e2e/readme-<name>.png) and, when the run asks for
 * it, copies it to media/screenshots/<name>.png. Returns the path written in media/, if any.
 */
export async function readmeScreenshot(w: Workbench, name: ReadmeScreenshot): Promise<string | undefined> {
  const artifact = await w.screenshot(`readme-${name}`);
  if (!readmeScreenshotsRequested()) return undefined;
  const dir = join(REPO, README_SCREENSHOT_DIR);
  mkdirSync(dir, { recursive: true });
  const file = join(dir, `${name}.png`);
  copyFileSync(artifact, file);
  console.log(`      README screenshot: ${file}`);
  return file;
}
