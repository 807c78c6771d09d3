// Stylesheets imported by webview entries are emitted by esbuild as <entry>.css next to the bundle.
declare module '*.css';
