// Browser test of ImportanceExplorer in JupyterLab; tools/test_jupyterlab starts the server and calls this.
//   node tools/test_jupyterlab.mjs --url http://127.0.0.1:PORT --token TOKEN [--notebook 02_toy_gan.ipynb]
//        [--screenshots DIR] [--slider "mean x"] [--keys PageUp]   (keys: comma-separated, pressed on the slider's handle)
//        [--comms-over-subshells disabled]   (wait until the kernel connection has this setting)
// Lab must run with --LabApp.expose_app_in_browser=True (window.jupyterapp): the notebook's cells are found,
// selected and run through Lab's own commands; the slider is moved with real key presses on its handle.
import { createRequire } from 'node:module';
import { createHash } from 'node:crypto';
import { mkdirSync } from 'node:fs';
import path from 'node:path';

const require = createRequire(import.meta.url);  // resolves from tools/, so tools/node_modules is found from anywhere
const { chromium } = require('playwright-core');

const opts = { notebook: '02_toy_gan.ipynb', screenshots: 'build/screenshots', slider: 'mean x', keys: 'PageUp' };
for (let i = 2; i < process.argv.length; i += 2) opts[process.argv[i].replace(/^--/, '')] = process.argv[i + 1];
if (!opts.url || !opts.token) { console.error('usage: test_jupyterlab.mjs --url URL --token TOKEN [...]'); process.exit(2); }
mkdirSync(opts.screenshots, { recursive: true });

const T0 = Date.now();
const secs = () => ((Date.now() - T0) / 1000).toFixed(1);
const log = msg => console.log(`[${secs().padStart(5)} s] ${msg}`);
const sha = s => createHash('sha256').update(s ?? '').digest('hex').slice(0, 16);
class TestFailure extends Error {}
const check = (ok, msg) => { if (!ok) throw new TestFailure(msg); };

// poll a page function until it returns a truthy value; on timeout fail with `what` and the last value seen
async function waitFor(page, what, fn, arg, timeout = 60_000, interval = 200) {
  const t = Date.now();
  let last;
  for (;;) {
    try { last = await page.evaluate(fn, arg); }  // the page may still be navigating (login redirect, reload)
    catch (e) { last = { ok: false, error: String(e).slice(0, 200) }; }
    if (last && last.ok) return last;
    if (Date.now() - t > timeout) throw new TestFailure(`timed out after ${timeout / 1000} s waiting for ${what}: ${JSON.stringify(last)}`);
    await page.waitForTimeout(interval);
  }
}

// the error outputs (output_type error, or stderr with a traceback) of the cells up to `idx`, one line each
async function collectErrors(page, idx) {
  return page.evaluate(idx => {
    const out = [];
    window.__panel.content.widgets.slice(0, idx + 1).forEach((c, i) => {
      c.node.querySelectorAll('.jp-OutputArea-output[data-mime-type="application/vnd.jupyter.stderr"]').forEach(o => {
        if (/Error|Traceback/.test(o.textContent)) out.push(`cell ${i + 1}: ${o.textContent.trim().split('\n').slice(-3).join(' | ').slice(0, 400)}`);
      });
      const outputs = c.model.outputs;
      for (let j = 0; outputs && j < outputs.length; j++) {
        const o = outputs.get(j).toJSON();
        if (o.output_type === 'error')  // the traceback without its colours, so that the CI log says where it failed
          out.push(`cell ${i + 1}: ${o.ename}: ${o.evalue}\n    ${(o.traceback || []).join('\n').replace(/\x1b\[[0-9;]*m/g, '').split('\n').slice(-60).join('\n    ')}`);
      }
    });
    return [...new Set(out)];
  }, idx);
}

// the kernel's error messages, and its stderr if that holds a traceback or an error's name
function kernelErrors(k) {
  const out = [...(k?.errors ?? [])];
  if (/Traceback|Error\b/.test(k?.stderr ?? '')) out.push(`stderr: ...${k.stderr.slice(-1500)}`);
  return out;
}

// the share of the explorer's figure that is not white (its panels are mostly coloured; a figure drawn while
// another thread used matplotlib can come out blank)
async function ink(cell) {
  return cell.evaluate(async el => {
    const img = el.querySelector('.jupyter-widgets .widget-output img, .jupyter-widgets .jupyter-widgets-output-area img');
    await img.decode();
    const c = document.createElement('canvas');
    c.width = img.naturalWidth; c.height = img.naturalHeight;
    const g = c.getContext('2d');
    g.drawImage(img, 0, 0);
    const d = g.getImageData(0, 0, c.width, c.height).data;
    let n = 0;
    for (let i = 0; i < d.length; i += 4) if (d[i] < 240 || d[i + 1] < 240 || d[i + 2] < 240) n++;
    return n / (d.length / 4);
  });
}

const consoleErrors = [], external = [];
let browser, page, failure = null;
const result = {};
try {
  browser = await chromium.launch({
    executablePath: process.env.CHROMIUM || '/usr/bin/chromium',
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking',
           '--disable-component-update', '--disable-sync', '--disable-dev-shm-usage'],
  });
  const context = await browser.newContext({ viewport: { width: 1400, height: 950 } });
  page = await context.newPage();
  page.on('console', m => { if (m.type() === 'error') consoleErrors.push(m.text().slice(0, 300)); });
  page.on('pageerror', e => consoleErrors.push(`pageerror: ${String(e).slice(0, 300)}`));
  const origin = new URL(opts.url).origin;
  page.on('request', r => { if (!r.url().startsWith(origin) && !/^(data|blob|about):/.test(r.url())) external.push(r.url()); });
  log(`chromium ${browser.version()} started`);

  await page.goto(`${opts.url}/lab/tree/${encodeURIComponent(opts.notebook)}?token=${opts.token}`, { waitUntil: 'domcontentloaded' });

  // 1. Lab, the notebook and its kernel are ready
  await waitFor(page, 'window.jupyterapp (start Lab with --LabApp.expose_app_in_browser=True)',
    () => ({ ok: !!(window.jupyterapp && window.jupyterapp.shell) }), null, 60_000);
  const ready = await waitFor(page, `the notebook ${opts.notebook} and an idle kernel`, ([nb, subshells]) => {
    const app = window.jupyterapp;
    const panel = [...app.shell.widgets('main')].find(w => w.context && w.context.path === nb);
    const dialog = document.querySelector('.jp-Dialog');
    if (dialog) return { ok: false, dialog: dialog.innerText.slice(0, 200) };
    if (!panel) return { ok: false, state: 'no notebook panel yet' };
    const kernel = panel.sessionContext.session?.kernel;
    const state = { ok: false, contextReady: panel.context.isReady, sessionReady: panel.sessionContext.isReady,
                    kernel: kernel?.status, cells: panel.content.widgets.length, commsOverSubshells: kernel?.commsOverSubshells };
    state.ok = state.contextReady && state.sessionReady && state.kernel === 'idle' && state.cells > 0
               && (!subshells || state.commsOverSubshells === subshells);  // Lab applies its kernel settings once started
    return state;
  }, [opts.notebook, opts['comms-over-subshells']], 90_000, 250);
  log(`notebook open, kernel idle (${ready.cells} cells, commsOverSubshells ${ready.commsOverSubshells})`);

  // 2. find the display cell (source `ImportanceExplorer()` on a line of its own, not the class), mark it,
  //    clear every output (so the error check sees only this run), select it and run everything above, then it
  const target = await page.evaluate(async nb => {
    const app = window.jupyterapp;
    const panel = [...app.shell.widgets('main')].find(w => w.context && w.context.path === nb);
    app.shell.activateById(panel.id);
    app.shell.collapseLeft?.();  // the file browser would only take room from the screenshots
    const cells = panel.content.widgets;
    const idx = cells.findLastIndex(c => c.model.type === 'code' && /^\s*ImportanceExplorer\(\s*\)\s*;?\s*$/m.test(c.model.sharedModel.getSource())
                                        && !/^\s*class\s+ImportanceExplorer\b/m.test(c.model.sharedModel.getSource()));
    if (idx < 0) return { idx };
    window.__panel = panel;
    // everything the kernel reports on stderr or as an error, also what no cell shows: an exception in a
    // widget's callback (the slider's redraw) goes to Lab's log console, not to the cell
    window.__kernelErrors = { stderr: '', errors: [] };
    panel.sessionContext.session.kernel.iopubMessage.connect((_, msg) => {
      const c = msg.content;
      if (msg.header.msg_type === 'error')
        window.__kernelErrors.errors.push(`${c.ename}: ${c.evalue}\n    ${(c.traceback || []).join('\n').replace(/\x1b\[[0-9;]*m/g, '').split('\n').slice(-40).join('\n    ')}`);
      if (msg.header.msg_type === 'stream' && c.name === 'stderr') window.__kernelErrors.stderr += c.text;
    });
    cells[idx].node.setAttribute('data-test-explorer-cell', '');
    await app.commands.execute('notebook:clear-all-cell-outputs');
    panel.content.activeCellIndex = idx;
    panel.content.mode = 'command';
    window.__run = { done: false };
    (async () => {
      try {
        window.__run.above = await app.commands.execute('notebook:run-all-above');
        window.__run.cell = await app.commands.execute('notebook:run-cell');
      } catch (e) { window.__run.error = String(e); }
      window.__run.done = true;
    })();
    return { idx, n: cells.length, source: cells[idx].model.sharedModel.getSource() };
  }, opts.notebook);
  check(target.idx >= 0, 'no code cell with `ImportanceExplorer()` on a line of its own in the notebook');
  log(`running cells 1-${target.idx} above the explorer, then cell ${target.idx + 1} of ${target.n}: ${JSON.stringify(target.source)}`);

  // 3. the explorer is drawn: five sliders and a figure (an <img>) in its Output widget
  const cell = page.locator('[data-test-explorer-cell]');
  const state = async () => cell.evaluate(el => {
    const img = el.querySelector('.jupyter-widgets .widget-output img, .jupyter-widgets .jupyter-widgets-output-area img');
    const sliders = [...el.querySelectorAll('.widget-slider')].map(s => ({
      label: s.querySelector('.widget-label')?.textContent.trim(),
      readout: s.querySelector('.widget-readout')?.textContent.trim(),
      now: s.querySelector('.noUi-handle')?.getAttribute('aria-valuenow') }));
    return { img: img ? img.getAttribute('src') : null, width: img?.naturalWidth ?? 0, sliders, kernel: window.__panel.sessionContext.session?.kernel?.status,
             run: window.__run, kernelErrors: window.__kernelErrors };
  });
  const t3 = Date.now();
  for (;;) {
    const s = await state();
    if (s.run.done && s.run.error) throw new TestFailure(`running the cells failed: ${s.run.error}`);
    if (s.run.done && (s.run.above === false || s.run.cell === false))
      throw new TestFailure(`a cell failed (run-all-above ${s.run.above}, run-cell ${s.run.cell}):\n${(await collectErrors(page, target.idx)).join('\n')}`);
    if (s.img && s.width > 0 && s.sliders.length >= 5) break;
    if (Date.now() - t3 > 120_000) throw new TestFailure(`timed out waiting for the explorer's sliders and figure: ${JSON.stringify({ ...s, img: s.img?.slice(0, 40) })}`);
    await page.waitForTimeout(250);
  }
  await waitFor(page, 'the run to finish', () => ({ ok: window.__run.done, run: window.__run }), null, 60_000);
  log('explorer drawn: sliders and figure');
  await cell.evaluate(el => el.scrollIntoView({ block: 'start' }));
  await page.waitForTimeout(300);  // let the scroll and the image settle before the screenshot
  const before = await state();
  const inkBefore = await ink(cell);
  check(inkBefore > 0.2, `the explorer's figure is (nearly) blank: ${(100 * inkBefore).toFixed(1)}% of its pixels are not white`);
  const shot1 = path.join(opts.screenshots, 'jupyterlab_explorer_before.png');
  await page.screenshot({ path: shot1 });

  // 4. move a slider with the keyboard: focus its handle and press ArrowRight; continuous_update=False, so the
  //    kernel gets each released value and redraws; wait until the figure changes and the run is idle again
  const slider = cell.locator('.widget-slider').filter({ has: page.locator('.widget-label', { hasText: opts.slider }) }).first();
  check(await slider.count() === 1, `no slider labelled "${opts.slider}"; sliders: ${before.sliders.map(s => s.label).join(', ')}`);
  const sBefore = before.sliders.find(s => s.label.includes(opts.slider));
  const nKernelErrors = kernelErrors(before.kernelErrors).length;
  await slider.locator('.noUi-handle').focus();
  for (const key of opts.keys.split(',')) await page.keyboard.press(key);
  const t4 = Date.now();
  let after, stableSince = null, lastImg = null;
  for (;;) {  // the figure differs from before, the readout moved, the kernel is idle and the image unchanged for 1 s
    after = await state();
    const changed = after.img && after.img !== before.img && after.width > 0;
    if (after.img !== lastImg || after.kernel !== 'idle') { lastImg = after.img; stableSince = Date.now(); }
    const sAfter = after.sliders.find(s => s.label.includes(opts.slider));
    if (changed && sAfter.readout !== sBefore.readout && Date.now() - stableSince > 1000) break;
    if (kernelErrors(after.kernelErrors).length > nKernelErrors) break;  // the redraw failed: no need to wait
    if (Date.now() - t4 > 30_000) break;
    await page.waitForTimeout(200);
  }
  const sAfter = after.sliders.find(s => s.label.includes(opts.slider));
  log(`slider moved (${opts.keys}); waited ${((Date.now() - t4) / 1000).toFixed(1)} s for the redraw`);
  await cell.evaluate(el => el.scrollIntoView({ block: 'start' }));
  const shot2 = path.join(opts.screenshots, 'jupyterlab_explorer_after.png');
  await page.screenshot({ path: shot2 });
  Object.assign(result, { slider: opts.slider, before: sBefore.readout, after: sAfter.readout,
                          imgBefore: sha(before.img), imgAfter: sha(after.img), shots: [shot1, shot2] });
  const kErrors = kernelErrors(after.kernelErrors);
  check(kErrors.length === 0, `the kernel reported an error (stderr or error message):\n${kErrors.join('\n')}`);
  check(sAfter.readout !== sBefore.readout, `the "${opts.slider}" readout did not change (${sBefore.readout})`);
  check(Number(sAfter.readout) > Number(sBefore.readout), `the "${opts.slider}" readout went ${sBefore.readout} -> ${sAfter.readout}, expected it to grow`);
  check(after.img && after.img !== before.img, `the figure did not change within 30 s of moving "${opts.slider}" (image ${sha(before.img)})`);
  result.inkAfter = await ink(cell);
  result.inkBefore = inkBefore;
  check(result.inkAfter > 0.2, `the redrawn figure is (nearly) blank: ${(100 * result.inkAfter).toFixed(1)}% of its pixels are not white`);

  // 5. no cell of the run shows an error (tracebacks are rendered as stderr) or has an error output
  const errors = await collectErrors(page, target.idx);
  check(errors.length === 0, `error output in the notebook:\n${errors.join('\n')}`);
} catch (e) {
  failure = e instanceof TestFailure ? e.message : (e && e.stack) || String(e);
  if (page) {
    const shot = path.join(opts.screenshots, 'jupyterlab_failure.png');
    try { await page.screenshot({ path: shot }); console.log(`screenshot of the failure: ${shot}`); } catch {}
  }
} finally {
  if (browser) await browser.close().catch(() => {});
}

if (external.length) console.log(`note: the page asked for ${external.length} non-local URL(s): ${[...new Set(external)].slice(0, 5).join(' ')}`);
if (failure && consoleErrors.length) console.log(`browser console errors:\n  ${consoleErrors.slice(0, 10).join('\n  ')}`);
const summary = result.slider
  ? `slider "${result.slider}" ${result.before} -> ${result.after}, figure sha256 ${result.imgBefore} -> ${result.imgAfter}` +
    (result.inkAfter !== undefined ? ` (inked ${(100 * result.inkBefore).toFixed(0)}% -> ${(100 * result.inkAfter).toFixed(0)}%)` : '')
  : 'no slider moved';
if (failure) {
  console.log(`FAIL jupyterlab explorer test (${secs()} s): ${failure}\n     ${summary}`);
  process.exit(1);
}
console.log(`PASS jupyterlab explorer test (${secs()} s): ${summary}; screenshots ${result.shots.join(' ')}`);
