// The Getting Started walkthrough in a real VS Code: it is listed by "Welcome: Open Walkthrough…", shows
// its five steps, and a step is ticked when the user runs the command it teaches (the completion events in
// package.json are evaluated by VS Code itself, so only a real workbench proves them).
import * as assert from 'node:assert/strict';
import { useWorkbench, waitFor } from './workbench';

const STEPS = ['Add a connection', 'Browse the tree', 'Open and save a znode', 'Watch a node', 'See the cluster’s health'];

describe('e2e: Getting Started walkthrough', function () {
  this.timeout(180_000);
  const wb = useWorkbench({ scenario: 'walkthrough', settings: { 'zookeeper.connections': [] } });

  it('lists the steps and ticks one when its command runs', async function () {
    const w = wb();
    await w.openZooKeeperView();
    await w.waitForActivation();
    await w.runCommand('Welcome: Open Walkthrough...');
    await w.pickQuickItem('Get Started with ZooKeeper', 20_000);

    const page = w.page;
    const stepButton = (title: string) => page.locator('.getting-started-step').filter({ hasText: title }).first();
    for (const title of STEPS) await stepButton(title).waitFor({ state: 'attached', timeout: 20_000 });
    // VS Code marks a finished step's button aria-checked="true" (and draws its checkbox ticked).
    const done = async (title: string) => (await stepButton(title).getAttribute('aria-checked')) === 'true';
    assert.equal(await done('See the cluster’s health'), false, 'not ticked before the command ran');
    assert.equal(await done('Browse the tree'), false, 'not ticked before the command ran');

    // Go to Znode… with no connection still counts as running the command. Escape only for a quick input
    // it may open: on the walkthrough page itself Escape goes back to the Welcome page.
    await w.runCommand('ZooKeeper: Go to Znode…');
    await page.waitForTimeout(1000);
    if (await w.quickInput.isVisible()) await page.keyboard.press('Escape');
    if (!(await stepButton('Browse the tree').isVisible())) {
      await page.locator('.getting-started-category').filter({ hasText: 'Get Started with ZooKeeper' }).first().click();
    }
    await waitFor(() => done('Browse the tree'), 15_000, 'the "Browse the tree" step ticked after Go to Znode…');
    assert.equal(await done('See the cluster’s health'), false, 'only the step whose command ran is ticked');

    const shot = await w.screenshot();
    console.log(`      screenshot: ${shot}`);
    w.assertNoExtensionErrors();
  });
});
