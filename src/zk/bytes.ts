// The one byte-size formatter, with binary units as VS Code itself shows sizes (KiB, MiB: powers
// of 1,024): tree descriptions, export and import messages, the watch log. The health panel's
// browser code has its own copy of the same rule (webview/ imports no domain code), kept equal by
// test/webview/healthFormat.test.ts.

const UNITS = ['B', 'KiB', 'MiB', 'GiB', 'TiB'];

/** 512 B, 1.5 KiB, 45 KiB, 2.3 MiB, 600 MiB: one decimal below 10 of a unit, whole numbers above. */
export function formatBytes(n: number): string {
  let v = n;
  let i = 0;
  while (v >= 1024 && i < UNITS.length - 1) {
    v /= 1024;
    i++;
  }
  return i === 0 ? `${v} B` : `${v.toFixed(v < 10 ? 1 : 0)} ${UNITS[i]}`;
}
