// Loaded by site_check.sh into a copy of every published page, and run by web_e2e.js in every
// workspace page at phone width: measures, at the window's width, whether the page scrolls
// sideways or any table cell is cut off or lies off-screen (also inside a table's scrolling
// wrapper), and records the answer on <html data-overflow="…"> ("none" when clean).
(function () {
  const width = document.documentElement.clientWidth;
  const found = [];
  const page = document.scrollingElement.scrollWidth;
  if (page > width) found.push('page ' + page + 'px wide');
  for (const el of document.querySelectorAll('.tw, .table-wrap, th, td')) {
    const box = el.getBoundingClientRect();
    if (box.width === 0 && box.height === 0) continue;  // not shown at this width
    const name = el.tagName.toLowerCase() + ' "' + el.textContent.trim().slice(0, 12) + '"';
    if (box.left < -0.5 || box.right > width + 0.5) found.push(name + ' at ' + Math.round(box.left) + '–' + Math.round(box.right));
    if (el.scrollWidth > el.clientWidth + 1) found.push(name + ' cut (' + el.scrollWidth + ' > ' + el.clientWidth + ')');
  }
  document.documentElement.setAttribute('data-overflow', found.length ? found.slice(0, 3).join('; ') : 'none');
})();
