// Imported first by adapter unit tests: from here on, require('vscode') is the fake.
import { installFakeVscode } from './vscode';

installFakeVscode();
