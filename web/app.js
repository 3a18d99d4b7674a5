'use strict';
// The workspace's pages: one page, views by the address's #fragment, all data from /api/.
// The DOM is built with textContent only: nothing from the server is parsed as HTML.

const state = { user: null, role: null, csrf: null, timer: null };
const ROLE_RANK = { viewer: 0, staff: 1, admin: 2 };
const ROLE_NAME = { viewer: '查看', staff: '经办', admin: '管理员' };
const RUN_STATE = { queued: '排队中', running: '运行中', done: '已完成', failed: '失败', interrupted: '已中断' };
const ACTION_NAME = { login: '登录', 'login-failed': '登录失败', logout: '退出', 'user-add': '添加用户', 'dataset-create': '新建数据集',
  'dataset-settings': '修改设置', run: '运行', 'download-zip': '下载压缩包', 'rectify-record': '登记整改报告', 'rectify-close': '销号',
  'letter-void': '作废反馈函', 'letter-reissue': '重新发文',
  'publish-preview': '预览公开内容', publish: '公开' };

function el(tag, attrs, ...children) {
  const e = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs || {})) {
    if (v === null || v === undefined || v === false) continue;
    if (k.startsWith('on')) e.addEventListener(k.slice(2), v);
    else if (k === 'class') e.className = v;
    else e.setAttribute(k, v === true ? '' : v);
  }
  for (const c of children.flat()) if (c !== null && c !== undefined && c !== false) e.append(c instanceof Node ? c : String(c));
  return e;
}
const $ = (id) => document.getElementById(id);
/// Replaces a node's children, leaving out empty ones (replaceChildren would print "null").
const fill = (node, ...kids) => node.replaceChildren(...kids.flat().filter((k) => k !== null && k !== undefined && k !== false));
const can = (role) => state.role && ROLE_RANK[state.role] >= ROLE_RANK[role];
const today = () => { const d = new Date(); d.setMinutes(d.getMinutes() - d.getTimezoneOffset()); return d.toISOString().slice(0, 10); };

function toast(text) {
  const t = $('toast');
  t.textContent = text;
  t.hidden = false;
  clearTimeout(toast.timer);
  toast.timer = setTimeout(() => { t.hidden = true; }, 4000);
}

async function api(method, path, body) {
  const opts = { method, headers: {}, credentials: 'same-origin' };
  if (method !== 'GET') opts.headers['X-CSRF-Token'] = state.csrf || '';
  if (body instanceof FormData) opts.body = body;
  else if (body !== undefined) { opts.headers['Content-Type'] = 'application/json'; opts.body = JSON.stringify(body); }
  const r = await fetch(path, opts);
  let data = null;
  try { data = await r.json(); } catch (e) { data = null; }
  if (r.status === 401 && path !== '/api/login') { showLogin(); throw new Error((data && data.error) || '请先登录。'); }
  if (!r.ok) throw new Error((data && data.error) || ('请求失败（' + r.status + '）'));
  return data;
}

function badge(kind, text) { return el('span', { class: 'badge ' + kind }, text); }
function card(title, ...children) { return el('section', { class: 'card' }, title ? el('h2', {}, title) : null, ...children); }
/// A table whose cells name their column (data-label): on a phone each row reads as a short list (app.css).
function table(headers, rows) {
  for (const tr of rows) Array.from(tr.children).forEach((td, k) => { if (headers[k]) td.setAttribute('data-label', headers[k]); });
  return el('div', { class: 'table-wrap' }, el('table', {}, el('thead', {}, el('tr', {}, headers.map((h) => el('th', {}, h)))),
    el('tbody', {}, rows)));
}
function errorBox() { return el('p', { class: 'error', role: 'alert' }); }
async function guarded(box, fn) {
  box.textContent = '';
  try { await fn(); } catch (e) { box.textContent = e.message; }
}

function showLogin() {
  state.user = null;
  clearInterval(state.timer);
  $('nav').hidden = true;
  $('view').replaceChildren();
  $('login').hidden = false;
}

async function start() {
  $('login-form').addEventListener('submit', async (ev) => {
    ev.preventDefault();
    const f = ev.target;
    await guarded($('login-error'), async () => {
      const s = await api('POST', '/api/login', { user: f.user.value, password: f.password.value });
      f.password.value = '';
      enter(s);
    });
  });
  $('logout').addEventListener('click', async () => { try { await api('POST', '/api/logout'); } finally { showLogin(); } });
  window.addEventListener('hashchange', route);
  try { enter(await api('GET', '/api/session')); } catch (e) { showLogin(); }
}

function enter(s) {
  Object.assign(state, { user: s.user, role: s.role, csrf: s.csrf });
  $('login').hidden = true;
  $('nav').hidden = false;
  $('who').textContent = s.user + '（' + ROLE_NAME[s.role] + '）';
  for (const a of document.querySelectorAll('nav [data-role]')) a.hidden = !can(a.dataset.role);
  route();
}

function route() {
  if (!state.user) return;
  clearInterval(state.timer);
  const parts = (location.hash.replace(/^#\/?/, '') || 'datasets').split('/');
  for (const a of document.querySelectorAll('nav a')) a.classList.toggle('active', a.getAttribute('href') === '#/' + parts[0]);
  const views = { datasets: parts[1] ? datasetView : datasetsView, runs: parts[1] ? runView : runsView,
    letters: lettersView, publish: publishView, users: usersView };
  // Each visit renders into its own container: a slower earlier view that finishes late fills
  // a container no longer on the page instead of replacing the one asked for last.
  const view = el('div', { class: 'view' }, el('p', { class: 'muted' }, '正在加载……'));
  $('view').replaceChildren(view);
  (views[parts[0]] || datasetsView)(view, parts[1]).catch((e) => view.replaceChildren(card('出错了', el('p', { class: 'error' }, e.message))));
}

// --- datasets -------------------------------------------------------------------------------
async function datasetsView(view) {
  const list = await api('GET', '/api/datasets');
  const parts = [];
  if (can('staff')) {
    const input = el('input', { type: 'file', multiple: true, accept: '.xlsx,.csv,.json', id: 'upload-input' });
    const chosen = el('p', { class: 'muted' });
    const err = errorBox();
    let files = [];
    const drop = el('div', { class: 'drop', id: 'drop' }, '把导出的 Excel / CSV 文件（可多选，可附 dataset.json）拖到这里，或 ',
      el('label', { class: 'inline' }, input));
    const show = () => { chosen.textContent = files.length ? '已选择：' + files.map((f) => f.name).join('、') : ''; };
    input.addEventListener('change', () => { files = [...input.files]; show(); });
    drop.addEventListener('dragover', (e) => { e.preventDefault(); drop.classList.add('over'); });
    drop.addEventListener('dragleave', () => drop.classList.remove('over'));
    drop.addEventListener('drop', (e) => { e.preventDefault(); drop.classList.remove('over'); files = [...e.dataTransfer.files]; show(); });
    const button = el('button', { type: 'button', id: 'upload' }, '上传并新建数据集');
    button.addEventListener('click', () => guarded(err, async () => {
      if (!files.length) throw new Error('请先选择文件。');
      const form = new FormData();
      for (const f of files) form.append('files', f, f.name);
      button.disabled = true;
      try {
        const r = await api('POST', '/api/datasets', form);
        location.hash = '#/datasets/' + r.id;
      } finally { button.disabled = false; }
    }));
    parts.push(card('新建年度数据集', drop, chosen, button, err));
  }
  parts.push(card('数据集', list.length ? table(['编号', '名称', '创建人', '创建时间'], list.map((d) =>
    el('tr', {}, el('td', {}, d.id), el('td', {}, el('a', { href: '#/datasets/' + d.id }, d.name)), el('td', {}, d.by),
      el('td', {}, d.created.slice(0, 16).replace('T', ' '))))) : el('p', { class: 'muted' }, '还没有数据集。')));
  view.replaceChildren(...parts);
}

async function datasetView(view, id) {
  const info = await api('GET', '/api/datasets/' + id);
  const s = info.settings;
  const title = el('h2', {}, '数据集 ' + id + '：' + (s['发文机关'] || '（未填发文机关）') + ' ' + (s['年度'] || '') + ' 年度');
  const checkBox = el('div', { id: 'check' }, el('p', { class: 'muted' }, '正在检查……'));
  const runsBox = el('div', { id: 'runs' });
  view.replaceChildren(el('section', { class: 'card' }, title, el('p', { class: 'muted' }, '上传的文件：' +
    info.uploads.map((u) => u.name).join('、'))), settingsCard(id, info), card('检查结果', checkBox), runsBox);
  await Promise.all([renderCheck(id, checkBox), renderRuns(id, runsBox)]);
}

function settingsCard(id, info) {
  const s = info.settings;
  const field = (name, label, hint, type) => el('label', {}, label, el('input', { name, value: s[name] || '', type: type || 'text',
    placeholder: hint || '' }));
  const unit = el('select', { name: '金额单位' }, ['万元', '元'].map((u) => el('option', { value: u, selected: (s['金额单位'] || '万元') === u }, u)));
  const fileSelects = info.sections.map((sec) => el('label', {}, sec + '表', el('select', { name: 'file:' + sec },
    el('option', { value: '' }, '（未选择）'),
    info.uploads.map((u) => el('option', { value: u.stored, selected: (s.files || {})[sec] === u.stored }, u.name)))));
  const sheets = el('textarea', { name: 'sheets', rows: 2, placeholder: '每行一个：表=工作表名，例如 项目=项目清单' },
    Object.entries(s.sheets || {}).map(([k, v]) => k + '=' + v).join('\n'));
  const columns = el('textarea', { name: 'columns', rows: 3, placeholder: '每行一个：文件中的列名=规范列名，例如 指标名称=三级指标' },
    Object.entries(s.columns || {}).map(([k, v]) => k + '=' + v).join('\n'));
  const err = errorBox();
  const form = el('form', { id: 'settings' },
    el('div', { class: 'row' }, field('年度', '年度', '2024'), field('发文机关', '发文机关', '某某县财政局'),
      field('文号前缀', '文号前缀', '某财绩'), el('label', {}, '金额单位', unit), field('公开日期', '公开日期', 'YYYY-MM-DD', 'date')),
    el('h3', {}, '各表对应的文件'), el('div', { class: 'row' }, fileSelects),
    el('div', { class: 'row' }, el('label', {}, '工作表（sheets）', sheets), el('label', {}, '列名对应（columns）', columns)),
    can('staff') ? el('button', { type: 'submit' }, '保存设置（写入 dataset.json）') : null, err);
  const pairs = (text) => {
    const o = {};
    for (const line of text.split('\n')) { const i = line.indexOf('='); if (i > 0) o[line.slice(0, i).trim()] = line.slice(i + 1).trim(); }
    return o;
  };
  form.addEventListener('submit', (ev) => {
    ev.preventDefault();
    guarded(err, async () => {
      const body = { files: {} };
      for (const n of ['年度', '发文机关', '文号前缀', '金额单位', '公开日期']) body[n] = form.elements[n].value;
      for (const sec of info.sections) body.files[sec] = form.elements['file:' + sec].value;
      body.sheets = pairs(sheets.value);
      body.columns = pairs(columns.value);
      await api('PUT', '/api/datasets/' + id + '/settings', body);
      toast('设置已保存，已重新检查。');
      route();
    });
  });
  return el('details', { class: 'card' }, el('summary', {}, '设置（dataset.json）'), form);
}

async function renderCheck(id, box) {
  let c;
  try { c = await api('GET', '/api/datasets/' + id + '/check'); } catch (e) { box.replaceChildren(el('p', { class: 'error' }, e.message)); return; }
  const counts = el('div', { class: 'counts' },
    el('span', {}, '错误 ', el('b', { id: 'error-count' }, c.errors), ' 条'), el('span', {}, '警告 ', el('b', {}, c.warnings), ' 条'),
    el('span', {}, '单位 ', c.units, ' 个（部门 ', c.departments, ' 个）'), el('span', {}, '项目 ', c.projects, ' 个（涉密 ', c.classified, ' 个）'),
    el('a', { href: '/api/datasets/' + id + '/problems.csv', download: '' }, '下载问题清单（CSV）'));
  const groups = c.groups.map((g) => el('details', { open: c.groups.length <= 3, class: 'group' },
    el('summary', {}, g.name + '（' + g.problems.length + ' 条）'),
    table(['级别', '文件', '工作表', '单元格', '值', '问题', '提示'], g.problems.map((p) => el('tr', { class: 'problem' },
      el('td', {}, badge(p.severity, p.severity === 'error' ? '错误' : p.severity === 'warning' ? '警告' : '说明')),
      el('td', {}, p.file), el('td', {}, p.sheet), el('td', {}, p.row > 0 ? p.column + p.row : ''), el('td', {}, p.value),
      el('td', {}, p.message), el('td', {}, p.hint))))));
  fill(box, counts, c.suppressed ? el('p', { class: 'muted' }, '另有 ' + c.suppressed + ' 条未逐条列出。') : null,
    groups.length ? groups : el('p', {}, badge('ok', '没有发现问题')));
}

async function renderRuns(id, box) {
  const runs = await api('GET', '/api/datasets/' + id + '/runs');
  const parts = [];
  if (can('staff')) {
    const date = el('input', { type: 'date', name: 'date', value: today(), id: 'run-date' });
    const err = errorBox();
    const go = el('button', { type: 'button', id: 'start-run' }, '开始运行');
    go.addEventListener('click', () => guarded(err, async () => {
      const r = await api('POST', '/api/datasets/' + id + '/runs', { date: date.value });
      location.hash = '#/runs/' + r.id;
    }));
    parts.push(el('div', { class: 'row' }, el('label', {}, '成文日期', date), go), err);
  }
  parts.push(runTable(runs));
  box.replaceChildren(card('运行', ...parts));
}

function runTable(runs) {
  if (!runs.length) return el('p', { class: 'muted' }, '还没有运行。');
  return table(['编号', '数据集', '状态', '进度', '成文日期', '发起人', '开始', '说明'], runs.map((r) => el('tr', {},
    el('td', {}, el('a', { href: '#/runs/' + r.id }, r.id)), el('td', {}, el('a', { href: '#/datasets/' + r.dataset }, r.dataset)),
    el('td', {}, badge(r.state, RUN_STATE[r.state])), el('td', { class: 'num' }, r.total ? r.done + '/' + r.total : ''),
    el('td', { class: 'nowrap' }, r.date), el('td', {}, r.by), el('td', { class: 'nowrap' }, r.created.slice(0, 16).replace('T', ' ')),
    el('td', {}, r.message))));
}

// --- runs -----------------------------------------------------------------------------------
async function runsView(view) {
  view.replaceChildren(card('运行与文书', runTable(await api('GET', '/api/runs'))));
}

async function runView(view, id) {
  const status = el('div', { id: 'run-status' });
  const filesBox = el('div', { id: 'run-files' });
  view.replaceChildren(card('运行 ' + id, status), filesBox);
  const poll = async () => {
    const r = await api('GET', '/api/runs/' + id);
    const bar = el('progress', { max: r.total || 1, value: r.done });
    const restart = can('staff') && (r.state === 'interrupted' || r.state === 'failed')
      ? el('button', { type: 'button', onclick: async () => { const n = await api('POST', '/api/runs/' + id + '/restart'); location.hash = '#/runs/' + n.id; } }, '重新运行') : null;
    fill(status, el('p', {}, badge(r.state, RUN_STATE[r.state]), ' 数据集 ', el('a', { href: '#/datasets/' + r.dataset }, r.dataset),
      '，成文日期 ', r.date, '，', r.by, ' 发起于 ', r.created.slice(0, 19).replace('T', ' ')),
      bar, el('p', { class: 'muted', id: 'run-progress' }, r.total ? '已生成 ' + r.done + '/' + r.total + ' 个项目与部门' : ''),
      r.message ? el('p', {}, r.message) : null, restart);
    if (r.state === 'queued' || r.state === 'running') return false;
    clearInterval(state.timer);
    if (r.state === 'done') await renderFiles(id, filesBox);
    return true;
  };
  if (!(await poll())) state.timer = setInterval(() => poll().catch(() => clearInterval(state.timer)), 1000);
}

async function renderFiles(id, box) {
  const data = await api('GET', '/api/runs/' + id + '/files');
  const frame = el('iframe', { class: 'preview', id: 'preview', title: 'PDF 预览', hidden: true });
  const fileUrl = (p) => '/api/runs/' + id + '/file?path=' + encodeURIComponent(p);
  const item = (f) => el('li', {}, el('span', { class: 'path' }, f.path.split('/').pop()), el('span', { class: 'muted' }, f.kind),
    f.path.endsWith('.pdf') ? el('button', { type: 'button', class: 'link', onclick: () => { frame.hidden = false; frame.src = fileUrl(f.path) + '&inline=1'; frame.scrollIntoView(); } }, '预览') : null,
    el('a', { href: fileUrl(f.path), download: '' }, '下载'));
  const top = data.files.filter((f) => !f.department);
  const groups = data.departments.map((d) => el('details', { class: 'department' },
    el('summary', {}, d.code + ' ' + d.name + '（' + data.files.filter((f) => f.department === d.code).length + ' 个文件）'),
    el('p', {}, el('a', { href: '/api/runs/' + id + '/zip?department=' + encodeURIComponent(d.code), class: 'zip', 'data-department': d.code }, '下载本部门全部文书（zip）')),
    el('ul', { class: 'files' }, data.files.filter((f) => f.department === d.code).map(item))));
  box.replaceChildren(card('文书（按部门）', el('p', {}, el('a', { href: '/api/runs/' + id + '/zip', id: 'zip-all' }, '下载本次运行全部文件（zip）')),
    el('ul', { class: 'files' }, top.map(item)), groups), card('预览', frame));
}

// --- letters and 整改 -------------------------------------------------------------------------
/// A letter's unit as "名称（代码）", or its code when no dataset of the workspace names it.
const unitOf = (i) => (i.unitName ? i.unitName + '（' + i.unit + '）' : i.unit);

async function lettersView(view) {
  const [items, overdue] = await Promise.all([api('GET', '/api/letters'), api('GET', '/api/letters/overdue')]);
  const isOverdue = new Set(overdue.map((i) => i.letter));
  const voided = (i) => i.status === '已作废';
  const rows = items.map((i) => el('tr', { class: voided(i) ? 'letter voided' : 'letter' },
    el('td', { class: 'nowrap' }, el('span', { class: 'number' }, i.letter), i.replaces ? el('div', { class: 'muted' }, '替代 ' + i.replaces) : null),
    el('td', {}, unitOf(i)), el('td', { class: 'nowrap' }, i.issued), el('td', { class: 'nowrap' }, i.deadline),
    el('td', {}, badge(voided(i) ? 'voided' : i.status === '已销号' ? 'closed' : isOverdue.has(i.letter) ? 'overdue' : 'warning',
      i.status + (isOverdue.has(i.letter) ? '（逾期）' : ''))),
    el('td', {}, voided(i) ? i.voided + ' 作废：' + i.voidReason
      : i.reports.length ? i.reports[i.reports.length - 1].date + '：' + i.reports[i.reports.length - 1].summary : ''),
    el('td', {}, voided(i) ? (i.replacedBy ? '已重新发文：' + i.replacedBy : '') : i.closed ? i.closed + '：' + i.closeNote : '')));
  const parts = [card('反馈函与整改', items.length ? table(['文号', '单位', '发函日期', '整改期限', '状态', '整改报告（作废）', '销号（重新发文）'], rows)
    : el('p', { class: 'muted' }, '还没有反馈函（运行后生成）。'))];
  parts.push(card('逾期未整改（截至今天）', overdue.length ? table(['文号', '单位', '期限'], overdue.map((i) =>
    el('tr', {}, el('td', { class: 'nowrap' }, i.letter), el('td', {}, unitOf(i)), el('td', { class: 'nowrap' }, i.deadline)))) : el('p', { class: 'muted' }, '没有逾期事项。')));
  if (can('staff') && items.length) {
    const open = items.filter((i) => i.status !== '已销号' && i.status !== '已作废');
    const pick = (name) => el('select', { name, required: true }, open.map((i) => el('option', { value: i.letter }, i.letter + ' ' + unitOf(i))));
    const err1 = errorBox(), err2 = errorBox();
    const record = el('form', { id: 'record-form' }, el('div', { class: 'row' }, el('label', {}, '反馈函', pick('letter')),
      el('label', {}, '报送日期', el('input', { type: 'date', name: 'date', value: today(), required: true }))),
      el('label', {}, '整改情况摘要', el('textarea', { name: 'summary', rows: 2, required: true })),
      el('label', {}, '单位的整改报告（PDF）', el('input', { type: 'file', name: 'file', accept: '.pdf,application/pdf' })),
      el('button', { type: 'submit' }, '登记整改报告'), err1);
    record.addEventListener('submit', (ev) => { ev.preventDefault(); guarded(err1, async () => {
      await api('POST', '/api/letters/report', new FormData(record)); toast('已登记整改报告。'); route(); }); });
    const reported = items.filter((i) => i.status === '已报送');
    const close = el('form', { id: 'close-form' }, el('div', { class: 'row' }, el('label', {}, '反馈函', el('select', { name: 'letter', required: true },
      reported.map((i) => el('option', { value: i.letter }, i.letter + ' ' + unitOf(i))))),
      el('label', {}, '销号日期', el('input', { type: 'date', name: 'date', value: today(), required: true }))),
      el('label', {}, '销号说明', el('textarea', { name: 'note', rows: 2, required: true })), el('button', { type: 'submit' }, '销号'), err2);
    close.addEventListener('submit', (ev) => { ev.preventDefault(); guarded(err2, async () => {
      await api('POST', '/api/letters/close', { letter: close.letter.value, date: close.date.value, note: close.note.value });
      toast('已销号。'); route(); }); });
    parts.push(card('登记整改报告', record), card('销号', reported.length ? close : el('p', { class: 'muted' }, '没有待销号（已报送）的事项。')));
    // 作废 (a reason is required) and 重新发文 of a voided letter, as `jixiao letters void|reissue`.
    const err3 = errorBox(), err4 = errorBox();
    const voidForm = el('form', { id: 'void-form' }, el('div', { class: 'row' }, el('label', {}, '反馈函', pick('letter')),
      el('label', {}, '作废日期', el('input', { type: 'date', name: 'date', value: today(), required: true }))),
      el('label', {}, '作废原因', el('textarea', { name: 'reason', rows: 2, required: true })),
      el('p', { class: 'muted' }, '作废后该文号不再使用，其整改事项不再跟踪；已销号的不能作废。'), el('button', { type: 'submit', class: 'danger' }, '作废'), err3);
    voidForm.addEventListener('submit', (ev) => { ev.preventDefault(); guarded(err3, async () => {
      const r = await api('POST', '/api/letters/void', { letter: voidForm.letter.value, date: voidForm.date.value, reason: voidForm.reason.value });
      toast(r.message); route(); }); });
    const reissuable = items.filter((i) => voided(i) && !i.replacedBy);
    const reissue = el('form', { id: 'reissue-form' }, el('div', { class: 'row' }, el('label', {}, '已作废的反馈函', el('select', { name: 'letter', required: true },
      reissuable.map((i) => el('option', { value: i.letter }, i.letter + ' ' + unitOf(i))))),
      el('label', {}, '新的成文日期', el('input', { type: 'date', name: 'date', value: today(), required: true }))),
      el('p', { class: 'muted' }, '给作废的反馈函一个新文号；之后重新运行该数据集，生成带新文号的反馈函。'), el('button', { type: 'submit' }, '重新发文'), err4);
    reissue.addEventListener('submit', (ev) => { ev.preventDefault(); guarded(err4, async () => {
      const r = await api('POST', '/api/letters/reissue', { letter: reissue.letter.value, date: reissue.date.value });
      toast(r.message); route(); }); });
    parts.push(card('作废反馈函', open.length ? voidForm : el('p', { class: 'muted' }, '没有可作废的反馈函。')),
      card('重新发文', reissuable.length ? reissue : el('p', { class: 'muted' }, '没有待重新发文的已作废反馈函。')));
  }
  view.replaceChildren(...parts);
}

// --- publish --------------------------------------------------------------------------------
async function publishView(view) {
  const [datasets, history] = await Promise.all([api('GET', '/api/datasets'), api('GET', '/api/publish/history')]);
  const pick = el('select', { id: 'publish-dataset' }, datasets.map((d) => el('option', { value: d.id }, d.id + ' ' + d.name)));
  const out = el('div', {});
  const err = errorBox();
  const frame = el('iframe', { class: 'preview', title: '公开预览', hidden: true });
  const buttons = [];
  if (can('staff')) buttons.push(el('button', { type: 'button', class: 'secondary', id: 'preview-button', onclick: () => guarded(err, async () => {
    const r = await api('POST', '/api/datasets/' + pick.value + '/preview');
    out.replaceChildren(el('p', {}, r.message));
    frame.hidden = false; frame.src = r.url;
  }) }, '预览公开内容'));
  const force = el('input', { type: 'checkbox', id: 'force' });
  if (can('admin')) buttons.push(el('label', { class: 'check' }, force, '不等公开日期，立即公开'), el('button', { type: 'button', id: 'publish-button', onclick: () => guarded(err, async () => {
    const r = await api('POST', '/api/datasets/' + pick.value + '/publish', { force: force.checked });
    out.replaceChildren(el('p', {}, r.message));
    toast('已公开。'); publishView(view);
  }) }, '公开到网站文件夹'));
  view.replaceChildren(card('信息公开', el('p', { class: 'muted' }, '公开内容为部门和非涉密项目的自评表；涉密项目不公开，未到“公开日期”不公开。'),
    el('div', { class: 'row' }, el('label', {}, '数据集', pick), ...buttons), err, out),
  card('预览', frame),
  card('公开记录', history.length ? table(['时间', '操作人', '数据集', '结果'], history.map((h) => el('tr', {},
    el('td', {}, h.at.slice(0, 19).replace('T', ' ')), el('td', {}, h.user), el('td', {}, h.dataset), el('td', {}, h.result)))) : el('p', { class: 'muted' }, '还没有公开记录。')));
}

// --- users ----------------------------------------------------------------------------------
async function usersView(view) {
  const [users, audit] = await Promise.all([api('GET', '/api/users'), api('GET', '/api/audit')]);
  const err = errorBox();
  const form = el('form', { id: 'user-form' }, el('div', { class: 'row' }, el('label', {}, '用户名', el('input', { name: 'name', required: true })),
    el('label', {}, '角色', el('select', { name: 'role' }, Object.entries(ROLE_NAME).map(([k, v]) => el('option', { value: k }, v)))),
    el('label', {}, '初始密码（至少 10 个字符）', el('input', { name: 'password', type: 'password', autocomplete: 'new-password', required: true })),
    el('button', { type: 'submit' }, '添加用户')), err);
  form.addEventListener('submit', (ev) => { ev.preventDefault(); guarded(err, async () => {
    await api('POST', '/api/users', { name: form.elements.name.value, role: form.elements.role.value, password: form.elements.password.value });
    toast('已添加用户。'); route(); }); });
  view.replaceChildren(card('用户', table(['用户名', '角色'], users.map((u) => el('tr', {}, el('td', {}, u.name), el('td', {}, ROLE_NAME[u.role])))), form),
    card('操作日志', table(['时间', '用户', '操作', '对象', '详情', '地址'], audit.map((a) => el('tr', {},
      el('td', {}, a.at.slice(0, 19).replace('T', ' ')), el('td', {}, a.user), el('td', {}, ACTION_NAME[a.action] || a.action), el('td', {}, a.target),
      el('td', {}, a.action === 'user-add' ? ROLE_NAME[a.detail] || a.detail : a.detail), el('td', {}, a.address))))));
}

document.addEventListener('DOMContentLoaded', start);
