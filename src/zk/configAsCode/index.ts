// Config as code (issue 19): a subtree as a folder, compared, planned and applied. The domain
// side; the commands are in src/configAsCode/. Domain layer: no 'vscode' here.
export * from './configTree';
export * from './folderPort';
export * from './nameEscape';
export * from './folderLayout';
export * from './pull';
export * from './plan';
export * from './apply';
export * from './exportConvert';
export * from './exportFiles';
export * from './planReport';
