// mtcheck report: renders the documents table, the article view and the findings list from
// the JSON data island, a page at a time. Text goes into the page only through textContent
// and attributes set with setAttribute/title, never as markup.
(function () {
  "use strict";
  var D = JSON.parse(document.getElementById("mtcheck-data").textContent);
  var SEV = ["error", "warning", "info"];
  var ART_PAGE = 25, FIND_PAGE = 100, DOC_PAGE = 50;
  var nM = D.segMetrics.length;
  var LABEL = {bleu: "BLEU", chrf: "chrF", ter: "TER", fluency: "fluency", quality: "quality"};

  function el(tag, cls, text) {
    var e = document.createElement(tag);
    if (cls) e.className = cls;
    if (text !== undefined && text !== null) e.textContent = String(text);
    return e;
  }
  function fmt(v, digits) {
    return v === null || v === undefined ? "" : (typeof v === "number" ? v.toFixed(digits) : String(v));
  }

  // segment groups per document (segments of all systems with the same seg_id), findings per segment
  var groups = D.docs.map(function () { return []; });
  var groupOf = new Array(D.segs.length);
  var byKey = D.docs.map(function () { return {}; });
  D.segs.forEach(function (s, i) {
    var d = s[1], key = s[2];
    var g = byKey[d][key];
    if (g === undefined) { g = byKey[d][key] = groups[d].length; groups[d].push([]); }
    groups[d][g].push(i);
    groupOf[i] = g;
  });
  var segFinds = D.segs.map(function () { return []; });
  D.finds.forEach(function (f, i) { if (f[0] >= 0) segFinds[f[0]].push(i); });

  // filters
  var state = {sev: {}, code: {}, system: {}, doc: 0, artPage: 0, findPage: 0, docPage: 0,
               sortCol: -1, sortDir: 1};
  function readFilters() {
    ["sev", "code", "system"].forEach(function (name) {
      var on = {};
      document.querySelectorAll('#filters input[name="' + name + '"]').forEach(function (box) {
        on[box.value] = box.checked;
      });
      state[name] = on;
    });
  }
  function active(f) {
    return state.sev[SEV[f[5]]] && state.code[D.codes[f[4]]] && state.system[String(f[1])];
  }
  function title(f) {
    var t = D.codes[f[4]] + " [" + SEV[f[5]] + "] " + f[9];
    if (f[10]) t += "\nsuggestion: " + f[10];
    return t;
  }

  // one MT text with its active findings highlighted at their code-point offsets
  function highlighted(text, ids) {
    var cps = Array.from(text), n = cps.length, out = document.createDocumentFragment();
    var fs = ids.filter(function (i) { return active(D.finds[i]); }).map(function (i) {
      var f = D.finds[i];
      return {id: i, s: Math.max(0, Math.min(n, f[6])), e: Math.max(0, Math.min(n, f[7])), f: f};
    });
    var cuts = {0: true};
    cuts[n] = true;
    fs.forEach(function (x) { cuts[x.s] = true; cuts[x.e] = true; });
    var pts = Object.keys(cuts).map(Number).sort(function (a, b) { return a - b; });
    for (var k = 0; k < pts.length; k++) {
      var a = pts[k];
      fs.forEach(function (x) {
        if (x.s === a && x.e === a) {
          var m = el("mark", "hl empty sev-" + SEV[x.f[5]]);
          m.setAttribute("data-f", String(x.id));
          m.title = title(x.f);
          out.appendChild(m);
        }
      });
      if (k + 1 >= pts.length) break;
      var b = pts[k + 1];
      var cover = fs.filter(function (x) { return x.s <= a && x.e >= b && x.s < x.e; });
      var piece = cps.slice(a, b).join("");
      if (!cover.length) { out.appendChild(document.createTextNode(piece)); continue; }
      var top = Math.min.apply(null, cover.map(function (x) { return x.f[5]; }));
      var mark = el("mark", "hl sev-" + SEV[top], piece);
      mark.setAttribute("data-f", cover.map(function (x) { return x.id; }).join(" "));
      mark.title = cover.map(function (x) { return title(x.f); }).join("\n");
      out.appendChild(mark);
    }
    return out;
  }

  function pager(box, page, pages, onGo) {
    box.textContent = "";
    if (pages <= 1) return;
    var prev = el("button", null, "\u2039 previous"), next = el("button", null, "next \u203a");
    prev.type = next.type = "button";
    prev.disabled = page <= 0;
    next.disabled = page >= pages - 1;
    prev.addEventListener("click", function () { onGo(page - 1); });
    next.addEventListener("click", function () { onGo(page + 1); });
    box.appendChild(prev);
    box.appendChild(el("span", null, " page " + (page + 1) + " of " + pages + " "));
    box.appendChild(next);
  }

  // the article view: one document, the selected systems' MT beside the reference
  function renderArticle() {
    var view = document.getElementById("article-view");
    view.textContent = "";
    var gs = groups[state.doc] || [];
    var pages = Math.max(1, Math.ceil(gs.length / ART_PAGE));
    state.artPage = Math.min(state.artPage, pages - 1);
    pager(document.getElementById("art-pager"), state.artPage, pages, function (p) { state.artPage = p; renderArticle(); });
    var multi = D.systems.length > 1;
    var head = el("div", "seg" + (D.hasSrc ? " with-src" : ""));
    head.appendChild(el("div", "colhead", "machine translation"));
    head.appendChild(el("div", "colhead", "aligned reference"));
    if (D.hasSrc) head.appendChild(el("div", "colhead", "source"));
    view.appendChild(head);
    var shown = 0;
    gs.slice(state.artPage * ART_PAGE, (state.artPage + 1) * ART_PAGE).forEach(function (g) {
      var rows = g.filter(function (i) { return state.system[String(D.segs[i][0])]; });
      if (!rows.length) return;
      shown++;
      var first = D.segs[rows[0]];
      var box = el("div", "seg" + (D.hasSrc ? " with-src" : ""));
      var where = "segment " + first[2] + (first[3] !== null ? ", line " + first[3] : "") + (first[7] ? ", bead " + first[7] : "");
      box.appendChild(el("div", "where", where));
      var mts = el("div", "mts"), refs = el("div", "refs"), seen = {};
      rows.forEach(function (i) {
        var s = D.segs[i];
        var p = el("p", multi ? "mt multi" : "mt");
        p.id = "s-" + i;
        if (multi) {
          p.appendChild(el("span", "sys", D.systems[s[0]]));
          var t = el("span", "text");
          t.appendChild(highlighted(s[4], segFinds[i]));
          p.appendChild(t);
        } else {
          p.appendChild(highlighted(s[4], segFinds[i]));
        }
        mts.appendChild(p);
        if (s[5] >= 0 && !seen[s[5]]) { seen[s[5]] = true; refs.appendChild(el("p", "ref", D.texts[s[5]])); }
      });
      box.appendChild(mts);
      box.appendChild(refs);
      if (D.hasSrc) {
        var src = el("div", "src");
        if (first[6] >= 0) src.appendChild(el("p", null, D.texts[first[6]]));
        box.appendChild(src);
      }
      view.appendChild(box);
    });
    if (!shown) view.appendChild(el("p", "note", "No segment of the selected systems in this document."));
  }

  function goToSegment(i) {
    var s = D.segs[i];
    state.doc = s[1];
    document.getElementById("doc-select").value = String(s[1]);
    state.artPage = Math.floor(groupOf[i] / ART_PAGE);
    renderArticle();
    var target = document.getElementById("s-" + i);
    if (target) {
      document.querySelectorAll("#article-view .target").forEach(function (t) { t.classList.remove("target"); });
      target.classList.add("target");
      target.scrollIntoView({block: "center"});
    }
  }

  // the findings list
  function renderFindings() {
    var list = [];
    D.finds.forEach(function (f, i) { if (active(f)) list.push(i); });
    var pages = Math.max(1, Math.ceil(list.length / FIND_PAGE));
    state.findPage = Math.min(state.findPage, pages - 1);
    document.getElementById("find-count").textContent =
      "Showing " + list.length + " of " + D.finds.length + " findings. Click a place to see it in the article.";
    pager(document.getElementById("find-pager"), state.findPage, pages, function (p) { state.findPage = p; renderFindings(); });
    var table = document.getElementById("find-table");
    table.textContent = "";
    var thead = el("thead"), tr = el("tr");
    ["system", "document", "place", "code", "severity", "text", "message", "suggestion"].forEach(function (h) {
      tr.appendChild(el("th", null, h));
    });
    thead.appendChild(tr);
    table.appendChild(thead);
    var body = el("tbody");
    list.slice(state.findPage * FIND_PAGE, (state.findPage + 1) * FIND_PAGE).forEach(function (i) {
      var f = D.finds[i], row = el("tr");
      row.setAttribute("data-f", String(i));
      row.appendChild(el("td", null, D.systems[f[1]]));
      row.appendChild(el("td", null, D.docs[f[2]]));
      var place = el("td");
      var label = "line " + fmt(f[3], 0) + ":" + (f[6] + 1);
      if (f[0] >= 0) {
        var a = el("a", "go", label);
        a.href = "#s-" + f[0];
        a.addEventListener("click", function (ev) { ev.preventDefault(); goToSegment(f[0]); });
        place.appendChild(a);
      } else {
        place.textContent = label;
      }
      row.appendChild(place);
      var code = el("td", null, D.codes[f[4]]);
      if (f[11]) code.title = f[11];
      row.appendChild(code);
      var sev = el("td");
      sev.appendChild(el("span", "badge sev-" + SEV[f[5]], SEV[f[5]]));
      row.appendChild(sev);
      row.appendChild(el("td", "txt", f[8]));
      row.appendChild(el("td", "msg", f[9]));
      row.appendChild(el("td", null, f[10]));
      body.appendChild(row);
    });
    table.appendChild(body);
  }

  // the documents table, sortable and paged
  var docCols = ["system", "document", "segments"].concat(D.docMetrics.map(function (m) { return LABEL[m] || m; }),
                                                           ["errors", "warnings", "infos"]);
  function docValue(r, c) {
    if (c === 0) return D.systems[r[0]];
    if (c === 1) return D.docs[r[1]];
    return r[c];
  }
  function renderDocs() {
    var rows = D.documents.slice();
    if (state.sortCol >= 0) {
      var c = state.sortCol, dir = state.sortDir;
      rows = rows.map(function (r, k) { return [r, k]; });
      rows.sort(function (x, y) {
        var a = docValue(x[0], c), b = docValue(y[0], c);
        if (a === null && b === null) return x[1] - y[1];
        if (a === null) return 1;
        if (b === null) return -1;
        var cmp = typeof a === "number" ? a - b : String(a).localeCompare(String(b));
        return cmp ? cmp * dir : x[1] - y[1];
      });
      rows = rows.map(function (x) { return x[0]; });
    }
    var pages = Math.max(1, Math.ceil(rows.length / DOC_PAGE));
    state.docPage = Math.min(state.docPage, pages - 1);
    pager(document.getElementById("doc-pager"), state.docPage, pages, function (p) { state.docPage = p; renderDocs(); });
    var table = document.getElementById("doc-table");
    table.textContent = "";
    var thead = el("thead"), tr = el("tr");
    docCols.forEach(function (h, c) {
      var th = el("th", c >= 2 ? "num" : null), b = el("button", null, h);
      b.type = "button";
      if (state.sortCol === c) b.setAttribute("data-dir", state.sortDir > 0 ? "asc" : "desc");
      b.addEventListener("click", function () {
        state.sortDir = state.sortCol === c ? -state.sortDir : (c >= 2 ? -1 : 1);
        state.sortCol = c;
        renderDocs();
      });
      th.appendChild(b);
      tr.appendChild(th);
    });
    thead.appendChild(tr);
    table.appendChild(thead);
    var body = el("tbody");
    rows.slice(state.docPage * DOC_PAGE, (state.docPage + 1) * DOC_PAGE).forEach(function (r) {
      var row = el("tr");
      docCols.forEach(function (h, c) {
        var v = docValue(r, c);
        var td = el("td", c >= 2 ? "num" : null);
        if (c === 1) {
          var a = el("a", null, v);
          a.href = "#article";
          a.addEventListener("click", function (ev) {
            ev.preventDefault();
            state.doc = r[1];
            state.artPage = 0;
            document.getElementById("doc-select").value = String(r[1]);
            renderArticle();
            document.getElementById("article").scrollIntoView();
          });
          td.appendChild(a);
        } else {
          td.textContent = typeof v === "number" && c >= 3 && c < 3 + D.docMetrics.length ? v.toFixed(2) : fmt(v, 0);
        }
        row.appendChild(td);
      });
      body.appendChild(row);
    });
    table.appendChild(body);
  }

  var select = document.getElementById("doc-select");
  D.docs.forEach(function (name, d) {
    var o = el("option", null, name + " (" + groups[d].length + " segments)");
    o.value = String(d);
    select.appendChild(o);
  });
  select.addEventListener("change", function () { state.doc = Number(select.value); state.artPage = 0; renderArticle(); });
  document.getElementById("filters").addEventListener("change", function () {
    readFilters();
    state.findPage = 0;
    renderArticle();
    renderFindings();
  });
  readFilters();
  renderDocs();
  renderArticle();
  renderFindings();
  document.body.setAttribute("data-ready", "1");
})();
