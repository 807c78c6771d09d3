// The webview side of the VS Code API, typed with our protocol.
import type { HealthWebviewState, WebviewToHost } from '../../src/protocol/health';

interface VsCodeApi {
  postMessage(message: WebviewToHost): void;
  getState(): HealthWebviewState | undefined;
  setState(state: HealthWebviewState): void;
}

declare function acquireVsCodeApi(): VsCodeApi;

let api: VsCodeApi | undefined;

/** acquireVsCodeApi may be called once per page: everything shares this instance. */
export function vscodeApi(): VsCodeApi {
  api ??= acquireVsCodeApi();
  return api;
}
