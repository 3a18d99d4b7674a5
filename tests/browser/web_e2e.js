'use strict';
// Driven by web_e2e.sh: the workspace in headless chromium, as a finance clerk uses it.
const puppeteer = require('puppeteer-core');
const fs = require('fs');
const path = require('path');

const { execFileSync } = require('child_process');

const { CHROMIUM, BASE, SOURCE, OUT, JIXIAO, DATA } = process.env;
const failures = [];
const check = (ok, what) => { if (!ok) { failures.push(what); console.log('FAIL: ' + what); } else console.log('ok: ' + what); };
const sampleFiles = (name) => fs.readdirSync(path.join(SOURCE, 'samples', name)).filter((f) => f !== 'README.md')
  .map((f) => path.join(SOURCE, 'samples', name, f));

/// The names in a zip, from its central directory.
function zipNames(buffer) {
  let end = buffer.length - 22;
  while (end > 0 && buffer.readUInt32LE(end) !== 0x06054b50) end--;
  const count = buffer.readUInt16LE(end + 10);
  let at = buffer.readUInt32LE(end + 16);
  const names = [];
  for (let i = 0; i < count; i++) {
    const flags = buffer.readUInt16LE(at + 8);
    const n = buffer.readUInt16LE(at + 28), x = buffer.readUInt16LE(at + 30), c = buffer.readUInt16LE(at + 32);
    names.push({ name: buffer.toString((flags & 0x800) ? 'utf8' : 'latin1', at + 46, at + 46 + n), utf8: (flags & 0x800) !== 0 });
    at += 46 + n + x + c;
  }
  return names;
}

/// The public site's check for sideways scrolling and cut-off cells (overflow.js).
const OVERFLOW_CHECK = fs.readFileSync(path.join(SOURCE, 'tests', 'browser', 'overflow.js'), 'utf8');

/// Screenshots at both widths; `fullPage` takes the whole page, not only what the window shows.
/// At phone width the page must not scroll sideways, nor any table (overflow.js).
async function shoot(page, name, fullPage = false) {
  for (const [w, h] of [[1366, 768], [390, 844]]) {
    await page.setViewport({ width: w, height: h });
    await new Promise((r) => setTimeout(r, 200));
    const file = path.join(OUT, `${name}-${w}x${h}.png`);
    await page.screenshot({ path: file, fullPage });
    check(fs.statSync(file).size > 5000, `screenshot ${path.basename(file)} is not blank`);
    if (w === 390) {
      await page.evaluate(OVERFLOW_CHECK);
      const overflow = await page.evaluate(() => document.documentElement.getAttribute('data-overflow'));
      check(overflow === 'none', `${name} at ${w}x${h}: nothing scrolls sideways or is cut off (${overflow})`);
    }
  }
  await page.setViewport({ width: 1366, height: 768 });
}

/// Goes to a view of the page (a same-document navigation: the hash changes, nothing reloads).
async function visit(page, hash) {
  await page.evaluate((h) => { location.hash = h; }, hash);
  await new Promise((r) => setTimeout(r, 300));
}

async function waitText(page, selector, text, timeout = 30000) {
  await page.waitForFunction((s, t) => { const e = document.querySelector(s); return e && e.textContent.includes(t); },
    { timeout }, selector, text);
}

(async () => {
  const browser = await puppeteer.launch({ executablePath: CHROMIUM, headless: true,
    args: ['--no-sandbox', '--disable-gpu', '--disable-dev-shm-usage', '--lang=zh-CN'] });
  try {
    const page = await browser.newPage();
    const consoleErrors = [];
    // The session probe before login and the wrong password are answered 401 on purpose,
    // the refused requests made on purpose below are answered 403.
    page.on('console', (m) => { if (m.type() === 'error' && !/status of 40[13]/.test(m.text())) consoleErrors.push(m.text()); });
    page.on('pageerror', (e) => consoleErrors.push(String(e)));
    await page.setViewport({ width: 1366, height: 768 });

    // Log in.
    await page.goto(BASE + '/', { waitUntil: 'networkidle0' });
    await page.waitForSelector('#login-form', { visible: true });
    await shoot(page, 'login');
    await page.type('input[name=user]', 'clerk');
    await page.type('input[name=password]', 'wrong-password');
    await page.click('#login-form button');
    await waitText(page, '#login-error', '用户名或密码不正确。');
    check(true, 'a wrong password shows 用户名或密码不正确。');
    await page.$eval('input[name=password]', (e) => { e.value = ''; });
    await page.type('input[name=password]', 'clerk-password');
    await page.click('#login-form button');
    await page.waitForSelector('#nav:not([hidden])');
    await waitText(page, '#who', 'clerk（经办）');
    check(true, 'logged in as clerk（经办）');

    // Upload samples/broken: its 20 errors.
    await page.waitForSelector('#upload-input');
    await (await page.$('#upload-input')).uploadFile(...sampleFiles('broken'));
    await page.click('#upload');
    await page.waitForFunction(() => /^#\/datasets\/\d+$/.test(location.hash), { timeout: 30000 });
    await page.waitForSelector('#error-count', { timeout: 60000 });
    const errors = await page.$eval('#error-count', (e) => e.textContent);
    check(errors === '20', `samples/broken shows 20 errors (shows ${errors})`);
    const rows = await page.$$eval('tr.problem .badge.error', (b) => b.length);
    check(rows === 20, `the problem table lists 20 errors (lists ${rows})`);
    const firstMessage = await page.$eval('tr.problem', (r) => r.textContent);
    check(!firstMessage.includes('upload-'), 'problems name the uploaded files, not the stored names');
    await shoot(page, 'check-broken');

    // Upload samples/county, run it.
    await visit(page, '#/datasets');
    await page.waitForSelector('#upload-input');
    await (await page.$('#upload-input')).uploadFile(...sampleFiles('county'));
    await page.click('#upload');
    await page.waitForFunction(() => /^#\/datasets\/\d+$/.test(location.hash) && document.querySelector('#error-count'), { timeout: 60000 });
    check(await page.$eval('#error-count', (e) => e.textContent) === '0', 'samples/county has no errors');
    await page.$eval('#run-date', (e) => { e.value = '2025-03-01'; });
    await page.click('#start-run');
    await page.waitForFunction(() => /^#\/runs\/\d+$/.test(location.hash), { timeout: 30000 });
    const runId = await page.evaluate(() => location.hash.split('/')[2]);
    await page.waitForSelector('#zip-all', { timeout: 300000 });
    await waitText(page, '#run-progress', '已生成 78/78');
    check(true, 'the county run finished with 78/78 projects and departments');
    await page.$eval('details.department', (d) => { d.open = true; });
    await page.click('details.department ul.files button');
    await page.waitForFunction(() => { const f = document.querySelector('#preview'); return f && !f.hidden && f.src.includes('inline=1'); });
    await new Promise((r) => setTimeout(r, 1500));
    await shoot(page, 'run');

    // One department's documents as a zip.
    const zipUrl = await page.$eval('a.zip[data-department="201"]', (a) => a.href);
    const zipBase64 = await page.evaluate(async (u) => {
      const r = await fetch(u);
      const bytes = new Uint8Array(await r.arrayBuffer());
      let s = '';
      for (const b of bytes) s += String.fromCharCode(b);
      return btoa(s);
    }, zipUrl);
    const names = zipNames(Buffer.from(zipBase64, 'base64'));
    fs.writeFileSync(path.join(OUT, 'department-201.zip'), Buffer.from(zipBase64, 'base64'));
    check(names.length > 0 && names.every((n) => n.utf8), 'the zip names are marked UTF-8');
    check(names.some((n) => n.name === '201_云溪县教育体育局_部门整体支出绩效自评表.pdf'), 'the zip holds the department table PDF');
    check(names.some((n) => n.name === '201_云溪县教育体育局_部门整体支出绩效自评表.xlsx'), 'the zip holds the department table XLSX');
    check(names.some((n) => /^XM201\d\d_.*\.pdf$/.test(n.name)), 'the zip holds the department\'s project documents');
    check(names.every((n) => !n.name.startsWith('202_') && !n.name.includes('/')), 'the zip holds only department 201, flat');

    // A letter voided (with its reason) and reissued with the page's buttons.
    await visit(page, '#/letters');
    await page.waitForSelector('#void-form');
    await page.select('#void-form select[name=letter]', '云财绩函〔2025〕2号');
    await page.$eval('#void-form input[name=date]', (e) => { e.value = '2025-03-05'; });
    await page.click('#void-form button[type=submit]');
    check(await page.$eval('#void-form textarea[name=reason]', (t) => !t.checkValidity()), 'a void needs a reason (the form says so)');
    await page.type('#void-form textarea[name=reason]', '主送单位名称有误');
    await page.click('#void-form button[type=submit]');
    await waitText(page, '#toast', '已作废 云财绩函〔2025〕2号');
    await page.waitForSelector('#reissue-form select[name=letter] option');
    await page.select('#reissue-form select[name=letter]', '云财绩函〔2025〕2号');
    await page.$eval('#reissue-form input[name=date]', (e) => { e.value = '2025-03-06'; });
    await page.click('#reissue-form button[type=submit]');
    await waitText(page, '#toast', '已重新发文');
    const successor = /已重新发文 (\S+)：/.exec(await page.$eval('#toast', (t) => t.textContent))[1];
    await page.waitForFunction(() => !document.querySelector('#reissue-form'), { timeout: 30000 });
    // The command line reads the same ledger.
    const listed = execFileSync(JIXIAO, ['letters', 'list', '--db', path.join(DATA, 'jixiao-history.db'), '--status', '已作废'],
      { encoding: 'utf8' });
    check(listed.includes('云财绩函〔2025〕2号') && listed.includes('2025-03-05 作废：主送单位名称有误；已重新发文为 ' + successor),
      '`jixiao letters list` shows the letter voided in the page: ' + listed);

    // Record and close a 整改.
    await page.waitForSelector('#record-form');
    const letter = await page.$eval('#record-form select[name=letter]', (s) => s.value);
    check(letter.includes('〔2025〕'), `a letter to rectify is listed (${letter})`);
    const pdf = path.join(OUT, '整改报告.pdf');
    fs.writeFileSync(pdf, '%PDF-1.4\n1 0 obj<</Type/Catalog>>endobj\ntrailer<</Root 1 0 R>>\n%%EOF\n');
    check(await page.$$eval('tr.letter', (rows) => rows.every((r) => /云溪县.+（\d+）/.test(r.children[1].textContent))),
      'the letters list names each unit (名称（代码）)');
    const voidedRow = await page.$eval('tr.letter.voided', (r) => [...r.children].map((c) => c.textContent).join('|'));
    check(voidedRow.startsWith('云财绩函〔2025〕2号|') && voidedRow.includes('|已作废|2025-03-05 作废：主送单位名称有误|已重新发文：' + successor),
      'the voided letter is listed as 已作废 with its reason and successor: ' + voidedRow);
    check(await page.$$eval('tr.letter', (rows, s) => rows.some((r) => r.children[0].textContent === s + '替代 云财绩函〔2025〕2号'), successor),
      'the reissued letter names the one it replaces');
    check(!(await page.$$eval('#record-form select[name=letter] option', (o) => o.map((x) => x.value))).includes('云财绩函〔2025〕2号'),
      'a voided letter cannot be reported on');
    await page.$eval('#record-form input[name=date]', (e) => { e.value = '2025-03-20'; });
    await page.type('#record-form textarea[name=summary]', '已制定整改方案并调整绩效目标');
    await (await page.$('#record-form input[type=file]')).uploadFile(pdf);
    await page.click('#record-form button[type=submit]');
    await page.waitForFunction((l) => [...document.querySelectorAll('tr.letter')].some((r) => r.textContent.includes(l) && r.textContent.includes('已报送')),
      { timeout: 30000 }, letter);
    check(true, '整改 recorded: 已报送');
    await page.waitForSelector('#close-form select[name=letter] option');
    await page.select('#close-form select[name=letter]', letter);
    await page.$eval('#close-form input[name=date]', (e) => { e.value = '2025-04-10'; });
    await page.type('#close-form textarea[name=note]', '整改到位，予以销号');
    await page.click('#close-form button[type=submit]');
    await page.waitForFunction((l) => [...document.querySelectorAll('tr.letter')].some((r) => r.textContent.includes(l) && r.textContent.includes('已销号')),
      { timeout: 30000 }, letter);
    check(true, '整改 closed: 已销号');
    check(await page.$$eval('tr.letter', (rows) => rows.some((r) => r.textContent.includes('2025-03-20：已制定整改方案')
      && r.textContent.includes('2025-04-10：整改到位'))), 'the report and close dates entered are shown');
    await shoot(page, 'letters', true);

    // The other pages, at both widths.
    await visit(page, '#/datasets');
    await page.waitForSelector('#upload-input');
    await shoot(page, 'datasets');
    await visit(page, '#/runs');
    await waitText(page, '#view', '已完成');
    await shoot(page, 'runs');
    const countyId = await page.evaluate(() => document.querySelectorAll('#view tbody tr td:nth-child(2) a')[0].textContent);
    await visit(page, '#/datasets/' + countyId);
    await page.waitForSelector('#error-count');
    await shoot(page, 'check-county');
    // Staff see neither the users page nor the publish button, and the server refuses them.
    check(await page.$eval('nav a[href="#/users"]', (a) => a.hidden), 'the users page is not offered to staff');
    await visit(page, '#/publish');
    await page.waitForSelector('#preview-button');
    check(await page.$('#publish-button') === null, 'staff get no publish button');
    const refused = await page.evaluate(async (id) => {
      const csrf = (await (await fetch('/api/session')).json()).csrf;
      const post = async (path, headers) => { const r = await fetch(path, { method: 'POST', headers, body: '{}' });
        return r.status + ' ' + (await r.json()).error; };
      return [await post('/api/datasets/' + id + '/publish', { 'X-CSRF-Token': csrf, 'Content-Type': 'application/json' }),
        await post('/api/users', { 'X-CSRF-Token': csrf, 'Content-Type': 'application/json' }),
        await post('/api/datasets/' + id + '/preview', { 'Content-Type': 'application/json' })];
    }, countyId);
    check(refused[0] === '403 权限不足：此操作需要“管理员”及以上角色，当前用户“clerk”的角色是“经办”。', 'staff cannot publish: ' + refused[0]);
    check(refused[1] === '403 权限不足：此操作需要“管理员”及以上角色，当前用户“clerk”的角色是“经办”。', 'staff cannot add users: ' + refused[1]);
    check(refused[2] === '403 请求缺少有效的 CSRF 令牌（X-CSRF-Token），已拒绝。请刷新页面后重试。', 'no CSRF token, no preview: ' + refused[2]);

    // The admin: users page, preview and publish.
    await page.click('#logout');
    await page.waitForSelector('#login-form', { visible: true });
    await page.$eval('input[name=user]', (e) => { e.value = ''; });
    await page.type('input[name=user]', 'boss');
    await page.type('input[name=password]', 'boss-password');
    await page.click('#login-form button');
    await waitText(page, '#who', 'boss（管理员）');
    await visit(page, '#/users');
    await page.waitForSelector('#user-form');
    await page.type('#user-form input[name=name]', 'reader');
    await page.select('#user-form select[name=role]', 'viewer');
    await page.type('#user-form input[name=password]', 'reader-password');
    await page.click('#user-form button[type=submit]');
    await page.waitForFunction((want) => { const t = document.querySelector('#view table');
      return t && [...t.querySelectorAll('tbody tr')].some((r) => r.textContent === want); }, { timeout: 30000 }, 'reader查看');
    check(true, 'the admin added the viewer reader');
    const auditRows = await page.evaluate(() => [...document.querySelectorAll('#view table')[1].querySelectorAll('tbody tr')]
      .map((r) => [...r.children].map((c) => c.textContent).slice(1).join('|')));
    check(auditRows.includes('boss|添加用户|reader|查看|127.0.0.1'),
      'the audit log shows boss 添加用户 reader 查看');
    check(auditRows.some((r) => r.startsWith('clerk|销号|')),
      'the audit log shows clerk\'s 销号');
    check(auditRows.some((r) => r.startsWith('clerk|作废反馈函|云财绩函〔2025〕2号|主送单位名称有误|')),
      'the audit log shows clerk\'s 作废 with the reason');
    check(auditRows.some((r) => r.startsWith('clerk|重新发文|云财绩函〔2025〕2号|新文号 ')),
      'the audit log shows clerk\'s 重新发文');
    await shoot(page, 'users');

    await visit(page, '#/publish');
    await page.waitForSelector('#publish-button');
    await page.select('#publish-dataset', countyId);
    await page.click('#preview-button');
    await page.waitForFunction(() => { const f = document.querySelector('#view iframe'); return f && !f.hidden && f.src.includes('/preview/'); },
      { timeout: 120000 });
    await waitText(page, '#view', '涉密项目 5 个不予公开', 120000);
    check(true, 'the preview says 5 classified projects are left out');
    await new Promise((r) => setTimeout(r, 1500));
    await shoot(page, 'publish-preview');
    await page.click('#force');
    await page.click('#publish-button');
    await page.waitForFunction(() => [...document.querySelectorAll('#view tbody tr')].some((r) => r.textContent.includes('boss')
      && r.textContent.includes('已公开到 公开文件夹')), { timeout: 120000 });
    check(true, 'the publish history shows boss\'s publish');
    await shoot(page, 'publish');

    // A viewer reads but is offered no actions.
    await page.click('#logout');
    await page.waitForSelector('#login-form', { visible: true });
    await page.$eval('input[name=user]', (e) => { e.value = ''; });
    await page.type('input[name=user]', 'reader');
    await page.type('input[name=password]', 'reader-password');
    await page.click('#login-form button');
    await waitText(page, '#who', 'reader（查看）');
    await visit(page, '#/letters');
    await page.waitForSelector('tr.letter');
    check(await page.$('#record-form') === null && await page.$('#close-form') === null, 'a viewer is offered no 整改 forms');
    await visit(page, '#/runs/' + runId);
    await page.waitForSelector('#zip-all');
    check(consoleErrors.length === 0, 'no console errors or CSP violations: ' + consoleErrors.join(' | '));
  } catch (e) {
    failures.push(String(e && e.stack || e));
    // What the page showed when it went wrong.
    for (const p of await browser.pages()) await p.screenshot({ path: path.join(OUT, 'failure.png') }).catch(() => {});
    console.log('FAIL: ' + (e && e.stack || e));
  } finally {
    await browser.close();
  }
  console.log(failures.length ? `${failures.length} failure(s)` : 'all browser checks passed');
  process.exit(failures.length ? 1 : 0);
})();
