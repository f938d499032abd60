'use strict';
// Renders a stress report.html in headless Chromium (Debian's, never a downloaded build) and checks that a
// risk committee would see every section: summary sentences, VaR table rows, charts with a real size, no
// console errors and no network request. Saves a full-page screenshot.
// Usage: node report-browser.js REPORT.html SCREENSHOT.png [CHROMIUM]
const path = require('path');
const { chromium } = require('playwright-core');

async function main() {
  const [report, shot, exe = '/usr/bin/chromium'] = process.argv.slice(2);
  if (!report || !shot) throw new Error('usage: node report-browser.js REPORT.html SCREENSHOT.png [CHROMIUM]');
  const browser = await chromium.launch({ executablePath: exe, headless: true, args: ['--no-sandbox'], timeout: 30000 });
  const problems = [];
  try {
    const page = await browser.newPage({ viewport: { width: 1100, height: 900 } });
    page.on('console', m => { if (m.type() === 'error') problems.push(`console error: ${m.text()}`); });
    page.on('pageerror', e => problems.push(`page error: ${e.message}`));
    page.on('request', r => { if (!r.url().startsWith('file:')) problems.push(`network request: ${r.url()}`); });
    await page.goto('file://' + path.resolve(report), { waitUntil: 'load', timeout: 30000 });

    const check = (ok, what) => { if (!ok) problems.push(what); else console.log(`ok    ${what}`); };
    const sentences = await page.$$eval('#summary li', li => li.map(x => x.textContent.trim()).filter(t => t.length > 20));
    check(sentences.length >= 3, `executive summary has ${sentences.length} sentences (≥ 3)`);
    check(sentences.some(s => /VaR|No path left bad debt/.test(s)), 'the summary states the bad-debt tail');
    check(sentences.some(s => /Wilson 95% CI/.test(s)), 'the summary states the exhaustion test with its interval');
    for (const id of ['tail-total', 'tail-assets', 'tail-markets', 'exhaustion']) {
      const rows = await page.$$eval(`#${id} tbody tr`, r => r.map(x => x.textContent.trim()).filter(t => t.length > 0));
      check(rows.length > 0, `table #${id} has ${rows.length} non-empty rows`);
    }
    const varCells = await page.$$eval('#tail-total tbody tr:first-child td', td => td.map(x => x.textContent));
    check(varCells.length === 6 && varCells.every(c => /%\)$/.test(c)), 'bad-debt row gives USD and share of book in every column');
    const sections = await page.$$eval('section', s => s.map(x => [x.id, x.textContent.trim().length]));
    for (const [id, len] of sections) check(len > 40, `section #${id} is not empty (${len} characters)`);
    const charts = await page.$$eval('figure svg, figure img', els => els.map(e => { const r = e.getBoundingClientRect(); return [e.closest('figure').id, r.width, r.height]; }));
    check(charts.length >= 2, `${charts.length} charts rendered`);
    for (const [id, w, h] of charts) check(w > 100 && h > 100, `chart #${id} has a size (${Math.round(w)}×${Math.round(h)})`);
    await page.screenshot({ path: shot, fullPage: true });
    console.log(`ok    screenshot ${shot}`);
  } finally {
    await browser.close();
  }
  if (problems.length) {
    for (const p of problems) console.log(`FAIL  ${p}`);
    process.exit(1);
  }
}

main().catch(e => { console.log(`FAIL  ${e.message}`); process.exit(1); });
