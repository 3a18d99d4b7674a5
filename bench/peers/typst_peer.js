// Peer for bench/run: Typst through the npm package @myriaddreamin/typst-ts-node-compiler
// (a prebuilt native addon). PDF only; the layout is bench/peers/report.typ.
//   node typst_peer.js bench.json OUTDIR [K/N]
// Renders projects K, K+N, ... as OUTDIR/ty_<code>.pdf and prints one line:
// 'typst.ts: P projects in S s = R proj/s, rss M MB'.
'use strict';
const fs = require('fs');
const path = require('path');
const { NodeCompiler } = require('@myriaddreamin/typst-ts-node-compiler');

const FONT_DIR = '/usr/share/fonts/truetype/lxgw-wenkai';

function main(argv) {
  if (argv.length < 2 || argv.length > 3) {
    console.error('usage: node typst_peer.js bench.json OUTDIR [K/N]');
    return 64;
  }
  const [dataFile, outDir, shard = '0/1'] = argv;
  const [first, step] = shard.split('/').map(Number);
  fs.mkdirSync(outDir, { recursive: true });
  const mine = JSON.parse(fs.readFileSync(dataFile, 'utf8')).filter((_, i) => i % step === first);
  const template = fs.readFileSync(path.join(__dirname, 'report.typ'), 'utf8');
  const started = process.hrtime.bigint();
  const compiler = NodeCompiler.create({ fontArgs: [{ fontPaths: [FONT_DIR] }] });
  for (const p of mine) {
    const pdf = compiler.pdf({ mainFileContent: template, inputs: { project: JSON.stringify(p) } });
    fs.writeFileSync(path.join(outDir, `ty_${p.code}.pdf`), pdf);
    compiler.evictCache(10); // keep the compiler's memo cache from growing with every project
  }
  const seconds = Number(process.hrtime.bigint() - started) / 1e9;
  const rss = process.memoryUsage().rss / 1048576;
  console.log(`typst.ts: ${mine.length} projects in ${seconds.toFixed(2)} s = ${(mine.length / seconds).toFixed(1)} proj/s,`
    + ` rss ${rss.toFixed(0)} MB`);
  return 0;
}

process.exitCode = main(process.argv.slice(2));
