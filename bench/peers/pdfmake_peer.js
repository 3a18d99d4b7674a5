// Peer for bench/run: pdfmake (PDF) and exceljs (XLSX), both npm packages.
//   node pdfmake_peer.js bench.json OUTDIR [K/N]
// Renders projects K, K+N, ... as OUTDIR/pm_<code>.pdf and OUTDIR/pm_<code>.xlsx (the
// 项目支出绩效自评表 and the narrative, in LXGW WenKai from Debian fonts-lxgw-wenkai) and prints
// one line: 'pdfmake+exceljs: P projects in S s = R proj/s, rss M MB'.
'use strict';
const fs = require('fs');
const path = require('path');
const pdfmake = require('pdfmake');
const ExcelJS = require('exceljs');

const FONT_FILE = '/usr/share/fonts/truetype/lxgw-wenkai/LXGWWenKai-Regular.ttf';
const TITLE = '项目支出绩效自评表';
const FUND_HEAD = ['项目资金（万元）', '年初预算数', '全年预算数', '全年执行数', '分值', '执行率', '得分'];
const INDICATOR_HEAD = ['一级指标', '二级指标', '三级指标', '年度指标值', '实际完成值', '分值', '得分', '偏差原因分析及改进措施'];
const AMOUNT = '#,##0.00';

pdfmake.addFonts({ WenKai: { normal: FONT_FILE, bold: FONT_FILE, italics: FONT_FILE, bolditalics: FONT_FILE } });
// pdfmake 0.3 may fetch URLs and read files named in a document; allow only the font.
if (pdfmake.setUrlAccessPolicy) pdfmake.setUrlAccessPolicy(() => false);
if (pdfmake.setLocalAccessPolicy) pdfmake.setLocalAccessPolicy((file) => file === FONT_FILE);

const two = (v) => v.toLocaleString('en-US', { minimumFractionDigits: 2, maximumFractionDigits: 2 });
const cents = (v) => Math.round(v * 100) / 100;

function evaluate(p) {
  const { budget, executed } = p.funds;
  const rate = budget ? executed / budget : 0;
  const budgetPoints = cents(Math.min(rate, 1) * 10);
  const scored = p.indicators.map((x) => {
    let ratio;
    if (x.op === '≤' || x.op === '<') ratio = x.actual ? x.target / x.actual : 1;
    else ratio = x.target ? x.actual / x.target : 1;
    return [x, cents(Math.min(ratio, 1) * x.weight)];
  });
  const total = cents(budgetPoints + scored.reduce((sum, [, s]) => sum + s, 0));
  const grade = total >= 90 ? '优' : total >= 80 ? '良' : total >= 60 ? '中' : '差';
  return { rate, budgetPoints, scored, total, grade };
}

function pdfDefinition(p, ev) {
  const f = p.funds;
  const rows = [INDICATOR_HEAD];
  for (const [x, s] of ev.scored) {
    rows.push([x.level1, x.level2, x.level3, `${x.op}${x.target}${x.unit}`, `${x.actual}${x.unit}`, String(x.weight), two(s), x.reason]);
  }
  rows.push([{ text: '总分', colSpan: 5 }, {}, {}, {}, {}, '100', two(ev.total), ev.grade]);
  return {
    pageSize: 'A4',
    info: { title: p.name },
    defaultStyle: { font: 'WenKai', fontSize: 9 },
    content: [
      { text: `${TITLE}\n（${p.year}年度）`, fontSize: 18, alignment: 'center', margin: [0, 0, 0, 8] },
      { table: { widths: [70, '*', 70, '*'],
        body: [['项目名称', { text: p.name, colSpan: 3 }, {}, {}], ['主管部门', p.department, '实施单位', p.unit]] } },
      { table: { widths: [90, '*', '*', '*', 40, 60, 50],
        body: [FUND_HEAD, ['年度资金总额', two(f.initial), two(f.budget), two(f.executed), '10', `${two(ev.rate * 100)}%`, two(ev.budgetPoints)]] } },
      { table: { headerRows: 1, widths: [50, 55, '*', 65, 60, 35, 40, 100], body: rows }, margin: [0, 6, 0, 0] },
      { text: p.narrative, fontSize: 10.5, lineHeight: 1.4, margin: [0, 10, 0, 0] },
    ],
  };
}

async function writeXlsx(file, p, ev) {
  const f = p.funds;
  const wb = new ExcelJS.Workbook();
  const ws = wb.addWorksheet('自评表');
  ws.mergeCells(1, 1, 1, 8);
  ws.getCell(1, 1).value = TITLE;
  ws.addRow(['项目名称', p.name]);
  ws.mergeCells(2, 2, 2, 8);
  ws.addRow(FUND_HEAD);
  const money = ws.addRow(['年度资金总额', f.initial, f.budget, f.executed, 10, ev.rate, ev.budgetPoints]);
  for (const c of [2, 3, 4, 5, 7]) money.getCell(c).numFmt = AMOUNT;
  money.getCell(6).numFmt = '0.00%';
  ws.addRow(INDICATOR_HEAD);
  for (const [x, s] of ev.scored) {
    const row = ws.addRow([x.level1, x.level2, x.level3, `${x.op}${x.target}${x.unit}`, x.actual, x.weight, s, x.reason]);
    for (const c of [5, 6, 7]) row.getCell(c).numFmt = AMOUNT;
  }
  const last = ws.addRow(['总分', '', '', '', '', 100, ev.total, ev.grade]);
  ws.mergeCells(last.number, 1, last.number, 5);
  ws.columns.forEach((col) => { col.width = 14; });
  await wb.xlsx.writeFile(file);
}

async function main(argv) {
  if (argv.length < 2 || argv.length > 3) {
    console.error('usage: node pdfmake_peer.js bench.json OUTDIR [K/N]');
    return 64;
  }
  const [dataFile, outDir, shard = '0/1'] = argv;
  const [first, step] = shard.split('/').map(Number);
  fs.mkdirSync(outDir, { recursive: true });
  const mine = JSON.parse(fs.readFileSync(dataFile, 'utf8')).filter((_, i) => i % step === first);
  const started = process.hrtime.bigint();
  for (const p of mine) {
    const ev = evaluate(p);
    await pdfmake.createPdf(pdfDefinition(p, ev)).write(path.join(outDir, `pm_${p.code}.pdf`));
    await writeXlsx(path.join(outDir, `pm_${p.code}.xlsx`), p, ev);
  }
  const seconds = Number(process.hrtime.bigint() - started) / 1e9;
  const rss = process.memoryUsage().rss / 1048576;
  console.log(`pdfmake+exceljs: ${mine.length} projects in ${seconds.toFixed(2)} s = ${(mine.length / seconds).toFixed(1)} proj/s,`
    + ` rss ${rss.toFixed(0)} MB`);
  return 0;
}

main(process.argv.slice(2)).then((code) => { process.exitCode = code; }, (e) => { console.error(e); process.exitCode = 1; });
