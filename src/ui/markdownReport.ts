// Opens a report (a document a feature's content provider writes in Markdown: Node Details,
// Holders, Sessions) in VS Code's Markdown preview, or as a Markdown text editor where the preview
// is not available. Reading the document is what runs the report, so it happens under `progress`.
import * as vscode from 'vscode';
import { VSCODE_COMMANDS } from './commandIds';

export async function showMarkdownReport(uri: vscode.Uri, progress?: { title: string; location: vscode.ProgressLocation }): Promise<void> {
  const open = () => Promise.resolve(vscode.workspace.openTextDocument(uri));
  const doc = progress ? await vscode.window.withProgress(progress, open) : await open();
  if (doc.languageId !== 'markdown') await vscode.languages.setTextDocumentLanguage(doc, 'markdown').then(undefined, () => undefined);
  try {
    await vscode.commands.executeCommand(VSCODE_COMMANDS.markdownPreview, uri);
  } catch {
    await vscode.window.showTextDocument(doc, { preview: true });
  }
}
