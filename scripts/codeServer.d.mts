// Types of scripts/codeServer.mjs, for the e2e driver (test/e2e/workbench.ts).
import type { ChildProcess } from 'node:child_process';

/** What scripts/e2e-setup.mjs writes to its manifest (paths are absolute). */
export interface E2eManifest {
  key: string;
  cacheRoot: string;
  node24: string;
  nodeDir: string;
  /** code-server's out/node/entry.js, run with node24. */
  codeServer: string;
  codeServerDir: string;
  codeServerVersion: string;
  /** Folder to require() playwright-core from. */
  playwrightCore: string;
  playwrightVersion: string;
  playwrightChromium: string;
  chromium: string;
  chromiumVersion: string;
  vsce: string;
}

export interface CodeServerProfile {
  root: string;
  userDataDir: string;
  extensionsDir: string;
  /** The folder code-server opens. */
  folder: string;
  /** The environment code-server runs in. */
  env: NodeJS.ProcessEnv;
}

export interface ProfileOptions {
  /** User settings, over QUIET_SETTINGS. */
  settings?: Record<string, unknown>;
  /** Folder to open; default <root>/workspace. */
  folder?: string;
  /** Extra environment for code-server (so for the extension host), set last. */
  env?: Record<string, string>;
}

export interface StartedCodeServer {
  /** Leader of its own process group. */
  server: ChildProcess;
  port: number;
  logFile: string;
  url: string;
}

export const QUIET_SETTINGS: Readonly<Record<string, unknown>>;

export function loadManifest(repo: string, options?: { needs?: (keyof E2eManifest)[] }): E2eManifest;
export function packageVsix(repo: string, manifest: E2eManifest, options?: { quiet?: boolean }): Promise<string>;
export function makeProfile(root: string, manifest: E2eManifest, options?: ProfileOptions): CodeServerProfile;
export function installExtension(manifest: E2eManifest, profile: CodeServerProfile, vsix: string): Promise<void>;
export function codeServerUrl(port: number, folder: string): string;
export function spawnCodeServer(manifest: E2eManifest, profile: CodeServerProfile, options?: { port?: number }): Promise<StartedCodeServer>;
export function waitForHealthy(server: ChildProcess, port: number, logFile: string, timeoutMs?: number): Promise<void>;
export function stopCodeServer(server: ChildProcess): Promise<void>;
