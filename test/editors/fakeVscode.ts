// The few parts of the `vscode` module the editor adapter uses, for its unit tests only (the real
// VS Code runs in test/e2e). installFakeVscode() makes `require('vscode')` return this module.
import Module = require('node:module');

export class Disposable {
  constructor(private readonly fn: () => void) {}
  dispose(): void {
    this.fn();
  }
}

export class EventEmitter<T> {
  private listeners: ((e: T) => void)[] = [];
  readonly event = (l: (e: T) => void): Disposable => {
    this.listeners.push(l);
    return new Disposable(() => (this.listeners = this.listeners.filter((x) => x !== l)));
  };
  fire(e: T): void {
    for (const l of [...this.listeners]) l(e);
  }
  dispose(): void {
    this.listeners = [];
  }
}

export class Uri {
  private constructor(
    readonly scheme: string,
    readonly authority: string,
    readonly path: string,
    readonly query: string,
    readonly fragment: string,
  ) {}
  static from(c: { scheme: string; authority?: string; path?: string; query?: string; fragment?: string }): Uri {
    return new Uri(c.scheme, c.authority ?? '', c.path ?? '', c.query ?? '', c.fragment ?? '');
  }
  with(c: Partial<{ scheme: string; authority: string; path: string; query: string }>): Uri {
    return new Uri(c.scheme ?? this.scheme, c.authority ?? this.authority, c.path ?? this.path, c.query ?? this.query, this.fragment);
  }
  toString(): string {
    // Like VS Code: the authority is lowercased in the string form.
    return `${this.scheme}://${this.authority.toLowerCase()}${this.path}${this.query ? '?' + this.query : ''}`;
  }
}

export class FileSystemError extends Error {
  code: string;
  constructor(messageOrUri?: string | Uri, code = 'Unknown') {
    super(messageOrUri instanceof Uri ? messageOrUri.toString() : messageOrUri);
    this.code = code;
  }
  static FileNotFound(m?: string | Uri) {
    return new FileSystemError(m, 'FileNotFound');
  }
  static FileExists(m?: string | Uri) {
    return new FileSystemError(m, 'FileExists');
  }
  static NoPermissions(m?: string | Uri) {
    return new FileSystemError(m, 'NoPermissions');
  }
  static Unavailable(m?: string | Uri) {
    return new FileSystemError(m, 'Unavailable');
  }
}

export enum FileType {
  Unknown = 0,
  File = 1,
  Directory = 2,
}
export enum FilePermission {
  Readonly = 1,
}
export enum FileChangeType {
  Changed = 1,
  Created = 2,
  Deleted = 3,
}
export enum TextDocumentSaveReason {
  Manual = 1,
  AfterDelay = 2,
  FocusOut = 3,
}

/** A stand-in for an open TextDocument. */
export interface FakeTextDocument {
  uri: Uri;
  isDirty: boolean;
  getText(): string;
}

export const workspace = { textDocuments: [] as FakeTextDocument[] };

let installed = false;

export function installFakeVscode(): void {
  if (installed) return;
  installed = true;
  const m = Module as unknown as { _resolveFilename: (request: string, ...rest: unknown[]) => string };
  const original = m._resolveFilename;
  m._resolveFilename = function (request: string, ...rest: unknown[]) {
    if (request === 'vscode') return __filename;
    return original.call(this, request, ...rest);
  };
}
