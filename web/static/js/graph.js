// A layered graph (cytoscape + cytoscape-dagre) drawn from a JSON data block on the page:
// <script type="application/json" id="graph-data">{"nodes": [...], "edges": [...]}</script>
// nodes: {id, label, kind, href}; edges: {source, target, label}. Clicking a node opens its page.
(function () {
  "use strict";
  var dataBlock = document.getElementById("graph-data");
  var container = document.getElementById("graph");
  if (!dataBlock || !container) { return; }
  var data = JSON.parse(dataBlock.textContent);
  var palette = ["#1f5f8b", "#2a9d8f", "#e9c46a", "#f4a261", "#e76f51", "#6d597a", "#588157",
                 "#bc6c25", "#457b9d", "#9d4edd"];
  var kinds = {};
  data.nodes.forEach(function (n) {
    if (!(n.kind in kinds)) { kinds[n.kind] = palette[Object.keys(kinds).length % palette.length]; }
  });
  cytoscape.use(cytoscapeDagre);
  var cy = cytoscape({
    container: container,
    elements: {
      nodes: data.nodes.map(function (n) {
        return { data: { id: n.id, label: n.label, kind: n.kind, href: n.href,
                         colour: kinds[n.kind], focus: n.focus ? 1 : 0 } };
      }),
      edges: data.edges.map(function (e, i) {
        return { data: { id: "e" + i, source: e.source, target: e.target, label: e.label } };
      }),
    },
    style: [
      { selector: "node", style: {
          "background-color": "data(colour)", "label": "data(label)", "color": "#222",
          "font-size": 11, "text-valign": "bottom", "text-margin-y": 4, "text-wrap": "wrap",
          "text-max-width": 140, "width": 22, "height": 22 } },
      { selector: "node[focus = 1]", style: { "width": 34, "height": 34, "border-width": 3,
          "border-color": "#111" } },
      { selector: "edge", style: {
          "curve-style": "bezier", "target-arrow-shape": "triangle", "width": 1.5,
          "line-color": "#999", "target-arrow-color": "#999", "label": "data(label)",
          "font-size": 9, "color": "#555", "text-rotation": "autorotate" } },
    ],
    layout: { name: "dagre", rankDir: data.rankDir || "LR", nodeSep: 18, rankSep: 90 },
    wheelSensitivity: 0.2,
  });
  cy.on("tap", "node", function (event) {
    var href = event.target.data("href");
    if (href) { window.location.assign(href); }
  });
  var legend = document.getElementById("graph-legend");
  if (legend) {
    Object.keys(kinds).forEach(function (kind) {
      var item = document.createElement("li");
      var swatch = document.createElement("span");
      swatch.className = "swatch";
      swatch.style.backgroundColor = kinds[kind];
      item.appendChild(swatch);
      item.appendChild(document.createTextNode(" " + kind));
      legend.appendChild(item);
    });
  }
  window.bizarchGraph = cy;
})();
