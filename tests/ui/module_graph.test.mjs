// The UI's ES modules (web/ui/assets) as a graph of static imports: every import names a
// file of the UI, and no module reaches itself again. A cycle means a module cannot load
// without the one that imports it (the pages once took the session and the router from
// app.js), and its bindings may be read before they exist. Run by ctest as ui_module_graph:
//   node --test tests/ui/module_graph.test.mjs
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync, existsSync }
  from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const UI_ROOT = fileURLToPath(new URL('../../web/ui/', import.meta.url));
const ASSETS = join(UI_ROOT, 'assets');

// The specifiers of a module's static imports and re-exports, in order. Import clauses hold
// only names, braces, commas and `*`, so the patterns cannot run on into code or strings.
export function importsOf(text) {
  const patterns = [
    /^\s*import\s+[\w$*{}\s,]+?\s+from\s*(['"])([^'"]+)\1/gm,
    /^\s*import\s*(['"])([^'"]+)\1/gm,
    /^\s*export\s*(?:\*(?:\s+as\s+[\w$]+)?|\{[\w$\s,]*\})\s*from\s*(['"])([^'"]+)\1/gm,
  ];
  const found = [];
  for (const pattern of patterns) {
    for (const m of text.matchAll(pattern)) found.push({ at: m.index, specifier: m[2] });
  }
  return found.sort((a, b) => a.at - b.at).map((f) => f.specifier);
}

function jsFiles(dir) {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) return jsFiles(path);
    return name.endsWith('.js') ? [path] : [];
  });
}

// { graph: Map(file -> [imported files]), problems: [text] }, files relative to `root`.
// A specifier is relative ('./', '../') or a served path ('/assets/…', from `root`); a bare
// name would be a library, and the UI uses none.
export function importGraph(root, dir) {
  const graph = new Map();
  const problems = [];
  for (const file of jsFiles(dir).sort()) {
    const from = relative(root, file);
    const targets = [];
    for (const specifier of importsOf(readFileSync(file, 'utf8'))) {
      let target;
      if (specifier.startsWith('./') || specifier.startsWith('../')) {
        target = resolve(dirname(file), specifier);
      } else if (specifier.startsWith('/')) {
        target = join(root, specifier);
      } else {
        problems.push(`${from}: imports '${specifier}', which is not a file of the UI`);
        continue;
      }
      if (!existsSync(target)) {
        problems.push(`${from}: imports '${specifier}', which does not exist`);
        continue;
      }
      targets.push(relative(root, target));
    }
    graph.set(from, targets);
  }
  return { graph, problems };
}

// Every cycle found by a depth-first walk, each as the path that closes it ("a.js → b.js →
// a.js"); empty when the graph has none.
export function findCycles(graph) {
  const state = new Map(); // file -> 'open' while on the path, 'done' after
  const path = [];
  const cycles = [];
  const visit = (file) => {
    state.set(file, 'open');
    path.push(file);
    for (const next of graph.get(file) || []) {
      if (state.get(next) === 'open') {
        cycles.push([...path.slice(path.indexOf(next)), next].join(' → '));
      } else if (!state.has(next)) {
        visit(next);
      }
    }
    path.pop();
    state.set(file, 'done');
  };
  for (const file of [...graph.keys()].sort()) if (!state.has(file)) visit(file);
  return cycles;
}

test('the check finds a cycle through a page and the shell, and reads multi-line imports', () => {
  const dir = mkdtempSync(join(tmpdir(), 'samspil-ui-graph-'));
  try {
    writeFileSync(join(dir, 'app.js'), "import { page } from './page.js';\npage();\n");
    writeFileSync(join(dir, 'page.js'),
      "import {\n  session,\n  navigate as go,\n} from './app.js';\nimport './style-free.js';\n" +
      "export function page() { return 'from \"./nowhere.js\"'; }\n");
    writeFileSync(join(dir, 'style-free.js'), "export * from './lib.js';\n");
    writeFileSync(join(dir, 'lib.js'), "import x from 'left-pad';\nexport const y = 1;\n");
    const { graph, problems } = importGraph(dir, dir);
    assert.deepEqual(graph.get('page.js'), ['app.js', 'style-free.js']);
    assert.deepEqual(graph.get('style-free.js'), ['lib.js']);
    assert.deepEqual(problems, ["lib.js: imports 'left-pad', which is not a file of the UI"]);
    assert.deepEqual(findCycles(graph), ['app.js → page.js → app.js']);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('every import of the UI names one of its files', () => {
  const { graph, problems } = importGraph(UI_ROOT, ASSETS);
  assert.ok(graph.size >= 10, `only ${graph.size} modules found under ${ASSETS}`);
  assert.deepEqual(problems, []);
});

test('no module of the UI imports itself through others', () => {
  const { graph } = importGraph(UI_ROOT, ASSETS);
  assert.deepEqual(findCycles(graph), [], 'import cycles: move what the modules share into a ' +
    'module of its own (session.js, router.js) that imports neither');
});

test('every page loads without the entry point', () => {
  // What the cycle broke in practice: a page must not need app.js, which starts the router.
  const { graph } = importGraph(UI_ROOT, ASSETS);
  const reach = (file, seen = new Set()) => {
    for (const next of graph.get(file) || []) if (!seen.has(next)) { seen.add(next); reach(next, seen); }
    return seen;
  };
  for (const page of [...graph.keys()].filter((f) => f.startsWith('assets/pages/'))) {
    assert.ok(!reach(page).has('assets/app.js'), `${page} imports app.js, directly or not`);
  }
});
