// The one input of Find in Subtree: the query, validated as you type, with buttons that switch the
// options (like the editor's find widget) and a prompt line that says which are on.
import * as vscode from 'vscode';
import { queryProblem, type SearchMode, type SearchQuery, type SearchTarget } from '../zk/search/query';
import { localized } from '../ui/localized';

export interface SearchChoice {
  query: SearchQuery;
  /** Levels below the scope node; undefined: all. */
  maxDepth: number | undefined;
}

const TARGETS: SearchTarget[] = ['all', 'names', 'paths', 'data'];
const TARGET_WORDS: Record<SearchTarget, string> = { all: 'names, paths and data', names: 'names', paths: 'paths', data: 'data' };
const MODE_WORDS: Record<SearchMode, string> = { substring: 'text', word: 'whole word', regex: 'regular expression', glob: 'glob (* ? [ ])' };
const DEPTHS: (number | undefined)[] = [undefined, 1, 2, 3, 5, 10];

export function describeChoice(c: SearchChoice): string {
  const depth = c.maxDepth === undefined ? 'all levels' : `${c.maxDepth} level${c.maxDepth === 1 ? '' : 's'} down`;
  return `${MODE_WORDS[c.query.mode]}, ${c.query.caseSensitive ? 'match case' : 'ignore case'}, in ${TARGET_WORDS[c.query.target]}, ${depth}`;
}

/** Asks for the query, starting from `last`; undefined when the user pressed Escape. */
export function askQuery(title: string, last: SearchChoice): Promise<SearchChoice | undefined> {
  const choice: SearchChoice = { query: { ...last.query }, maxDepth: last.maxDepth };
  const box = vscode.window.createInputBox();
  box.title = title;
  box.placeholder = vscode.l10n.t('Text to find in names, paths and data');
  box.value = choice.query.text;
  box.valueSelection = [0, box.value.length];
  box.ignoreFocusOut = true;

  const button = (icon: string, tooltip: string): vscode.QuickInputButton => ({ iconPath: new vscode.ThemeIcon(icon), tooltip });
  const refresh = () => {
    box.buttons = [
      button('case-sensitive', `Match Case (${choice.query.caseSensitive ? 'on' : 'off'})`),
      button('whole-word', `Match Whole Word (${choice.query.mode === 'word' ? 'on' : 'off'})`),
      button('regex', `Use Regular Expression (${choice.query.mode === 'regex' ? 'on' : 'off'})`),
      button('symbol-string', `Glob on Names or Paths (${choice.query.mode === 'glob' ? 'on' : 'off'})`),
      button('list-filter', `Search In: ${TARGET_WORDS[choice.query.target]} (click for the next)`),
      button('list-tree', `Depth: ${choice.maxDepth ?? 'all levels'} (click for the next)`),
    ];
    box.prompt = vscode.l10n.t('Searching as {0}. The buttons switch these.', describeChoice(choice));
    const problem = box.value ? queryProblem({ ...choice.query, text: box.value }) : undefined;
    box.validationMessage = localized(problem);
  };
  const toggleMode = (mode: SearchMode) => {
    choice.query.mode = choice.query.mode === mode ? 'substring' : mode;
    if (mode === 'glob' && choice.query.mode === 'glob' && (choice.query.target === 'data' || choice.query.target === 'all')) choice.query.target = 'names';
  };

  return new Promise((resolve) => {
    let settled = false;
    const done = (v: SearchChoice | undefined) => {
      if (settled) return;
      settled = true;
      resolve(v);
      box.dispose();
    };
    box.onDidChangeValue(() => refresh());
    box.onDidTriggerButton((b) => {
      const icon = (b.iconPath as vscode.ThemeIcon).id;
      if (icon === 'case-sensitive') choice.query.caseSensitive = !choice.query.caseSensitive;
      else if (icon === 'whole-word') toggleMode('word');
      else if (icon === 'regex') toggleMode('regex');
      else if (icon === 'symbol-string') toggleMode('glob');
      else if (icon === 'list-filter') choice.query.target = TARGETS[(TARGETS.indexOf(choice.query.target) + 1) % TARGETS.length];
      else if (icon === 'list-tree') choice.maxDepth = DEPTHS[(DEPTHS.indexOf(choice.maxDepth) + 1) % DEPTHS.length];
      refresh();
    });
    box.onDidAccept(() => {
      const text = box.value;
      const problem = queryProblem({ ...choice.query, text });
      if (problem) {
        box.validationMessage = localized(problem);
        return;
      }
      done({ query: { ...choice.query, text }, maxDepth: choice.maxDepth });
    });
    box.onDidHide(() => done(undefined));
    refresh();
    box.show();
  });
}
