// Entry of the Cluster Health panel (bundled on its own to dist/webview/health.js). uPlot's
// stylesheet is imported here so that esbuild emits it as dist/webview/health.css, which the
// panel links from a file (the CSP allows no inline styles).
import 'uplot/dist/uPlot.min.css';
import { startHealthApp } from './health/app';

const root = document.getElementById('app');
if (root) startHealthApp(root);
