// Every command id of the extension, in one place: registrations, menus tests and internal
// executeCommand calls use these constants, never the string. `CONTRIBUTED` must be exactly
// package.json's contributes.commands (test/ui/commandIds.test.ts checks both directions).

/** The commands package.json contributes (palette, menus, keybindings). */
export const CONTRIBUTED = {
  addConnection: 'zookeeper.addConnection',
  editConnection: 'zookeeper.editConnection',
  removeConnection: 'zookeeper.removeConnection',
  connect: 'zookeeper.connect',
  disconnect: 'zookeeper.disconnect',
  reconnect: 'zookeeper.reconnect',
  refresh: 'zookeeper.refresh',
  loadMore: 'zookeeper.loadMore',
  copyPath: 'zookeeper.copyPath',
  filterChildren: 'zookeeper.filterChildren',
  clearFilter: 'zookeeper.clearFilter',
  createChild: 'zookeeper.createChild',
  deleteNode: 'zookeeper.deleteNode',
  goToZnode: 'zookeeper.goToZnode',
  revealZnode: 'zookeeper.revealZnode',
  showHolders: 'zookeeper.showHolders',
  exportSubtree: 'zookeeper.exportSubtree',
  importSubtree: 'zookeeper.importSubtree',
  watchNode: 'zookeeper.watchNode',
  watchSubtree: 'zookeeper.watchSubtree',
  unwatch: 'zookeeper.unwatch',
  unwatchAll: 'zookeeper.unwatchAll',
  openZnode: 'zookeeper.openZnode',
  openZnodeUri: 'zookeeper.openZnodeUri',
  openAsText: 'zookeeper.openAsText',
  showNodeDetails: 'zookeeper.showNodeDetails',
  editAcl: 'zookeeper.editAcl',
  addAclEntry: 'zookeeper.addAclEntry',
  removeAclEntry: 'zookeeper.removeAclEntry',
  compareWith: 'zookeeper.compareWith',
  editAsBase64: 'zookeeper.editAsBase64',
  editAsHex: 'zookeeper.editAsHex',
  reopenWithEncoding: 'zookeeper.reopenWithEncoding',
  saveZnode: 'zookeeper.saveZnode',
  explainReadOnly: 'zookeeper.explainReadOnly',
  showClusterHealth: 'zookeeper.showClusterHealth',
  findInSubtree: 'zookeeper.findInSubtree',
  searchRerun: 'zookeeper.search.rerun',
  searchClear: 'zookeeper.search.clear',
  searchAnotherConnection: 'zookeeper.search.anotherConnection',
  searchOpenResult: 'zookeeper.search.openResult',
  findBigZnodes: 'zookeeper.findBigZnodes',
  findInExportFile: 'zookeeper.findInExportFile',
  setQuota: 'zookeeper.setQuota',
  removeQuota: 'zookeeper.removeQuota',
  showSessions: 'zookeeper.showSessions',
  openSnapshot: 'zookeeper.openSnapshot',
  openTransactionLog: 'zookeeper.openTransactionLog',
  showHistory: 'zookeeper.showHistory',
  compareSnapshots: 'zookeeper.compareSnapshots',
  offlineCompareWithSnapshot: 'zookeeper.offline.compareWithSnapshot',
  offlineClose: 'zookeeper.offline.close',
  offlineFilterTransactions: 'zookeeper.offline.filterTransactions',
  offlineClearFilter: 'zookeeper.offline.clearFilter',
  offlineShowMore: 'zookeeper.offline.showMore',
  offlineLoadMoreTransactions: 'zookeeper.offline.loadMoreTransactions',
  pullSubtreeToFolder: 'zookeeper.pullSubtreeToFolder',
  compareFolderWithSubtree: 'zookeeper.compareFolderWithSubtree',
  applyFolderToSubtree: 'zookeeper.applyFolderToSubtree',
  convertExportToFolder: 'zookeeper.convertExportToFolder',
  convertFolderToExport: 'zookeeper.convertFolderToExport',
  addMember: 'zookeeper.addMember',
  removeMember: 'zookeeper.removeMember',
  changeRole: 'zookeeper.changeRole',
} as const;

/** Commands registered but not contributed: the targets of status bar items and links. */
export const INTERNAL = {
  serverChangeActions: 'zookeeper.serverChangeActions',
} as const;

/** Every command of the extension by name: `COMMANDS.openZnode`. */
export const COMMANDS = { ...CONTRIBUTED, ...INTERNAL } as const;

export type CommandId = (typeof COMMANDS)[keyof typeof COMMANDS];

/** Commands of VS Code itself that the extension runs. */
export const VSCODE_COMMANDS = {
  setContext: 'setContext',
  diff: 'vscode.diff',
  markdownPreview: 'markdown.showPreview',
  save: 'workbench.action.files.save',
  revert: 'workbench.action.files.revert',
  openSettingsJson: 'workbench.action.openSettingsJson',
  /** The focus command VS Code makes for the search results view. */
  focusSearchResults: 'zookeeper.search.focus',
} as const;
