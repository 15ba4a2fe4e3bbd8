#!/usr/bin/env node
// Browser test of the offline documentation site that tools/build_docs.py writes (Sphinx + myst-nb).
//
//   node tools/test_site.mjs [SITE]                     test every page of SITE (default: _docs)
//   node tools/test_site.mjs _docs --pages 01_theory.html,index.html --screenshots /tmp/site_shots [--full]
//
// The site is served by a small static HTTP server on 127.0.0.1 (a free port) and opened in headless Chromium
// (/usr/bin/chromium, or $CHROMIUM) through playwright-core from tools/node_modules (tools/setup_browser installs both).
// Every page must: load without a failed request, an HTTP error, a request that leaves 127.0.0.1, a page error or a
// console error; decode every image; have MathJax typeset every formula (no $$, \(, \[ or \begin{ left in the text
// outside code, no mjx-merror, and at least one formula on a page whose source has math); show no "#|" directive
// line and no "In [ ]:" prompt; and every internal link must reach a page that exists (HTTP 200) and, for a link with
// a #fragment, an element with that id (or name) there. One line per page, every failure listed, exit 1 on failures.
import { createRequire } from 'node:module';
import http from 'node:http';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const t0 = Date.now();
const toolsDir = path.dirname(fileURLToPath(import.meta.url));
const require = createRequire(path.join(toolsDir, 'package.json'));
let chromium;
try {
  ({ chromium } = require('playwright-core'));
} catch (e) {
  console.error(`playwright-core is missing (${e.message.split('\n')[0]}): run tools/setup_browser`);
  process.exit(2);
}

// ------------------------------------------------------------------------------------------------ arguments
const args = process.argv.slice(2);
const opt = { site: null, pages: null, shots: null, full: false, workers: 2 };
for (let i = 0; i < args.length; i++) {
  const a = args[i];
  if (a === '--pages') opt.pages = args[++i].split(',').map((s) => s.trim()).filter(Boolean);
  else if (a === '--screenshots') opt.shots = args[++i];
  else if (a === '--full') opt.full = true;
  else if (a === '--workers') opt.workers = Math.max(1, parseInt(args[++i], 10) || 1);
  else if (a === '-h' || a === '--help') {
    console.log(fs.readFileSync(fileURLToPath(import.meta.url), 'utf8').split('\n').slice(1, 15).map((l) => l.replace(/^\/\/ ?/, '')).join('\n'));
    process.exit(0);
  } else if (!a.startsWith('--') && opt.site === null) opt.site = a;
  else { console.error(`unknown argument ${a}`); process.exit(2); }
}
let site = path.resolve(opt.site ?? '_docs');
if (!opt.site && !fs.existsSync(site)) site = path.resolve(toolsDir, '..', '_docs');
if (!fs.existsSync(path.join(site, 'index.html'))) {
  console.error(`no site at ${site} (no index.html): build it with python3 tools/build_docs.py`);
  process.exit(2);
}

// ------------------------------------------------------------------------------------------- static server
const TYPES = {
  '.html': 'text/html; charset=utf-8', '.css': 'text/css; charset=utf-8', '.js': 'text/javascript; charset=utf-8',
  '.json': 'application/json', '.png': 'image/png', '.jpg': 'image/jpeg', '.jpeg': 'image/jpeg', '.gif': 'image/gif',
  '.svg': 'image/svg+xml', '.woff': 'font/woff', '.woff2': 'font/woff2', '.otf': 'font/otf', '.ttf': 'font/ttf',
  '.txt': 'text/plain; charset=utf-8', '.md': 'text/plain; charset=utf-8', '.csv': 'text/plain; charset=utf-8',
  '.py': 'text/plain; charset=utf-8',
};
function fileFor(urlPath) {
  let p;
  try { p = decodeURIComponent(urlPath); } catch { return null; }
  const f = path.resolve(site, '.' + path.posix.normalize(p));
  if (f !== site && !f.startsWith(site + path.sep)) return null;
  try {
    const st = fs.statSync(f);
    if (st.isDirectory()) return fs.existsSync(path.join(f, 'index.html')) ? path.join(f, 'index.html') : null;
    return st.isFile() ? f : null;
  } catch { return null; }
}
const server = http.createServer((req, res) => {
  const f = fileFor(new URL(req.url, 'http://x').pathname);
  if (!f) { res.writeHead(404, { 'content-type': 'text/plain' }); res.end('not found'); return; }
  res.writeHead(200, { 'content-type': TYPES[path.extname(f).toLowerCase()] ?? 'application/octet-stream', 'cache-control': 'max-age=600' });
  fs.createReadStream(f).pipe(res);
});
await new Promise((ok) => server.listen(0, '127.0.0.1', ok));
const origin = `http://127.0.0.1:${server.address().port}`;
const isLocal = (u) => /^(data|blob|about):/.test(u) || u.startsWith(origin + '/') || u === origin;

// ---------------------------------------------------------------------------------------------- the pages
function htmlFiles(dir, rel = '') {
  const out = [];
  for (const e of fs.readdirSync(dir, { withFileTypes: true }).sort((a, b) => (a.name < b.name ? -1 : 1))) {
    const r = rel ? `${rel}/${e.name}` : e.name;
    if (e.isDirectory()) { if (r !== 'mathjax') out.push(...htmlFiles(path.join(dir, e.name), r)); }
    else if (e.name.endsWith('.html')) out.push(r);
  }
  return out;
}
let pages = htmlFiles(site);
if (opt.pages) {
  const missing = opt.pages.filter((p) => !pages.includes(p));
  if (missing.length) { console.error(`no such pages: ${missing.join(', ')}`); process.exit(2); }
  pages = opt.pages;
}

// does the page's source have math? (its text outside code, scripts and tags, before MathJax)
function sourceHasMath(file) {
  const s = fs.readFileSync(file, 'utf8')
    .replace(/<(script|style|pre|code|title)\b[\s\S]*?<\/\1>/gi, ' ')
    .replace(/<[^>]*>/g, ' ')
    .replace(/&amp;/g, '&').replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&#36;|&dollar;/g, '$');
  return /\$\$|\$[^\s$][^$\n]*\$|\\\(|\\\[|\\begin\{/.test(s);
}

const browser = await chromium.launch({
  executablePath: process.env.CHROMIUM || '/usr/bin/chromium',
  args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking',
    '--disable-component-update', '--disable-sync', '--host-resolver-rules=MAP * ~NOTFOUND, EXCLUDE 127.0.0.1'],
});
const context = await browser.newContext({ viewport: { width: 1400, height: 1000 }, serviceWorkers: 'block' });
const blocked = [];
await context.route('**/*', (route) => {
  const u = route.request().url();
  if (isLocal(u)) return route.continue();
  blocked.push(u);
  return route.abort('blockedbyclient');
});
if (opt.shots) fs.mkdirSync(opt.shots, { recursive: true });

const results = new Map(); // page -> {fails, info, links, ids}

async function checkPage(name) {
  const t = Date.now();
  const fails = [];
  const url = `${origin}/${name.split('/').map(encodeURIComponent).join('/')}`;
  const page = await context.newPage();
  page.on('request', (r) => { if (!isLocal(r.url())) fails.push(`request to a non-local host: ${r.url()}`); });
  page.on('requestfailed', (r) => {
    if (isLocal(r.url())) fails.push(`failed request: ${r.url()} (${r.failure()?.errorText})`);
  });
  page.on('response', (r) => { if (r.status() >= 400) fails.push(`HTTP ${r.status()}: ${r.url()}`); });
  page.on('pageerror', (e) => fails.push(`page error: ${e.message.split('\n')[0]}`));
  page.on('console', (m) => { if (m.type() === 'error') fails.push(`console error: ${m.text().slice(0, 300)}`); });
  let r = {};
  try {
    const resp = await page.goto(url, { waitUntil: 'load', timeout: 60000 });
    if (!resp || resp.status() !== 200) fails.push(`page status ${resp?.status()}`);
    r = await page.evaluate(async () => {
      const out = {};
      if (!window.MathJax || !window.MathJax.startup || !window.MathJax.startup.promise) out.noMathJax = true;
      else {
        await window.MathJax.startup.promise;
        await document.fonts.ready; // MathJax's fonts load after typesetting: their requests are checked too
        out.formulas = document.querySelectorAll('mjx-container').length;
        out.merrors = [...document.querySelectorAll('mjx-merror')].map((e) =>
          (e.getAttribute('data-mjx-error') || e.textContent || '').slice(0, 120));
      }
      const imgs = [...document.images];
      await Promise.all(imgs.map((i) => (i.complete ? i.decode?.().catch(() => {}) : new Promise((ok) => {
        i.addEventListener('load', ok); i.addEventListener('error', ok);
      }))));
      out.images = imgs.length;
      out.badImages = imgs.filter((i) => !(i.complete && i.naturalWidth > 0)).map((i) => (i.getAttribute('src') || '').slice(0, 100));
      // the visible text outside code: raw TeX left there was not typeset
      const skip = 'pre, code, script, style, textarea, mjx-container, .highlight';
      const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT, {
        acceptNode: (n) => (n.parentElement && n.parentElement.closest(skip) ? NodeFilter.FILTER_REJECT : NodeFilter.FILTER_ACCEPT),
      });
      const chunks = [];
      while (walker.nextNode()) chunks.push(walker.currentNode.nodeValue);
      const prose = chunks.join(' ');
      out.tex = [];
      for (const pat of ['$$', '\\(', '\\[', '\\begin{']) {
        let i = prose.indexOf(pat);
        while (i >= 0 && out.tex.length < 20) {
          out.tex.push(`${pat} in "…${prose.slice(Math.max(0, i - 50), i + 70).replace(/\s+/g, ' ')}…"`);
          i = prose.indexOf(pat, i + pat.length);
        }
      }
      // and TeX whose delimiters MathJax could not pair (an unbalanced brace): "$\frac", "\mathbb{R}" in the text
      for (const m of prose.matchAll(/\$\\[A-Za-z]+|\\[A-Za-z]+\{/g)) {
        if (out.tex.length >= 20) break;
        out.tex.push(`${m[0]} in "…${prose.slice(Math.max(0, m.index - 50), m.index + 70).replace(/\s+/g, ' ')}…"`);
      }
      const text = document.body.innerText;
      out.directives = text.split('\n').filter((l) => /^\s*#\s*\|/.test(l)).map((l) => l.trim().slice(0, 100));
      out.prompts = text.split('\n').filter((l) => /^\s*(In|Out)\s*\[[\s\d*]*\]:/.test(l)).map((l) => l.trim().slice(0, 100));
      out.links = [...document.querySelectorAll('a[href]')].map((a) => ({ href: a.href, raw: a.getAttribute('href'), text: a.textContent.trim().slice(0, 60) }));
      out.ids = [...document.querySelectorAll('[id]')].map((e) => e.id).concat([...document.querySelectorAll('a[name]')].map((e) => e.getAttribute('name')));
      out.title = document.title;
      out.declaredMath = document.body.dataset.hasMath === '1';
      return out;
    });
    if (opt.shots) {
      const file = path.join(opt.shots, name.replace(/\//g, '__').replace(/\.html$/, '.png'));
      await page.screenshot({ path: file, fullPage: opt.full });
    }
  } catch (e) {
    fails.push(`could not test the page: ${e.message.split('\n')[0]}`);
  }
  await page.close();
  if (r.noMathJax) fails.push('MathJax did not load (no MathJax.startup.promise)');
  for (const m of r.merrors ?? []) fails.push(`MathJax error: ${m}`);
  for (const s of r.badImages ?? []) fails.push(`image not decoded: ${s}`);
  for (const s of r.tex ?? []) fails.push(`TeX not typeset: ${s}`);
  for (const s of r.directives ?? []) fails.push(`directive line shown: ${s}`);
  for (const s of r.prompts ?? []) fails.push(`prompt shown: ${s}`);
  const hasMath = r.declaredMath || sourceHasMath(path.join(site, name));
  if (hasMath && !r.noMathJax && r.formulas === 0) fails.push('the page has math but MathJax typeset no formula');
  if (r.title !== undefined && !r.title.trim()) fails.push('empty <title>');
  results.set(name, { fails, r, ms: Date.now() - t, hasMath });
}

const queue = [...pages];
await Promise.all(Array.from({ length: Math.min(opt.workers, queue.length) }, async () => {
  while (queue.length) await checkPage(queue.shift());
}));

// ----------------------------------------------------------------------------------------- internal links
const idCache = new Map(); // target path -> {status, ids:Set|null}
for (const [name, { r }] of results) idCache.set('/' + name, { status: 200, ids: new Set(r.ids ?? []) });
async function target(pathname) {
  if (!idCache.has(pathname)) {
    const f = fileFor(pathname);
    let entry = { status: 404, ids: null };
    if (f) {
      entry = { status: 200, ids: null };
      if (f.endsWith('.html')) {
        const s = fs.readFileSync(f, 'utf8');
        const dec = (v) => v.replace(/&quot;/g, '"').replace(/&#x27;|&#39;/g, "'").replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&amp;/g, '&');
        entry.ids = new Set([...s.matchAll(/\s(?:id|name)="([^"]*)"/g)].map((m) => dec(m[1])));
      }
    }
    // ask the server too: what the browser would get
    const resp = await fetch(origin + pathname).catch(() => null);
    entry.status = resp ? resp.status : 0;
    if (resp) await resp.arrayBuffer();
    idCache.set(pathname, entry);
  }
  return idCache.get(pathname);
}
let nLinks = 0;
for (const [name, res] of results) {
  for (const l of res.r.links ?? []) {
    let u;
    try { u = new URL(l.href); } catch { res.fails.push(`bad link ${l.raw}`); continue; }
    if (u.origin !== origin) continue; // external links are not followed (and nothing external is loaded)
    nLinks++;
    let p = u.pathname;
    if (p.endsWith('/')) p += 'index.html';
    const t = await target(p);
    if (t.status !== 200) { res.fails.push(`broken link "${l.raw}" (${l.text}): HTTP ${t.status} for ${p}`); continue; }
    if (u.hash.length > 1) {
      const frag = u.hash.slice(1);
      let decoded = frag;
      try { decoded = decodeURIComponent(frag); } catch { /* keep it */ }
      if (!t.ids) res.fails.push(`link "${l.raw}" (${l.text}): #${frag} in a file that is not a page`);
      else if (!t.ids.has(frag) && !t.ids.has(decoded)) res.fails.push(`broken anchor "${l.raw}" (${l.text}): no id "${decoded}" in ${p.slice(1)}`);
    }
  }
}

// --------------------------------------------------------------------------------------------------- report
let failed = 0;
for (const name of pages) {
  const { fails, r, ms, hasMath } = results.get(name);
  const uniq = [...new Set(fails)];
  const info = `${r.formulas ?? 0} formulas${hasMath ? '' : ' (no math)'}, ${r.images ?? 0} images, ${(r.links ?? []).length} links, ${(ms / 1000).toFixed(1)} s`;
  console.log(`${uniq.length ? 'FAIL' : 'ok  '} ${name.padEnd(26)} ${info}${r.title ? `  "${r.title}"` : ''}`);
  for (const f of uniq) console.log(`       ${name}: ${f}`);
  if (uniq.length) failed++;
}
if (blocked.length) console.log(`blocked ${blocked.length} requests to other hosts: ${[...new Set(blocked)].slice(0, 10).join(', ')}`);
await browser.close();
server.close();
const secs = ((Date.now() - t0) / 1000).toFixed(1);
console.log(`${failed ? 'FAILED' : 'passed'}: ${pages.length - failed} of ${pages.length} pages good, ${nLinks} internal links checked, in ${secs} s`);
process.exit(failed || blocked.length ? 1 : 0);
