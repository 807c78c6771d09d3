// What the active watches want of a path: which reads, whether its children are kept, whether it
// is armed with one-shot watches, and whether its snapshot is pinned (never evicted).
import { within, type ActiveWatch } from './watchOptions';

export interface Interest {
  data: boolean;
  keepChildren: boolean;
  nodeWatched: boolean;
  oneShot: boolean;
  armExists: boolean;
  pinned: boolean;
}

export function interestIn(watches: Iterable<ActiveWatch>, path: string): Interest {
  let nodeWatched = false;
  let oneShotTracked = false;
  let persistentSubtree = false;
  let oneShot = false;
  let armExists = false;
  for (const w of watches) {
    if (!w.active) continue;
    if (w.kind === 'node') {
      if (w.path === path) {
        nodeWatched = true;
        armExists = true;
        if (w.mode === 'oneShot') oneShot = true;
      }
    } else if (within(path, w.path)) {
      if (w.mode === 'persistent') persistentSubtree = true;
      else if (w.tracked?.has(path)) {
        oneShotTracked = true;
        oneShot = true;
        if (path === w.path) armExists = true;
      }
    }
  }
  return {
    data: nodeWatched || oneShotTracked || persistentSubtree,
    keepChildren: nodeWatched || oneShotTracked,
    nodeWatched,
    oneShot,
    armExists,
    pinned: nodeWatched || oneShotTracked,
  };
}

export function isPinnedBy(watches: Iterable<ActiveWatch>, path: string): boolean {
  for (const w of watches) {
    if (w.kind === 'node' && w.path === path) return true;
    if (w.tracked?.has(path)) return true;
  }
  return false;
}
