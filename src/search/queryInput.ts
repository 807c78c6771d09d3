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
// Getters: the words are read when shown, in the display language.
const TARGET_WORDS: Readonly<Record<SearchTarget, string>> = {
  get all() { return vscode.l10n.t('names, paths and data'); },
  get names() { return vscode.l10n.t('names'); },
  get paths() { return vscode.l10n.t('paths'); },
  get data() { return vscode.l10n.t('data'); },
};
const MODE_WORDS: Readonly<Record<SearchMode, string>> = {
  get substring() { return vscode.l10n.t('text'); },
  get word() { return vscode.l10n.t('whole word'); },
  get regex() { return vscode.l10n.t('regular expression'); },
  get glob() { return vscode.l10n.t('glob (* ? [ ])'); },
};
const DEPTHS: (number | undefined)[] = [undefined, 1, 2, 3, 5, 10];

export function describeChoice(c: SearchChoice): string {
  const depth = c.maxDepth === undefined ? vscode.l10n.t('all levels') : c.maxDepth === 1 ? vscode.l10n.t('1 level down') : vscode.l10n.t('{0} levels down', c.maxDepth);
  const caseWord = c.query.caseSensitive ? vscode.l10n.t('match case') : vscode.l10n.t('ignore case');
  return vscode.l10n.t('{0}, {1}, in {2}, {3}', MODE_WORDS[c.query.mode], caseWord, TARGET_WORDS[c.query.target], depth);
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
    const onOff = (on: boolean) => (on ? vscode.l10n.t('on') : vscode.l10n.t('off'));
    box.buttons = [
      button('case-sensitive', vscode.l10n.t('Match Case ({0})', onOff(choice.query.caseSensitive))),
      button('whole-word', vscode.l10n.t('Match Whole Word ({0})', onOff(choice.query.mode === 'word'))),
      button('regex', vscode.l10n.t('Use Regular Expression ({0})', onOff(choice.query.mode === 'regex'))),
      button('symbol-string', vscode.l10n.t('Glob on Names or Paths ({0})', onOff(choice.query.mode === 'glob'))),
      button('list-filter', vscode.l10n.t('Search In: {0} (click for the next)', TARGET_WORDS[choice.query.target])),
      button('list-tree', vscode.l10n.t('Depth: {0} (click for the next)', choice.maxDepth ?? vscode.l10n.t('all levels'))),
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
