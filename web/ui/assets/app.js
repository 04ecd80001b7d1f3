// The entry point (index.html): registers the pages at their addresses and starts the
// router. Nothing imports this module, so the pages load without it.
import { addRoute, start } from './router.js';
import { loginPage } from './pages/login.js';
import { casesPage } from './pages/cases.js';
import { openPage } from './pages/open.js';
import { casePage } from './pages/case.js';
import { escalationsPage } from './pages/escalations.js';
import { overviewPage } from './pages/overview.js';

addRoute(/^\/login$/, loginPage, { open: true });
addRoute(/^\/(sager)?$/, casesPage);
addRoute(/^\/opret$/, openPage);
addRoute(/^\/sager\/([^/]+)$/, casePage);
addRoute(/^\/eskaleringer$/, escalationsPage);
addRoute(/^\/overblik$/, overviewPage);

start();
