// Replies captured from real ZooKeeper 3.8 servers (see scripts/captureHealthFixtures.ts).
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

/** test/fixtures/health, from out/test/zk/health or test/zk/health alike. */
export const FIXTURE_DIR = join(__dirname, '..', '..', '..', ...(__dirname.includes(`${join('out', 'test')}`) ? ['..'] : []), 'test', 'fixtures', 'health');

export function hasFixture(name: string): boolean {
  return existsSync(join(FIXTURE_DIR, name));
}

export function fixture(name: string): string {
  return readFileSync(join(FIXTURE_DIR, name), 'utf8');
}

export function jsonFixture(name: string): unknown {
  return JSON.parse(fixture(name));
}
