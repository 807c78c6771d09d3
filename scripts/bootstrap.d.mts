// Types of scripts/bootstrap.mjs, for the tests that import it (they compile as CommonJS and load it with import()).
export declare const REPO: string;
export declare class SetupError extends Error {}
export declare function say(msg: string): void;
export declare function cleanEnv(env?: NodeJS.ProcessEnv): Record<string, string>;
export declare function run(cmd: string, args: string[], what: string, opts?: object): void;
export declare function npmInstallReason(repo?: string): string | undefined;
export declare function ensureNodeModules(repo?: string): void;
export declare function aptMissing(pkgs: string[]): string[];
export declare function ensureApt(pkgs: string[], why: string): void;
export declare function ensureZooKeeper(): void;
export declare function withSetupErrors(main: () => unknown): Promise<void>;
