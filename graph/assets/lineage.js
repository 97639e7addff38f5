/* paperlineage page: filters, search, lineage mode and details for the vis-network graph.
 * Every string from the graph (titles, abstracts, evidence) is untrusted: it is only ever
 * written with textContent, and links are built from IDs that match a strict pattern. */
(function () {
  "use strict";
  var DATA = JSON.parse(document.getElementById("lineage-data").textContent);
  var CONFIG = DATA.config;
  // A big graph (mode "overview") draws communities and its top papers first; every paper and
  // edge is in compact columns (lineage_compact.js) and a community or a paper's neighbourhood
  // is drawn from them on demand. A small graph draws everything, and `view` never changes.
  var BIG = DATA.mode === "overview" ? window.LineageCompact(DATA) : null;
  var OVERVIEW = {name: "overview", title: "overview", nodes: DATA.nodes, edges: DATA.edges, hidden: 0};
  var view = OVERVIEW;
  var nodes = new vis.DataSet(view.nodes);
  var edges = new vis.DataSet(view.edges);
  var network = new vis.Network(document.getElementById("mynetwork"), {nodes: nodes, edges: edges}, DATA.options);
  var BASE = {};  // original look of every node and edge, to restore after dimming
  function remember() {
    BASE = {};
    view.nodes.forEach(function (n) { BASE[n.id] = {color: n.color, borderWidth: n.borderWidth}; });
    view.edges.forEach(function (e) { BASE[e.id] = {color: e.color, width: e.width}; });
  }
  remember();
  var DIM_NODE = {background: "#eeeeee", border: "#dddddd", highlight: {background: "#eeeeee", border: "#999999"}, hover: {background: "#eeeeee", border: "#999999"}};
  var DIM_EDGE = {color: "rgba(200,200,200,0.25)", highlight: "rgba(200,200,200,0.25)", hover: "rgba(200,200,200,0.4)", inherit: false};
  var SHOWN_COMMUNITIES = CONFIG.communities.filter(function (c) { return c.colour !== CONFIG.smallCommunityColour; });
  var SMALL = -2;  // legend row standing for every community drawn in grey

  var state = {hiddenKinds: {}, hiddenConfirmation: {}, hiddenCommunities: {}, yearMin: null, yearMax: null, undated: true,
               lineageMode: false, focus: null, searchHit: null, onlyNew: false};

  // Influence adjacency (cites + mentions): u -> v means v builds on u.
  var out = {}, inn = {};
  (BIG ? [] : DATA.edges).forEach(function (e) {
    if (CONFIG.influenceKinds.indexOf(e.kind) < 0) { return; }
    (out[e.from] = out[e.from] || []).push(e.to);
    (inn[e.to] = inn[e.to] || []).push(e.from);
  });
  function reach(start, adjacency) {
    var seen = {}, queue = [start], found = [];
    seen[start] = true;
    for (var i = 0; i < queue.length; i++) {
      (adjacency[queue[i]] || []).forEach(function (next) {
        if (!seen[next]) { seen[next] = true; found.push(next); queue.push(next); }
      });
    }
    return found.sort();
  }
  function lineageOf(id) { return BIG ? BIG.lineageOf(id) : {ancestors: reach(id, inn), descendants: reach(id, out)}; }

  function el(tag, text, cls) {
    var e = document.createElement(tag);
    if (text !== undefined && text !== null) { e.textContent = String(text); }
    if (cls) { e.className = cls; }
    return e;
  }
  function link(href, text) {
    var a = el("a", text);
    a.href = href; a.target = "_blank"; a.rel = "noopener noreferrer";
    return a;
  }
  var ARXIV_ID = /^(\d{4}\.\d{4,5}|[a-z-]+(\.[A-Z]{2})?\/\d{7})(v\d+)?$/;
  var GITHUB_REPO = /^[A-Za-z0-9-]+\/[A-Za-z0-9._-]+$/;
  // A mentions edge a citation backs is "confirmed"; one without is "text only" (legend rows under the kind).
  function confirmationKey(kind, confirmed) { return kind + (confirmed ? ":confirmed" : ":text-only"); }
  function edgeShown(e) {
    if (state.hiddenKinds[e.kind]) { return false; }
    return typeof e.confirmed !== "boolean" || !state.hiddenConfirmation[confirmationKey(e.kind, e.confirmed)];
  }
  function communityKey(c) { return SHOWN_COMMUNITIES.some(function (s) { return s.id === c; }) ? c : SMALL; }

  // ---- filters and highlighting -------------------------------------------------------
  function nodeVisible(n) {
    if (n.node_kind === "community") { return !state.hiddenCommunities[communityKey(n.community)]; }
    if (state.onlyNew && n.node_kind === "paper" && !n.new) { return false; }
    if (n.node_kind === "paper" && state.hiddenCommunities[communityKey(n.community)]) { return false; }
    if (!n.year) { return n.node_kind !== "paper" || state.undated; }
    return (state.yearMin === null || n.year >= state.yearMin) && (state.yearMax === null || n.year <= state.yearMax);
  }
  // Only what changed goes to vis: on big graphs a full update of every edge takes seconds.
  var drawnState = {};
  function applyView() {
    var visible = {}, lit = null;
    nodes.forEach(function (n) { visible[n.id] = nodeVisible(n); });
    if (state.focus !== null) {
      var family = lineageOf(state.focus);
      lit = {};
      lit[state.focus] = true;
      family.ancestors.concat(family.descendants).forEach(function (id) { lit[id] = true; });
    }
    var nodeUpdates = [], edgeUpdates = [], shown = 0, shownEdges = 0;
    view.nodes.forEach(function (n) {
      var dim = lit !== null && !lit[n.id];
      var mark = n.id === state.searchHit || n.id === state.focus;
      var key = (visible[n.id] ? "v" : "h") + (dim ? "d" : "") + (mark ? "m" : "");
      if (visible[n.id]) { shown += 1; }
      if ((drawnState[n.id] || "v") === key) { return; }
      drawnState[n.id] = key;
      nodeUpdates.push({id: n.id, hidden: !visible[n.id], color: dim ? DIM_NODE : BASE[n.id].color,
                        font: {color: dim ? "#c8c8c8" : "#222222"}, borderWidth: mark ? 4 : BASE[n.id].borderWidth});
    });
    view.edges.forEach(function (e) {
      var on = edgeShown(e) && visible[e.from] && visible[e.to];
      var litEdge = lit !== null && lit[e.from] && lit[e.to] && CONFIG.influenceKinds.indexOf(e.kind) >= 0;
      var dim = lit !== null && !litEdge;
      var key = (on ? "v" : "h") + (dim ? "d" : "") + (litEdge ? "l" : "");
      if (on) { shownEdges += 1; }
      if ((drawnState[e.id] || "v") === key) { return; }
      drawnState[e.id] = key;
      edgeUpdates.push({id: e.id, hidden: !on, color: dim ? DIM_EDGE : BASE[e.id].color,
                        width: litEdge ? BASE[e.id].width + 1.5 : BASE[e.id].width});
    });
    if (nodeUpdates.length) { nodes.update(nodeUpdates); }
    if (edgeUpdates.length) { edges.update(edgeUpdates); }
    if (BIG) {
      document.getElementById("counts").textContent = BIG.count + " papers, " + BIG.edgeCount + " edges · showing the " + view.title +
        ": " + shown + " nodes, " + shownEdges + " edges" + (view.hidden ? " (" + view.hidden + " more not drawn)" : "");
    } else {
      document.getElementById("counts").textContent = DATA.nodes.length + " papers, " + DATA.edges.length + " edges" +
        (shown !== DATA.nodes.length || shownEdges !== DATA.edges.length ? " · showing " + shown + " and " + shownEdges : "");
    }
  }
  // Big graph: draw another part of it (the overview, a community, a neighbourhood).
  function setView(next) {
    view = next;
    nodes.clear(); edges.clear();
    nodes.add(view.nodes); edges.add(view.edges);
    remember();
    drawnState = {};
    state.focus = null;
    document.getElementById("overview").hidden = view === OVERVIEW;
    applyView();
    network.fit({animation: false});
  }
  function openNeighbourhood(id) { var next = BIG && BIG.neighbourhood(id); if (next) { setView(next); } return !!next; }
  function openCommunity(key) { setView(BIG.community(key)); }
  function setFocus(id) {
    state.focus = id;
    applyView();
    return id === null ? null : lineageOf(id);
  }

  // ---- hover card and details ------------------------------------------------------------
  function clusterCard(n, box) {
    box.appendChild(el("div", n.name, "card-title"));
    box.appendChild(el("div", "community " + (n.community === CONFIG.overview.tail ? "(the smaller ones together)" : n.community) +
      " · " + n.count + " papers", "meta"));
    box.appendChild(el("div", "Click to open its papers with the highest PageRank.", "meta"));
  }
  function paperCard(n, box, full) {
    if (n.node_kind === "community") { clusterCard(n, box); return; }
    box.appendChild(el("div", n.paper_title, "card-title"));
    var facts = [];
    if (n.date) { facts.push(n.date); } else if (n.node_kind !== "method") { facts.push(n.date_estimated ? "undated (placed by lineage)" : "undated"); }
    if (n.authors) { facts.push(n.authors + (n.authors === 1 ? " author" : " authors")); }
    if (n.organization) { facts.push(n.organization); }
    if (n.node_kind === "method") { facts.push("method"); }
    if (n.new) { facts.push("new since the last build"); }
    if (facts.length) { box.appendChild(el("div", facts.join(" · "), "meta")); }
    var links = el("div", null, "meta");
    if (ARXIV_ID.test(n.arxiv_id || "")) { links.appendChild(link("https://arxiv.org/abs/" + n.arxiv_id, "arXiv:" + n.arxiv_id)); links.appendChild(document.createTextNode("  ")); }
    if (GITHUB_REPO.test(n.github || "")) {
      links.appendChild(link("https://github.com/" + n.github, "github.com/" + n.github));
      if (n.stars) { links.appendChild(document.createTextNode(" ★ " + n.stars)); }
    }
    if (links.childNodes.length) { box.appendChild(links); }
    if (n.methods) { box.appendChild(el("div", "introduces " + n.methods, "meta")); }
    if (full) {
      box.appendChild(el("div", "community " + n.community + " · PageRank " + n.pagerank.toFixed(4), "meta"));
      if (n.abstract) { box.appendChild(el("p", n.abstract, "abstract")); }
    }
  }
  function findNode(id) { return nodes.get(id) || (BIG ? BIG.node(id) : null); }
  function nodeName(id) { var n = findNode(id); return n ? n.label || n.name : id; }
  // u → v reads "v builds on u"; a relation with no direction (shares_method) gets a plain dash, as in the CLI.
  function edgeCard(e, box) {
    box.appendChild(el("div", nodeName(e.from) + (e.undirected ? " — " : " → ") + nodeName(e.to), "card-title"));
    var facts = [e.kind];
    if (typeof e.confirmed === "boolean") { facts.push(e.confirmed ? "confirmed by a citation" : "text only"); }
    if (e.names) { facts.push(e.names); }
    if (e.intents) { facts.push(e.intents); }
    if (e.influential) { facts.push("influential"); }
    if (e.kind === "between") { facts = [e.count + " edges between these communities"]; }
    box.appendChild(el("div", facts.join(" · "), "meta"));
    if (e.compact) { box.appendChild(el("div", "evidence: in graph.json (not embedded in the big page)", "meta")); }
    (e.evidence || "").split(" | ").filter(Boolean).forEach(function (line) { box.appendChild(el("div", line, "evidence")); });
  }
  var card = document.getElementById("hovercard");
  function showCard(fill, pointer) {
    card.replaceChildren();
    fill(card);
    card.hidden = false;
    var stage = document.getElementById("stage");
    var x = Math.min(pointer.x + 14, stage.clientWidth - card.offsetWidth - 8);
    var y = Math.min(pointer.y + 14, stage.clientHeight - card.offsetHeight - 8);
    card.style.left = Math.max(x, 4) + "px";
    card.style.top = Math.max(y, 4) + "px";
  }
  function relatives(title, ids, box) {
    if (!ids.length) { return; }
    var row = el("div", null, "rel");
    row.appendChild(el("b", title + " (" + ids.length + "): "));
    ids.slice(0, 40).forEach(function (id) {
      var b = el("button", nodeName(id));
      b.type = "button";
      b.addEventListener("click", function () { select(id); });
      row.appendChild(b);
    });
    if (ids.length > 40) { row.appendChild(el("span", "… and " + (ids.length - 40) + " more", "meta")); }
    box.appendChild(row);
  }
  function showDetails(id) {
    var n = findNode(id);
    if (!n) { return; }
    var body = document.getElementById("details-body");
    body.replaceChildren();
    paperCard(n, body, true);
    if (n.node_kind === "community") { document.getElementById("details").hidden = false; return; }
    if (BIG && !(view.name === "neighbourhood" && view.focus === id)) {
      var open = el("button", "Open its neighbourhood");
      open.type = "button"; open.className = "open";
      open.addEventListener("click", function () { openNeighbourhood(id); select(id); });
      body.appendChild(open);
    }
    var family = lineageOf(id);
    relatives("builds on", family.ancestors, body);
    relatives("built on by", family.descendants, body);
    var around = BIG ? BIG.edgesOf(id) : edges.get({filter: function (e) { return e.from === id || e.to === id; }});
    var lineage = around.filter(function (e) { return CONFIG.influenceKinds.indexOf(e.kind) >= 0; });
    lineage.slice(0, 60).forEach(function (e) { var p = el("div", null, "rel"); edgeCard(e, p); body.appendChild(p); });
    if (lineage.length > 60) { body.appendChild(el("div", "… and " + (lineage.length - 60) + " more lineage edges", "meta")); }
    var shared = around.filter(function (e) { return e.undirected; });
    if (shared.length) {
      body.appendChild(el("div", "shares rare methods with " + shared.length + " papers", "meta"));
    }
    document.getElementById("details").hidden = false;
  }
  function showEdgeDetails(id) {
    var e = edges.get(id);
    if (!e) { return; }
    var body = document.getElementById("details-body");
    body.replaceChildren();
    edgeCard(e, body);
    document.getElementById("details").hidden = false;
  }
  function select(id) {
    var n = findNode(id);
    if (n && n.node_kind === "community") { openCommunity(n.community); return; }
    if (BIG && !nodes.get(id)) { openNeighbourhood(id); }
    network.selectNodes([id]);
    showDetails(id);
    if (state.lineageMode) { setFocus(id); }
  }

  network.on("hoverNode", function (p) { showCard(function (box) { paperCard(nodes.get(p.node), box, false); }, p.pointer.DOM); });
  network.on("doubleClick", function (p) { if (BIG && p.nodes.length && nodes.get(p.nodes[0]).node_kind !== "community") { openNeighbourhood(p.nodes[0]); select(p.nodes[0]); } });
  network.on("hoverEdge", function (p) { showCard(function (box) { edgeCard(edges.get(p.edge), box); }, p.pointer.DOM); });
  network.on("blurNode", function () { card.hidden = true; });
  network.on("blurEdge", function () { card.hidden = true; });
  network.on("dragStart", function () { card.hidden = true; });
  network.on("click", function (p) {
    if (p.nodes.length) { select(p.nodes[0]); return; }
    if (p.edges.length) { showEdgeDetails(p.edges[0]); return; }
    document.getElementById("details").hidden = true;
    if (state.focus !== null) { setFocus(null); }
  });
  document.getElementById("details-close").addEventListener("click", function () { document.getElementById("details").hidden = true; });

  // ---- search ----------------------------------------------------------------------------
  function search(query) {
    var q = String(query || "").trim().toLowerCase();
    var status = document.getElementById("search-status");
    if (!q) { status.textContent = ""; state.searchHit = null; applyView(); return null; }
    var scored = BIG ? BIG.find(q) : [];
    (BIG ? [] : nodes).forEach(function (n) {
      var methods = (n.methods || "").toLowerCase().split(CONFIG.listSeparator);
      var title = (n.paper_title || "").toLowerCase();
      var score = (n.arxiv_id || "").toLowerCase() === q ? 0 : methods.indexOf(q) >= 0 ? 1 : (n.label || "").toLowerCase() === q ? 2
        : title.indexOf(q) === 0 ? 3 : title.indexOf(q) >= 0 || (n.methods || "").toLowerCase().indexOf(q) >= 0 || (n.arxiv_id || "").indexOf(q) >= 0 ? 4 : -1;
      if (score >= 0) { scored.push([score, n.id]); }
    });
    scored.sort(function (a, b) { return a[0] - b[0] || (a[1] < b[1] ? -1 : a[1] > b[1] ? 1 : 0); });
    if (!scored.length) { status.textContent = "No paper matches “" + query + "”."; return null; }
    var id = scored[0][1];
    if (BIG) { openNeighbourhood(id); }
    var n = nodes.get(id);
    if (!nodeVisible(n)) { resetFilters(); }
    state.searchHit = id;
    status.textContent = scored.length === 1 ? "1 match: " + n.label : scored.length + " matches; showing " + n.label;
    select(id);
    applyView();
    if (!BIG) { network.focus(id, {scale: 1.3, animation: false}); }  // a neighbourhood is fitted when it opens
    return id;
  }
  document.getElementById("search").addEventListener("keydown", function (ev) { if (ev.key === "Enter") { search(ev.target.value); } });

  // ---- legend and controls ---------------------------------------------------------------
  function checkRow(box, mark, text, count, checked, onChange, key) {
    var label = el("label");
    label.dataset.key = String(key);
    var input = el("input");
    input.type = "checkbox"; input.checked = checked;
    input.addEventListener("change", function () { onChange(input.checked); applyView(); });
    label.appendChild(input); label.appendChild(mark); label.appendChild(el("span", text));
    label.appendChild(el("span", count, "count"));
    box.appendChild(label);
    return input;
  }
  var kindInputs = {}, communityInputs = {};
  CONFIG.kinds.forEach(function (k) {
    var line = el("span", null, "line" + (k.dashes ? " dashed" : ""));
    line.style.borderTopColor = k.color;
    kindInputs[k.kind] = checkRow(document.getElementById("edge-legend"), line, k.label || k.kind, k.count, true,
      function (on) { state.hiddenKinds[k.kind] = !on; }, k.kind);
  });
  var confirmationInputs = {};
  CONFIG.confirmation.forEach(function (r) {
    var line = el("span", null, "line" + (r.dashes ? " dashed" : ""));
    line.style.borderTopColor = r.color;
    var key = confirmationKey(r.kind, r.confirmed);
    confirmationInputs[key] = checkRow(document.getElementById("confirmation-legend"), line, r.label, r.count, true,
      function (on) { state.hiddenConfirmation[key] = !on; }, key);
  });
  SHOWN_COMMUNITIES.forEach(function (c) {
    var dot = el("span", null, "swatch"); dot.style.background = c.colour;
    communityInputs[c.id] = checkRow(document.getElementById("community-legend"), dot, c.name, c.count, true,
      function (on) { state.hiddenCommunities[c.id] = !on; }, c.id);
  });
  var small = CONFIG.communities.filter(function (c) { return c.colour === CONFIG.smallCommunityColour; });
  if (small.length) {
    var dot = el("span", null, "swatch"); dot.style.background = CONFIG.smallCommunityColour;
    var total = small.reduce(function (s, c) { return s + c.count; }, 0);
    communityInputs[SMALL] = checkRow(document.getElementById("community-legend"), dot, small.length + " smaller communities", total, true,
      function (on) { state.hiddenCommunities[SMALL] = !on; }, "small");
  }
  (function sizeLegend() {
    var box = el("div", null, "sizes");
    [8, 14, 22].forEach(function (d) { var s = el("span", null, "dot"); s.style.width = s.style.height = d + "px"; box.appendChild(s); });
    box.appendChild(el("span", CONFIG.sizeBy === "stars" ? "GitHub stars (log)" : "PageRank over influence edges"));
    document.getElementById("size-legend").appendChild(box);
    if (CONFIG.layout === "timeline") {
      document.getElementById("size-legend").appendChild(el("div", "x: publication date; dashed border: undated, placed by lineage", "meta"));
    }
  })();
  var yearMin = document.getElementById("year-min"), yearMax = document.getElementById("year-max"), undated = document.getElementById("year-undated");
  if (CONFIG.years.length) {
    yearMin.min = yearMax.min = CONFIG.years[0]; yearMin.max = yearMax.max = CONFIG.years[1];
    yearMin.value = CONFIG.years[0]; yearMax.value = CONFIG.years[1];
  } else {
    yearMin.disabled = yearMax.disabled = true;
  }
  function readYears() {
    state.yearMin = yearMin.value === "" ? null : Number(yearMin.value);
    state.yearMax = yearMax.value === "" ? null : Number(yearMax.value);
    state.undated = undated.checked;
    applyView();
  }
  [yearMin, yearMax, undated].forEach(function (input) { input.addEventListener("change", readYears); });
  function setYears(from, to, withUndated) {
    yearMin.value = from === null ? "" : from; yearMax.value = to === null ? "" : to; undated.checked = withUndated !== false;
    readYears();
  }
  function resetFilters() {
    state.hiddenKinds = {}; state.hiddenConfirmation = {}; state.hiddenCommunities = {}; state.onlyNew = false;
    if (onlyNewInput) { onlyNewInput.checked = false; }
    Object.keys(kindInputs).forEach(function (k) { kindInputs[k].checked = true; });
    Object.keys(confirmationInputs).forEach(function (k) { confirmationInputs[k].checked = true; });
    Object.keys(communityInputs).forEach(function (k) { communityInputs[k].checked = true; });
    setYears(CONFIG.years.length ? CONFIG.years[0] : null, CONFIG.years.length ? CONFIG.years[1] : null, true);
  }

  // Papers new since the previous build in this folder (paperlineage update): a ring, and a filter.
  var onlyNewInput = null;
  if (CONFIG.newCount) {
    var newBox = el("section"), ring = el("span", null, "swatch ring");
    ring.style.borderColor = CONFIG.newRing;
    newBox.id = "new-legend";
    newBox.appendChild(el("h2", "New since the last build"));
    var newRows = el("div", null, "legend");
    newBox.appendChild(newRows);
    onlyNewInput = checkRow(newRows, ring, "show only new papers", CONFIG.newCount, false, function (on) { state.onlyNew = on; }, "new");
    var counts = document.getElementById("counts");
    counts.parentNode.insertBefore(newBox, counts.nextSibling);
  }
  function setOnlyNew(on) { state.onlyNew = !!on; if (onlyNewInput) { onlyNewInput.checked = !!on; } applyView(); }

  var lineageBox = document.getElementById("lineage-mode");
  function setLineageMode(on) {
    state.lineageMode = !!on;
    lineageBox.checked = state.lineageMode;
    var picked = network.getSelectedNodes();
    setFocus(state.lineageMode && picked.length ? picked[0] : null);
  }
  lineageBox.addEventListener("change", function () { setLineageMode(lineageBox.checked); });
  var physicsBox = document.getElementById("physics");
  physicsBox.checked = CONFIG.physics;
  function setPhysics(on) { physicsBox.checked = !!on; network.setOptions({physics: {enabled: !!on}}); }
  physicsBox.addEventListener("change", function () { setPhysics(physicsBox.checked); });
  document.getElementById("fit").addEventListener("click", function () { network.fit(); });
  document.getElementById("overview").addEventListener("click", function () { setView(OVERVIEW); });
  document.getElementById("reset").addEventListener("click", function () {
    if (BIG && view !== OVERVIEW) { setView(OVERVIEW); }
    resetFilters(); state.searchHit = null; setLineageMode(false); network.unselectAll();
    document.getElementById("search").value = ""; document.getElementById("search-status").textContent = "";
    document.getElementById("details").hidden = true; network.fit();
  });

  // Timeline: year ticks and the undated caption behind the graph. Text is drawn at a fixed
  // screen size (scaled by 1/zoom), so it stays legible however far the view is zoomed out.
  var TICK_FONT = "bold 15px system-ui, sans-serif", TICK_GAP = 14;  // px between two year labels
  function screenText(ctx, text, x, y, scale) {
    ctx.save(); ctx.translate(x, y); ctx.scale(1 / scale, 1 / scale); ctx.fillText(text, 0, 0); ctx.restore();
  }
  network.on("beforeDrawing", function (ctx) {
    if (!CONFIG.ticks.length) { return; }
    var far = 1e7, top = -far, bottom = far;
    ctx.save();
    ctx.strokeStyle = "#e4e4e4"; ctx.fillStyle = "#8a8a8a"; ctx.lineWidth = 1; ctx.font = TICK_FONT; ctx.textBaseline = "alphabetic";
    var view = network.getViewPosition(), scale = network.getScale(), box = document.getElementById("mynetwork");
    var viewLeft = view.x - box.clientWidth / 2 / scale, viewTop = view.y - box.clientHeight / 2 / scale;
    var labelY = viewTop + 22 / scale, labelEnd = -Infinity;  // screen x where the last label drawn ends
    // Years narrower than their labels (zoomed far out): every label short ('19), and a label that
    // would still run into the one before is left out.
    var xs = CONFIG.ticks.map(function (t) { return (t[0] - viewLeft) * scale + 4; });
    var short = CONFIG.ticks.some(function (t, i) { return i + 1 < xs.length && xs[i] + ctx.measureText(t[1]).width + TICK_GAP > xs[i + 1]; });
    CONFIG.ticks.forEach(function (t, i) {
      ctx.beginPath(); ctx.moveTo(t[0], top); ctx.lineTo(t[0], bottom); ctx.stroke();
      var text = short ? "\u2019" + t[1].slice(-2) : t[1];
      if (xs[i] < labelEnd + TICK_GAP) { return; }
      labelEnd = xs[i] + ctx.measureText(text).width;
      screenText(ctx, text, t[0] + 4 / scale, labelY, scale);
    });
    if (CONFIG.undatedY !== null) {
      ctx.beginPath(); ctx.moveTo(-far, CONFIG.undatedY); ctx.lineTo(far, CONFIG.undatedY); ctx.stroke();
      // a divider label sitting on the line, above the papers that have neither a date nor a dated lineage
      var caption = "undated, no dated lineage", captionX = Math.max(CONFIG.ticks[0][0], viewLeft) + 8 / scale;  // stays in view
      var captionY = CONFIG.undatedY + 5 / scale, captionWidth = ctx.measureText(caption).width;
      ctx.fillStyle = "#ffffff";
      ctx.fillRect(captionX - 6 / scale, CONFIG.undatedY - 10 / scale, (captionWidth + 12) / scale, 20 / scale);
      ctx.fillStyle = "#8a8a8a";
      screenText(ctx, caption, captionX, captionY, scale);
    }
    ctx.restore();
  });

  // Overview: each community's name above its circle, at a fixed screen size.
  network.on("afterDrawing", function (ctx) {
    if (!BIG || view !== OVERVIEW) { return; }
    var scale = network.getScale();
    ctx.save();
    ctx.textAlign = "center"; ctx.textBaseline = "bottom"; ctx.font = "600 13px system-ui, sans-serif";
    ctx.lineWidth = 4; ctx.strokeStyle = "rgba(255,255,255,0.9)"; ctx.fillStyle = "#333333";
    var drawn = [];  // screen boxes of the names written so far, largest community first; a name that would overlap one is left out
    view.nodes.forEach(function (n) {
      var shown = nodes.get(n.id);  // null while a view is being swapped in
      if (n.node_kind !== "community" || !shown || shown.hidden) { return; }
      var at = network.getPosition(n.id), dom = network.canvasToDOM({x: at.x, y: at.y - n.size}), w = ctx.measureText(n.name).width;
      var box = {x0: dom.x - w / 2 - 4, x1: dom.x + w / 2 + 4, y0: dom.y - 22, y1: dom.y};
      if (drawn.some(function (o) { return box.x0 < o.x1 && o.x0 < box.x1 && box.y0 < o.y1 && o.y0 < box.y1; })) { return; }
      drawn.push(box);
      ctx.save(); ctx.translate(at.x, at.y - n.size - 4 / scale); ctx.scale(1 / scale, 1 / scale);
      ctx.strokeText(n.name, 0, 0); ctx.fillText(n.name, 0, 0); ctx.restore();
    });
    ctx.restore();
  });

  if (BIG) {
    document.getElementById("hint").textContent = "Click a community to open its top papers; search a paper, or double-click one, for its neighbourhood.";
  }
  var api = {
    network: network, nodes: nodes, edges: edges, ready: !CONFIG.physics,
    search: search, lineageOf: lineageOf, big: !!BIG, view: function () { return view.name; },
    openNeighbourhood: openNeighbourhood, openCommunity: function (c) { openCommunity(c); }, overview: function () { setView(OVERVIEW); }, select: select, setLineageMode: setLineageMode, setFocus: setFocus,
    setPhysics: setPhysics, setYears: setYears, resetFilters: resetFilters, setOnlyNew: setOnlyNew,
    setConfirmation: function (kind, confirmed, on) {
      var key = confirmationKey(kind, confirmed);
      state.hiddenConfirmation[key] = !on; if (confirmationInputs[key]) { confirmationInputs[key].checked = !!on; } applyView();
    },
    setEdgeKind: function (kind, on) { state.hiddenKinds[kind] = !on; if (kindInputs[kind]) { kindInputs[kind].checked = !!on; } applyView(); },
    setCommunity: function (c, on) { var key = communityKey(c); state.hiddenCommunities[key] = !on; if (communityInputs[key]) { communityInputs[key].checked = !!on; } applyView(); },
    highlighted: function () {
      if (state.focus === null) { return []; }
      var f = lineageOf(state.focus);
      return [state.focus].concat(f.ancestors, f.descendants).sort();
    },
    // What vis actually draws: its lists of visible nodes and edges.
    drawn: function () { return {nodes: network.body.nodeIndices.length, edges: network.body.edgeIndices.length}; }
  };
  // Papers with no edge at all would ring the picture and squeeze the lineage into its centre:
  // once physics has settled, file them in rows under the rest and take them out of the simulation.
  // Each paper gets as much room as its label needs, so no two labels overlap.
  var LABEL_GAP = 18, ROW_STEP = 46;
  function labelWidths(ids) {
    var ctx = document.createElement("canvas").getContext("2d"), font = DATA.options.nodes.font;
    ctx.font = font.size + "px " + font.face;
    var widths = {};
    ids.forEach(function (id) {
      var n = nodes.get(id);
      widths[id] = Math.max(ctx.measureText(n.label || "").width + 2 * font.strokeWidth, 2 * (n.size || 8));
    });
    return widths;
  }
  function tidyIsolated() {
    if (BIG) { return; }
    var linked = {};
    DATA.edges.forEach(function (e) { linked[e.from] = linked[e.to] = true; });
    var alone = DATA.nodes.filter(function (n) { return !linked[n.id]; }).map(function (n) { return n.id; });
    var placed = DATA.nodes.filter(function (n) { return linked[n.id]; }).map(function (n) { return n.id; });
    if (!alone.length || !placed.length) { return; }
    var at = network.getPositions(placed), left = Infinity, right = -Infinity, bottom = -Infinity;
    placed.forEach(function (id) { left = Math.min(left, at[id].x); right = Math.max(right, at[id].x); bottom = Math.max(bottom, at[id].y); });
    var widths = labelWidths(alone), rowWidth = Math.max(right - left, 900), x = left, y = bottom + 120;
    nodes.update(alone.map(function (id) { return {id: id, physics: false}; }));
    alone.forEach(function (id) {
      if (x > left && x + widths[id] > left + rowWidth) { x = left; y += ROW_STEP; }
      network.moveNode(id, x + widths[id] / 2, y);
      x += widths[id] + LABEL_GAP;
    });
  }
  network.once("stabilizationIterationsDone", function () {
    tidyIsolated();
    network.fit({animation: false});
    api.ready = true;
  });
  network.once("afterDrawing", function () { performance.mark("lineage:drawn"); });  // the graph's first frame (bench/page_scale.py)
  window.lineage = api;
  applyView();
})();
