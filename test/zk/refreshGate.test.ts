// RefreshGate (src/zk/refreshGate.ts): a refresh of a row held while children at or below the row
// are fetched goes out once after the fetch has settled, one that outdates them goes out at once and
// turns their answers into placeholders, and neither waits for a row beside or below the fetch.
import * as assert from 'node:assert/strict';
import { RefreshGate, type GatedRow } from '../../src/zk/refreshGate';

const row = (path: string, connectionName = 'a'): GatedRow => ({ connectionName, path });

function gate() {
  const fired: string[][] = [];
  const releases: (() => void)[] = [];
  const g = new RefreshGate<GatedRow>(
    (rows) => fired.push(rows.map((r) => `${r.connectionName}:${r.path}`)),
    (release) => releases.push(release),
  );
  return { g, fired, afterFetch: () => releases.splice(0).forEach((r) => r()) };
}

describe('RefreshGate', () => {
  it('holds a refresh of the fetched row and of its ancestors until the fetch settled, then sends each once', async () => {
    const { g, fired, afterFetch } = gate();
    const conn = row('/');
    const app = row('/app');
    let answer!: () => void;
    const fetch = g.fetching(app, () => new Promise<string>((resolve) => (answer = () => resolve('rows'))), (answer) => `placeholder for ${answer}`);
    g.refresh([conn, app]);
    g.refresh([conn]);
    assert.deepEqual(fired, []);
    answer();
    assert.equal(await fetch, 'rows');
    assert.deepEqual(fired, [], 'not before VS Code has taken the answer');
    afterFetch();
    assert.deepEqual(fired, [['a:/', 'a:/app']]);
  });

  it('refreshes at once a row beside the fetch, below it, or on another connection', async () => {
    const { g, fired, afterFetch } = gate();
    let answer!: () => void;
    const fetch = g.fetching(row('/app'), () => new Promise<void>((resolve) => (answer = resolve)), (answer) => answer);
    g.refresh([row('/application'), row('/app/flags'), row('/', 'b')]);
    assert.deepEqual(fired, [['a:/application', 'a:/app/flags', 'b:/']]);
    answer();
    await fetch;
    afterFetch();
    assert.equal(fired.length, 1);
  });

  it('holds while any of two fetches of one row is pending, and also when the fetch fails', async () => {
    const { g, fired, afterFetch } = gate();
    const app = row('/app');
    let fail!: () => void;
    let answer!: () => void;
    const first = g.fetching(app, () => new Promise<void>((_, reject) => (fail = () => reject(new Error('lost')))), (answer) => answer);
    const second = g.fetching(app, () => new Promise<void>((resolve) => (answer = resolve)), (answer) => answer);
    g.refresh([app]);
    fail();
    await assert.rejects(first, /lost/);
    afterFetch();
    assert.deepEqual(fired, []);
    answer();
    await second;
    afterFetch();
    assert.deepEqual(fired, [['a:/app']]);
  });

  it("a refresh that outdates goes out at once, and the fetches at or below it answer the placeholder", async () => {
    const { g, fired, afterFetch } = gate();
    const answers: (() => void)[] = [];
    const fetchOf = (path: string) => g.fetching(row(path), () => new Promise<string>((resolve) => answers.push(() => resolve(`rows of ${path}`))), (answer) => `placeholder for ${answer}`);
    const conn = fetchOf('/');
    const app = fetchOf('/app');
    const other = g.fetching(row('/', 'b'), () => new Promise<string>((resolve) => answers.push(() => resolve('rows of b'))), (answer) => `placeholder for ${answer}`);
    g.refresh([row('/')], 'outdate');
    assert.deepEqual(fired, [['a:/']]);
    answers.forEach((answer) => answer());
    assert.deepEqual(await Promise.all([conn, app, other]), ['placeholder for rows of /', 'placeholder for rows of /app', 'rows of b']);
    afterFetch();
    const later = fetchOf('/');
    answers[3]();
    assert.equal(await later, 'rows of /', 'a fetch after the refresh is current');
    afterFetch();
    assert.equal(fired.length, 1);
  });
});
