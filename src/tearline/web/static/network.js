/* The Network page's drawing: Cytoscape.js over the page's own JSON block
   (<script type="application/json" id="graph-data">), no inline script or style.
   Every node and link drawn is also in the page's tables. */
(function () {
  "use strict";
  var box = document.getElementById("graph");
  var source = document.getElementById("graph-data");
  if (!box || !source || typeof window.cytoscape !== "function") { return; }
  // Cytoscape adds a <style> element unless one with this id exists; the strict
  // Content-Security-Policy refuses inline styles, and tearline.css has the rule.
  if (!document.getElementById("__________cytoscape_stylesheet")) {
    var mark = document.createElement("meta");
    mark.id = "__________cytoscape_stylesheet";
    document.head.appendChild(mark);
  }
  var data = JSON.parse(source.textContent);
  var elements = [];
  data.nodes.forEach(function (n) {
    elements.push({ group: "nodes", data: n,
                    classes: (n.hops === 0 ? "centre " : "") + (n.path ? "path " : "") +
                             (n.schema === "Person" ? "person" : "organization") });
  });
  data.edges.forEach(function (e) {
    elements.push({ group: "edges", data: e, classes: e.path ? "path" : "" });
  });
  var cy = window.cytoscape({
    container: box,
    elements: elements,
    wheelSensitivity: 0.3,
    maxZoom: 1.6,
    style: [
      { selector: "node", style: {
          "label": "data(label)", "font-size": 11, "text-valign": "bottom",
          "text-margin-y": 4, "color": "#1d2330", "background-color": "#1f4e8c",
          "width": 22, "height": 22, "text-wrap": "ellipsis", "text-max-width": 140 } },
      { selector: "node.organization", style: { "shape": "round-rectangle",
          "background-color": "#5b6f8f" } },
      { selector: "node.centre", style: { "background-color": "#b35c00", "width": 32,
          "height": 32, "font-weight": "bold" } },
      { selector: "node.path", style: { "border-width": 4, "border-color": "#f2b600" } },
      { selector: "edge", style: { "width": "mapData(weight, 1, 10, 1.5, 6)",
          "line-color": "#9aa3b3", "curve-style": "bezier", "label": "data(label)",
          "font-size": 9, "color": "#5a6273", "text-rotation": "autorotate",
          "text-background-color": "#ffffff", "text-background-opacity": 0.8 } },
      { selector: "edge.path", style: { "line-color": "#f2b600", "width": 5 } },
      { selector: ":selected", style: { "overlay-color": "#f2b600",
          "overlay-opacity": 0.3 } }
    ],
    layout: { name: "concentric", minNodeSpacing: 30, animate: false,
              concentric: function (n) { return 10 - n.data("hops"); },
              levelWidth: function () { return 1; } }
  });
  window.tearlineNetwork = cy;  // the drawing, for the browser tests and the console
  cy.on("tap", "node", function (event) {
    var id = event.target.id();
    if (id !== data.record) {
      window.location.assign("/web/network/" + encodeURIComponent(id));
    }
  });
}());
