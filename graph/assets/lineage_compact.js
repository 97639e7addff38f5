/* paperlineage big-graph page: every paper and edge in compact columns (graph/overview.py),
 * turned into vis-network nodes and edges only for the part being looked at: a community,
 * or one paper's neighbourhood. The columns are decoded on first use, so the overview
 * paints before any of this runs. Untrusted text stays data: lineage.js writes it with
 * textContent only. */
(function () {
  "use strict";
  window.LineageCompact = function (DATA) {
    var P = DATA.papers, L = DATA.links, C = DATA.config, N = P.id.length;
    var NEIGHBOURS = 150, MEMBERS = 120, COLUMN = 16, ROW = 44, COLUMN_GAP = 240;
    var rowOf = null, csr = null, lower = null;

    function bytes(b64) {
      var text = atob(b64), out = new Uint8Array(text.length);
      for (var i = 0; i < text.length; i++) { out[i] = text.charCodeAt(i); }
      return out;
    }
    function uint32(b64) { var b = bytes(b64); return new Uint32Array(b.buffer, 0, b.length / 4); }
    // Out-edges as CSR from the page; in-edges built here by a counting sort (one pass each way).
    function links() {
      if (csr) { return csr; }
      var off = uint32(L.offsets), dst = uint32(L.targets), code = bytes(L.codes);
      var inOff = new Uint32Array(N + 1), inSrc = new Uint32Array(dst.length), inEdge = new Uint32Array(dst.length);
      for (var k = 0; k < dst.length; k++) { inOff[dst[k] + 1] += 1; }
      for (var i = 0; i < N; i++) { inOff[i + 1] += inOff[i]; }
      var fill = inOff.slice(0, N);
      for (var u = 0; u < N; u++) {
        for (var e = off[u]; e < off[u + 1]; e++) { var at = fill[dst[e]]++; inSrc[at] = u; inEdge[at] = e; }
      }
      csr = {off: off, dst: dst, code: code, inOff: inOff, inSrc: inSrc, inEdge: inEdge};
      return csr;
    }
    function row(id) {
      if (!rowOf) { rowOf = new Map(); for (var i = 0; i < N; i++) { rowOf.set(P.id[i], i); } }
      return rowOf.has(id) ? rowOf.get(id) : -1;
    }
    var influence = {};
    C.influenceKinds.forEach(function (k) { influence[k] = true; });
    function kindOf(code) { return L.kinds[code & 15]; }

    function colour(c) { return c >= 0 && c < C.colours.length ? C.colours[c] : C.smallCommunityColour; }
    function darker(hex) {
      var out = "#";
      for (var i = 1; i < 7; i += 2) { out += ("0" + Math.floor(parseInt(hex.slice(i, i + 2), 16) * 0.7).toString(16)).slice(-2); }
      return out;
    }
    function label(i) {  // as export_html._label: the first method it introduces, else the title cut at 28
      var methods = P.methods[i].split(C.listSeparator).filter(Boolean), title = P.title[i];
      if (P.flags[i] & 1) { return title; }
      return methods.length ? methods[0] : title.length <= 28 ? title : title.slice(0, 26) + "\u2026";
    }
    function node(i) {
      var method = (P.flags[i] & 1) === 1, fill = method ? C.methodColour : colour(P.community[i]), border = darker(fill);
      var n = {
        id: P.id[i], label: label(i), shape: method ? "diamond" : "dot", size: method ? 10 : P.size[i],
        color: {background: fill, border: border, highlight: {background: fill, border: "#111111"}, hover: {background: fill, border: "#111111"}},
        borderWidth: 1, node_kind: method ? "method" : "paper", paper_title: P.title[i], date: P.date[i], date_estimated: false,
        year: P.year[i], authors: P.authors[i], organization: P.organization[i], arxiv_id: P.arxiv_id[i], github: P.github[i],
        stars: P.stars[i], methods: P.methods[i], community: P.community[i], pagerank: P.pagerank[i],
        abstract: P.abstracts[String(i)] || "", flags: P.flags[i]
      };
      C.flagNames.forEach(function (name, bit) { if (bit > 0) { n[name] = (P.flags[i] & (1 << bit)) !== 0; } });
      return n;
    }
    function edge(u, v, code) {
      var kind = kindOf(code), confirmable = (code & C.bits.confirmable) !== 0, confirmed = (code & C.bits.confirmed) !== 0;
      var styles = C.styles[kind], style = confirmable && !confirmed ? styles.textOnly : styles.normal;
      var influential = (code & C.bits.influential) !== 0;
      var e = {
        id: P.id[u] + "|" + P.id[v] + "|" + kind, from: P.id[u], to: P.id[v], kind: kind,
        undirected: C.undirectedKinds.indexOf(kind) >= 0, evidence: "", names: "", intents: "", influential: influential,
        color: {color: style.color, highlight: style.color, hover: style.color, inherit: false},
        width: style.width + (influential ? 1 : 0), dashes: style.dashes, arrows: style.arrows, compact: true
      };
      if (confirmable) { e.confirmed = confirmed; }
      return e;
    }
    function byRank(a, b) { return P.pagerank[b] - P.pagerank[a] || (P.id[a] < P.id[b] ? -1 : 1); }
    // Every edge with both ends in `chosen` (a Set of rows), in (source, target, kind) order.
    function edgesAmong(chosen) {
      var g = links(), found = [];
      Array.from(chosen).sort(function (a, b) { return a - b; }).forEach(function (u) {
        for (var e = g.off[u]; e < g.off[u + 1]; e++) { if (chosen.has(g.dst[e])) { found.push(edge(u, g.dst[e], g.code[e])); } }
      });
      return found;
    }
    // Columns of at most COLUMN papers, growing outwards from x0 in direction dx.
    function columns(rows, x0, dx, at) {
      rows.forEach(function (r, k) {
        var col = Math.floor(k / COLUMN), inCol = Math.min(COLUMN, rows.length - col * COLUMN), pos = k % COLUMN;
        at[r] = {x: x0 + dx * col * COLUMN_GAP, y: (pos - (inCol - 1) / 2) * ROW};
      });
    }

    // A paper, what it builds on (left), what builds on it (right) and what it only shares
    // a method with (underneath), the NEIGHBOURS with the highest PageRank, lineage first.
    function neighbourhood(id) {
      var r = row(id);
      if (r < 0) { return null; }
      var g = links(), before = new Map(), after = new Map(), side = new Map(), e;
      for (e = g.inOff[r]; e < g.inOff[r + 1]; e++) { (influence[kindOf(g.code[g.inEdge[e]])] ? before : side).set(g.inSrc[e], true); }
      for (e = g.off[r]; e < g.off[r + 1]; e++) { (influence[kindOf(g.code[e])] ? after : side).set(g.dst[e], true); }
      var left = Array.from(before.keys()).sort(byRank), right = Array.from(after.keys()).filter(function (x) { return !before.has(x); }).sort(byRank);
      var under = Array.from(side.keys()).filter(function (x) { return !before.has(x) && !after.has(x) && x !== r; }).sort(byRank);
      var room = NEIGHBOURS;
      left = left.slice(0, room); room -= left.length;
      right = right.slice(0, room); room -= right.length;
      under = under.slice(0, Math.max(room, 0));
      var at = {};
      at[r] = {x: 0, y: 0};
      columns(left, -COLUMN_GAP, -1, at);
      columns(right, COLUMN_GAP, 1, at);
      var top = (Math.min(COLUMN, Math.max(left.length, right.length, 1)) / 2) * ROW + 3 * ROW, perRow = 8;
      under.forEach(function (x, k) { at[x] = {x: ((k % perRow) - (Math.min(perRow, under.length) - 1) / 2) * 190, y: top + Math.floor(k / perRow) * ROW}; });
      var chosen = new Set([r].concat(left, right, under));
      var total = before.size + after.size + under.length + (side.size - under.length);
      return {
        name: "neighbourhood", focus: id, title: "neighbourhood of " + label(r), hidden: total - (chosen.size - 1),
        nodes: Array.from(chosen).map(function (x) { var n = node(x); n.x = at[x].x; n.y = at[x].y; return n; }),
        edges: edgesAmong(chosen)
      };
    }
    var CLUSTERED = new Set(C.communities.slice().sort(function (a, b) { return b.count - a.count || a.id - b.id; })
      .slice(0, C.overview.maxClusters).map(function (x) { return x.id; }));  // as overview.cluster_of
    function tailOf(c) { return CLUSTERED.has(c) ? c : C.overview.tail; }
    // The MEMBERS papers of a community (or of the tail of small ones) with the highest PageRank, as a sunflower.
    function community(key) {
      var members = [], golden = Math.PI * (3 - Math.sqrt(5));
      for (var i = 0; i < N; i++) { if (tailOf(P.community[i]) === key) { members.push(i); } }
      var count = members.length;
      members = members.sort(byRank).slice(0, MEMBERS);
      var nodes = members.map(function (x, k) {
        var n = node(x), r = 70 * Math.sqrt(k);
        n.x = Math.round(r * Math.cos(k * golden) * 10) / 10; n.y = Math.round(r * Math.sin(k * golden) * 10) / 10;
        return n;
      });
      return {name: "community", community: key, title: "community " + (key === C.overview.tail ? "(smaller ones)" : key),
              hidden: count - members.length, nodes: nodes, edges: edgesAmong(new Set(members))};
    }
    // Search over every paper, scored as on the small page.
    function find(query) {
      var q = String(query || "").trim().toLowerCase(), scored = [];
      if (!q) { return scored; }
      if (!lower) { lower = {title: P.title.map(function (t) { return t.toLowerCase(); }), methods: P.methods.map(function (m) { return m.toLowerCase(); })}; }
      for (var i = 0; i < N; i++) {
        var title = lower.title[i], methods = lower.methods[i];
        if (title.indexOf(q) < 0 && methods.indexOf(q) < 0 && P.arxiv_id[i].indexOf(q) < 0) { continue; }
        var score = P.arxiv_id[i].toLowerCase() === q ? 0 : methods.split(C.listSeparator).indexOf(q) >= 0 ? 1
          : label(i).toLowerCase() === q ? 2 : title.indexOf(q) === 0 ? 3 : 4;
        scored.push([score, P.id[i]]);
      }
      return scored.sort(function (a, b) { return a[0] - b[0] || (a[1] < b[1] ? -1 : a[1] > b[1] ? 1 : 0); });
    }
    function reach(start, forward) {
      var g = links(), seen = new Uint8Array(N), queue = [start], found = [];
      seen[start] = 1;
      for (var k = 0; k < queue.length; k++) {
        var u = queue[k], lo = forward ? g.off[u] : g.inOff[u], hi = forward ? g.off[u + 1] : g.inOff[u + 1];
        for (var e = lo; e < hi; e++) {
          var next = forward ? g.dst[e] : g.inSrc[e], code = forward ? g.code[e] : g.code[g.inEdge[e]];
          if (influence[kindOf(code)] && !seen[next]) { seen[next] = 1; found.push(P.id[next]); queue.push(next); }
        }
      }
      return found.sort();
    }
    function lineageOf(id) {
      var r = row(id);
      return r < 0 ? {ancestors: [], descendants: []} : {ancestors: reach(r, false), descendants: reach(r, true)};
    }
    // Every edge at a paper, both directions.
    function edgesOf(id) {
      var r = row(id), g = links(), found = [], e;
      if (r < 0) { return found; }
      for (e = g.inOff[r]; e < g.inOff[r + 1]; e++) { found.push(edge(g.inSrc[e], r, g.code[g.inEdge[e]])); }
      for (e = g.off[r]; e < g.off[r + 1]; e++) { found.push(edge(r, g.dst[e], g.code[e])); }
      return found;
    }
    return {
      count: N, edgeCount: L.count, neighbourhood: neighbourhood, community: community, find: find, lineageOf: lineageOf,
      edgesOf: edgesOf, node: function (id) { var r = row(id); return r < 0 ? null : node(r); }
    };
  };
})();
