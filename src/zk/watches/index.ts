// The watch log's domain layer: no VS Code here (src/watches is the adapter).
export * from './types';
export * from './savedState';
export { diffNames, diffSnapshot, nextSnapshot } from './diff';
export { formatWatchEvent, formatTime, catchUpLabel, type FormatOptions } from './format';
export { previewChange, previewOne, quote, safeName, formatSize } from './preview';
export { BatchingSink, type BatchingSinkOptions, type DroppedRange } from './sink';
export { Lru } from './lru';
export { WatchManager, WATCH_DEFAULTS, within, compareZxid, lastZxidOf, type WatchClient, type WatchHost, type WatchInfo, type WatchManagerOptions, type WatchStats } from './watchManager';
