/* phasegraph concept map: builds the vis-network from the JSON data block and wires the controls.
 *
 * Safety: every piece of graph text (titles, names, evidence) reaches the page through DOM text APIs
 * (textContent, option.value; tooltips are elements built that way) — never innerHTML — and links are built
 * only for http(s) URLs.
 * Tests and the benchmark read window.phasegraph (network, nodes, edges, timings, ready).
 */
(function () {
  "use strict";
  var timings = { script: performance.now(), firstDraw: null, interactive: null };
  var data = JSON.parse(document.getElementById("phasegraph-data").textContent);
  timings.parsed = performance.now();
  var large = data.large;  // physics off, positions from Python: see render.py
  var state = { phaseView: false, labelOn: {}, saved: null };
  Object.keys(data.labels).forEach(function (label) { state.labelOn[label] = true; });

  function safeUrl(text) {
    if (typeof text !== "string" || !text) { return null; }
    try {
      var url = new URL(text);
      return url.protocol === "http:" || url.protocol === "https:" ? url.href : null;
    } catch (err) {
      return null;
    }
  }

  function link(url) {
    var a = document.createElement("a");
    a.href = url;
    a.textContent = url;
    a.target = "_blank";
    a.rel = "noopener noreferrer";
    return a;
  }

  function tipElement(text, url) {
    var box = document.createElement("div");
    box.className = "pg-tip";
    box.textContent = text;
    var safe = safeUrl(url);
    if (safe) { box.appendChild(link(safe)); }
    return box;
  }

  var visNodes = data.nodes.map(function (n) {
    var node = { id: n.id, group: n.group, value: n.value, title: tipElement(n.tip, n.url),
                 kind: n.group, tip: n.tip, url: n.url || null, names: n.names, name: n.label };
    if (!n.quiet) { node.label = n.label; }  // quiet nodes get their label when zoomed into (revealLabels)
    if (n.x !== undefined) { node.x = n.x; node.y = n.y; }
    if (n.focus) { node.borderWidth = 4; }
    return node;
  });
  var visEdges = data.edges.map(function (e) {
    var style = data.edgeStyles[e.type] || {};
    return { id: e.id, from: e.from, to: e.to, kind: e.type, chainTail: !!e.chainTail, title: tipElement(e.tip),
             tip: e.tip, width: style.width || 1, dashes: !!style.dashes,
             arrows: large && (e.type === "CLAIMS" || e.type === "HAS_PHASE") ? { to: { enabled: true, scaleFactor: 0.45 } } : undefined,
             color: { color: style.color || "#999", highlight: style.highlight || "#333", hover: style.highlight || "#333" } };
  });
  var nextStyle = data.edgeStyles.NEXT || {};
  data.next.forEach(function (e, i) {
    var tip = "NEXT (display only): " + e.count + " structure(s) claim this step";
    visEdges.push({ id: "next:" + i, from: e.from, to: e.to, kind: "NEXT", hidden: true, title: tipElement(tip), tip: tip,
                    arrows: { to: { enabled: true, scaleFactor: 0.6 } },
                    width: Math.min(1 + e.count, 8), dashes: true,
                    color: { color: nextStyle.color || "#d55e00", highlight: "#333", hover: "#333" } });
  });

  timings.items = performance.now();
  var nodes = new vis.DataSet(visNodes);
  var edges = new vis.DataSet(visEdges);
  var groups = {};
  Object.keys(data.labels).forEach(function (label) {
    var s = data.labels[label];
    groups[label] = { shape: s.shape, color: { background: s.color, border: s.border, highlight: { background: s.color, border: "#1f2328" },
                                               hover: { background: s.color, border: "#1f2328" } } };
  });
  // Size grows with the square root of the paper count, so entities in a few papers stand out from the
  // one-paper crowd without the top hub dwarfing everything.
  function sqrtScale(min, max, total, value) {
    return max === min ? 0.5 : Math.sqrt((value - min) / (max - min));
  }
  var options = {
    groups: groups,
    nodes: { borderWidth: 1, font: { size: 13, face: "system-ui, sans-serif", color: "#1f2328" },
             // Large maps are first seen zoomed far out: bigger hubs and hub labels keep the overview legible.
             scaling: large ? { min: 8, max: 90, customScalingFunction: sqrtScale,
                                label: { enabled: true, min: 14, max: 80, drawThreshold: 5, maxVisible: 26 } }
                            : { min: 8, max: 42, customScalingFunction: sqrtScale,
                                label: { enabled: true, min: 11, max: 24, drawThreshold: 5 } } },
    // Large maps draw paper->entity edges without arrow heads (a third of the frame time); phase edges keep theirs.
    edges: { arrows: { to: { enabled: !large, scaleFactor: 0.45 } }, smooth: large ? false : { type: "continuous" },
             selectionWidth: 2, hoverWidth: 1 },
    layout: { improvedLayout: false, randomSeed: 1 },
    physics: data.physics ? { solver: "forceAtlas2Based", forceAtlas2Based: { gravitationalConstant: -60, springLength: 90 },
                              stabilization: { iterations: data.stabilization, updateInterval: 50 } } : false,
    interaction: { hover: true, tooltipDelay: 120, hideEdgesOnDrag: large, hideEdgesOnZoom: large, keyboard: false }
  };
  var network = new vis.Network(document.getElementById("pg-map"), { nodes: nodes, edges: edges }, options);
  timings.network = performance.now();

  var api = { network: network, nodes: nodes, edges: edges, data: data, timings: timings, ready: false };
  window.phasegraph = api;

  function markReady() {
    if (api.ready) { return; }
    timings.interactive = performance.now();
    api.ready = true;
    document.documentElement.setAttribute("data-ready", "true");
  }
  network.once("afterDrawing", function () {
    timings.firstDraw = performance.now();
    if (!data.physics) { markReady(); }
  });
  if (data.physics) {
    network.once("stabilizationIterationsDone", function () {
      network.setOptions({ physics: false });  // the layout is settled; dragging a node moves only that node
      network.once("afterDrawing", markReady);
      network.redraw();
    });
  }

  // ---- labels of large maps: drawn only where the reader zooms in ----------------------------------------
  // Measuring 5,000 labels costs vis-network seconds at start; render.py leaves all but the best-connected
  // nodes "quiet" and this reveals the labels of quiet nodes in view once the zoom makes them readable.
  var quiet = visNodes.filter(function (n) { return n.label === undefined; }).map(function (n) { return n.id; });
  var revealTimer = null;
  function revealLabels() {
    revealTimer = null;
    var scale = network.getScale();
    if (!quiet.length || scale < data.revealScale) { return; }
    var box = document.getElementById("pg-map");
    var centre = network.getViewPosition();
    var halfW = box.clientWidth / 2 / scale, halfH = box.clientHeight / 2 / scale;
    var positions = network.getPositions(quiet);
    var shown = [], rest = [];
    quiet.forEach(function (id) {
      var p = positions[id];
      var inView = p && Math.abs(p.x - centre.x) <= halfW && Math.abs(p.y - centre.y) <= halfH;
      if (inView && shown.length < data.revealBatch) { shown.push({ id: id, label: nodes.get(id).name }); } else { rest.push(id); }
    });
    quiet = rest;
    if (shown.length) { nodes.update(shown); }
  }
  function scheduleReveal() {
    if (revealTimer === null && quiet.length) { revealTimer = setTimeout(revealLabels, 200); }
  }
  network.on("zoom", scheduleReveal);
  network.on("dragEnd", scheduleReveal);
  api.revealLabels = revealLabels;

  // ---- details panel -------------------------------------------------------------------------------
  var details = document.getElementById("pg-details");
  function showDetails(kind, text, url) {
    while (details.firstChild) { details.removeChild(details.firstChild); }
    var h = document.createElement("h2");
    h.textContent = kind;
    details.appendChild(h);
    var p = document.createElement("p");
    p.textContent = text;
    details.appendChild(p);
    var safe = safeUrl(url);
    if (safe) { details.appendChild(link(safe)); }
  }
  network.on("click", function (params) {
    if (params.nodes.length) {
      var n = nodes.get(params.nodes[0]);
      showDetails(n.kind, n.tip, n.url);
    } else if (params.edges.length) {
      var e = edges.get(params.edges[0]);
      if (e) { showDetails(e.kind, e.tip, null); }
    }
  });

  // ---- visibility: label toggles and the phase view ---------------------------------------------------
  var phasePos = data.phasePositions;
  function nodeHidden(n) {
    return !state.labelOn[n.kind] || (state.phaseView && !Object.prototype.hasOwnProperty.call(phasePos, n.id));
  }
  function edgeHidden(e) {
    if (e.kind === "NEXT") { return !state.phaseView; }
    return state.phaseView && e.chainTail;
  }
  function refresh(withPositions) {
    nodes.update(nodes.get().map(function (n) {
      var change = { id: n.id, hidden: nodeHidden(n) };
      if (withPositions) {
        var p = state.phaseView ? phasePos[n.id] : state.saved && state.saved[n.id];
        if (p) { change.x = Array.isArray(p) ? p[0] : p.x; change.y = Array.isArray(p) ? p[1] : p.y; }
      }
      return change;
    }));
    if (withPositions) {
      edges.update(edges.get().map(function (e) { return { id: e.id, hidden: edgeHidden(e) }; }));
    }
  }
  Array.prototype.forEach.call(document.querySelectorAll(".pg-label-toggle"), function (box) {
    box.addEventListener("change", function () {
      state.labelOn[box.getAttribute("data-label")] = box.checked;
      refresh(false);
    });
  });
  var phaseButton = document.getElementById("pg-phase-view");
  function setPhaseView(on) {
    if (on === state.phaseView) { return; }
    if (on) { state.saved = network.getPositions(); }
    network.setOptions({ physics: false });
    state.phaseView = on;
    phaseButton.setAttribute("aria-pressed", on ? "true" : "false");
    phaseButton.textContent = on ? "Network view" : "Phase view";
    refresh(true);
    network.fit();
    scheduleReveal();
  }
  api.setPhaseView = setPhaseView;
  phaseButton.addEventListener("click", function () { setPhaseView(!state.phaseView); });
  document.getElementById("pg-fit").addEventListener("click", function () { network.fit(); });

  // ---- search ----------------------------------------------------------------------------------------
  function fold(text) { return String(text).toLocaleLowerCase().replace(/\s+/g, " ").trim(); }
  var index = visNodes.map(function (n) {
    return { id: n.id, names: [n.id].concat(n.names || []).map(fold) };
  });
  function findNode(query) {
    var q = fold(query);
    if (!q) { return null; }
    var tests = [function (name) { return name === q; },
                 function (name) { return name.indexOf(q) === 0; },
                 function (name) { return name.indexOf(q) >= 0; }];
    for (var t = 0; t < tests.length; t++) {
      for (var i = 0; i < index.length; i++) {
        if (index[i].names.some(tests[t])) { return index[i].id; }
      }
    }
    return null;
  }
  api.find = findNode;
  var names = document.getElementById("pg-names");
  var seen = {};
  visNodes.forEach(function (n) {
    (n.names || []).forEach(function (name) {
      if (seen[name] || names.childNodes.length >= 20000) { return; }
      seen[name] = true;
      var option = document.createElement("option");
      option.value = name;
      names.appendChild(option);
    });
  });
  var input = document.getElementById("pg-search-input");
  var status = document.getElementById("pg-search-status");
  document.getElementById("pg-search").addEventListener("submit", function (event) {
    event.preventDefault();
    var id = findNode(input.value);
    if (id === null) {
      status.textContent = "No node is called \u201c" + input.value + "\u201d.";
      return;
    }
    var n = nodes.get(id);
    if (!state.labelOn[n.kind]) {
      state.labelOn[n.kind] = true;
      Array.prototype.forEach.call(document.querySelectorAll(".pg-label-toggle"), function (box) {
        if (box.getAttribute("data-label") === n.kind) { box.checked = true; }
      });
      refresh(false);
    }
    if (nodeHidden(n)) { setPhaseView(false); }
    network.selectNodes([id]);
    network.focus(id, { scale: 1.4, animation: { duration: 300 } });
    if (!n.label) { nodes.update({ id: id, label: n.name }); }
    status.textContent = "Found: " + n.label;
    showDetails(n.kind, n.tip, n.url);
  });

  if (data.focus.length) { network.selectNodes(data.focus.filter(function (id) { return nodes.get(id) !== null; })); }
})();
