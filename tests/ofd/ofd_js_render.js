// Renders OFD files with ofd.js (npm, DLTech21's reader; not written here) in headless
// Chromium and compares each page with the PDF of the same document as pdftoppm renders it.
//
// Environment: CHROMIUM (browser binary), OFDJS (ofd.js's lib/ofd.umd.js), CASES (the JSON
// written by ofd_structure.py), OUT (where screenshots and diff images go), DPI (the PNGs'
// resolution), MAX_INK_MISMATCH (the pixel threshold, a fraction).
//
// ofd.js 0.2.6 draws text as SVG <text> in a CSS font family named after the OFD font (it
// loads no embedded font files): the test registers each embedded subset font with the
// browser (FontFace) and sets it on the text of the objects that name it, so the glyphs drawn
// are the OFD's own. Positions, sizes, colours, rotation (CTM) and paths are ofd.js's.
//
// Per page: the text ofd.js put on the page (whitespace ignored) must equal the PDF's text,
// and the "ink" (pixels darker than 160 of 255) must agree: an ink pixel of one image with no
// ink within one pixel in the other is a mismatch; mismatches over all ink pixels of both
// must stay under MAX_INK_MISMATCH. Red ink (the letterhead) is counted the same way.

const fs = require('fs');
const path = require('path');
const puppeteer = require('puppeteer-core');

const cases = JSON.parse(fs.readFileSync(process.env.CASES, 'utf8'));
const out = process.env.OUT;
const dpi = Number(process.env.DPI);
const threshold = Number(process.env.MAX_INK_MISMATCH);

// In the page: parse and render one OFD, fonts registered and applied; returns per page the
// text and a PNG data URL of the page alone.
async function renderInPage(page, c, index) {
  await page.setContent('<html><body style="margin:0;background:#fff"><div id="root"></div></body></html>');
  await page.addScriptTag({ path: process.env.OFDJS });
  const ofdBase64 = fs.readFileSync(c.ofd).toString('base64');
  const count = await page.evaluate(async (ofdBase64, fonts, objectFonts, pxPerMm, index) => {
    const bytes = Uint8Array.from(atob(ofdBase64), ch => ch.charCodeAt(0));
    for (const [id, b64] of Object.entries(fonts)) {
      const data = Uint8Array.from(atob(b64), ch => ch.charCodeAt(0));
      const face = new FontFace(`ofd-${index}-${id}`, data.buffer);
      await face.load();
      document.fonts.add(face);
    }
    const docs = await new Promise((resolve, reject) =>
      ofd.parseOfdDocument({ ofd: bytes.buffer, success: resolve, fail: reject }));
    ofd.setPageScale(pxPerMm);
    const divs = ofd.renderOfdByScale(docs[0]);
    const root = document.getElementById('root');
    divs.forEach((div, p) => {
      div.style.marginBottom = '0';
      div.id = `page${p}`;
      root.appendChild(div);
      // Each object is an <svg> with z-index = its ID (ofd.js): point its text at the font.
      for (const svg of div.querySelectorAll('svg')) {
        const id = (svg.getAttribute('style').match(/z-index:\s*(\d+)/) || [])[1];
        const font = objectFonts[p][id];
        if (font === undefined) continue;
        for (const t of svg.querySelectorAll('text')) t.style.fontFamily = `"ofd-${index}-${font}"`;
      }
    });
    await document.fonts.ready;
    return divs.length;
  }, ofdBase64, c.fonts, c.objectFonts, dpi / 25.4, index);
  const pages = [];
  for (let p = 0; p < count; ++p) {
    const text = await page.evaluate(p => Array.from(document.querySelectorAll(`#page${p} svg text`))
      .map(t => t.textContent).join('').replace(/\s+/g, ''), p);
    const element = await page.$(`#page${p}`);
    const png = await element.screenshot({ type: 'png' });
    pages.push({ text, png });
  }
  return pages;
}

// In the page: compares two PNGs (data URLs); returns the counts and a diff image.
async function compare(page, a, b) {
  return page.evaluate(async (a, b) => {
    const load = src => new Promise((resolve, reject) => {
      const img = new Image();
      img.onload = () => resolve(img);
      img.onerror = reject;
      img.src = src;
    });
    const [ia, ib] = await Promise.all([load(a), load(b)]);
    const w = Math.min(ia.width, ib.width), h = Math.min(ia.height, ib.height);
    const pixels = img => {
      const c = document.createElement('canvas');
      c.width = w;
      c.height = h;
      const g = c.getContext('2d');
      g.fillStyle = '#fff';
      g.fillRect(0, 0, w, h);
      g.drawImage(img, 0, 0);
      return g.getImageData(0, 0, w, h).data;
    };
    const pa = pixels(ia), pb = pixels(ib);
    const inkOf = (p, red) => {
      const m = new Uint8Array(w * h);
      for (let i = 0; i < w * h; ++i) {
        const r = p[4 * i], g = p[4 * i + 1], bl = p[4 * i + 2];
        m[i] = red ? (r > 150 && g < 110 && bl < 110 ? 1 : 0) : (0.299 * r + 0.587 * g + 0.114 * bl < 160 ? 1 : 0);
      }
      return m;
    };
    const near = (m, x, y) => {
      for (let dy = -1; dy <= 1; ++dy)
        for (let dx = -1; dx <= 1; ++dx) {
          const xx = x + dx, yy = y + dy;
          if (xx >= 0 && yy >= 0 && xx < w && yy < h && m[yy * w + xx]) return true;
        }
      return false;
    };
    const diff = document.createElement('canvas');
    diff.width = w;
    diff.height = h;
    const dg = diff.getContext('2d');
    const dimg = dg.createImageData(w, h);
    const result = {};
    for (const red of [false, true]) {
      const ma = inkOf(pa, red), mb = inkOf(pb, red);
      let ink = 0, mismatch = 0;
      for (let y = 0; y < h; ++y)
        for (let x = 0; x < w; ++x) {
          const i = y * w + x;
          if (!red) {  // diff image: grey where both agree, red only in the PDF, blue only in the OFD
            const onlyA = ma[i] && !near(mb, x, y), onlyB = mb[i] && !near(ma, x, y);
            const v = ma[i] || mb[i] ? 170 : 255;
            dimg.data.set(onlyA ? [255, 0, 0, 255] : onlyB ? [0, 0, 255, 255] : [v, v, v, 255], 4 * i);
          }
          if (ma[i]) { ++ink; if (!near(mb, x, y)) ++mismatch; }
          if (mb[i]) { ++ink; if (!near(ma, x, y)) ++mismatch; }
        }
      result[red ? 'red' : 'ink'] = { ink, mismatch };
    }
    dg.putImageData(dimg, 0, 0);
    result.size = [ia.width, ia.height, ib.width, ib.height];
    result.diff = diff.toDataURL('image/png');
    return result;
  }, a, b);
}

(async () => {
  const browser = await puppeteer.launch({
    executablePath: process.env.CHROMIUM,
    headless: 'new',
    args: ['--no-sandbox', '--disable-gpu', '--font-render-hinting=none'],
  });
  let failures = 0;
  let worst = 0;
  try {
    const page = await browser.newPage();
    await page.setViewport({ width: 1400, height: 1200, deviceScaleFactor: 1 });
    page.on('pageerror', e => console.log('page error:', e.message));
    for (const [index, c] of cases.entries()) {
      const name = path.basename(c.ofd);
      let pages;
      try {
        pages = await renderInPage(page, c, index);
      } catch (e) {
        console.log(`FAIL: ${name}: ofd.js could not render it: ${e && e.message ? e.message : e}`);
        ++failures;
        continue;
      }
      if (pages.length !== c.pdfPngs.length) {
        console.log(`FAIL: ${name}: ofd.js shows ${pages.length} pages, the PDF has ${c.pdfPngs.length}`);
        ++failures;
      }
      for (let p = 0; p < Math.min(pages.length, c.pdfPngs.length); ++p) {
        const shot = path.join(out, `case${index}-ofd-${p + 1}.png`);
        fs.writeFileSync(shot, pages[p].png);
        if (pages[p].text !== c.pdfText[p]) {
          const a = pages[p].text, b = c.pdfText[p];
          let at = 0;
          while (at < a.length && at < b.length && a[at] === b[at]) ++at;
          console.log(`FAIL: ${name} page ${p + 1}: ofd.js text differs from the PDF's at ${at}: ` +
                      `${JSON.stringify(a.slice(at, at + 20))} vs ${JSON.stringify(b.slice(at, at + 20))}`);
          ++failures;
        }
        const pdfPng = 'data:image/png;base64,' + fs.readFileSync(c.pdfPngs[p]).toString('base64');
        const ofdPng = 'data:image/png;base64,' + pages[p].png.toString('base64');
        const r = await compare(page, pdfPng, ofdPng);
        fs.writeFileSync(path.join(out, `case${index}-diff-${p + 1}.png`), Buffer.from(r.diff.split(',')[1], 'base64'));
        const share = r.ink.mismatch / Math.max(1, r.ink.ink);
        const redShare = r.red.mismatch / Math.max(1, r.red.ink);
        worst = Math.max(worst, share);
        const sizeOk = Math.abs(r.size[0] - r.size[2]) <= 1 && Math.abs(r.size[1] - r.size[3]) <= 1;
        const ok = share < threshold && redShare < threshold && sizeOk;
        console.log(`${ok ? 'ok  ' : 'FAIL'} ${name} page ${p + 1}: ink ${r.ink.ink} px, mismatched ${(100 * share).toFixed(2)} %; ` +
                    `red ${r.red.ink} px, mismatched ${(100 * redShare).toFixed(2)} %; size PDF ${r.size[0]}x${r.size[1]} OFD ${r.size[2]}x${r.size[3]}`);
        if (!ok) ++failures;
      }
    }
  } finally {
    await browser.close();
  }
  console.log(`worst page: ${(100 * worst).toFixed(2)} % of ink mismatched (threshold ${(100 * threshold).toFixed(1)} %)`);
  process.exit(failures === 0 ? 0 : 1);
})().catch(e => {
  console.log('FAIL:', e);
  process.exit(1);
});
