// Leg map: a click on a leg, or the arrow keys and Enter, place a new marker and fill the form's
// view/x/y/side/region fields. The region is read from the region shapes the page draws (from
// web/legmap.py), so the guess always matches the drawing; the clinician can change it.
// Everything this sets can also be chosen by hand, so the form works without this script.
(function () {
  "use strict";
  var SMALL = 3, BIG = 15; // arrow-key steps in drawing units (a view is 260 wide)

  function setValue(form, name, value) {
    var el = form.querySelector("[name=" + name + "]");
    if (el) { el.value = value; el.dispatchEvent(new Event("change", { bubbles: true })); }
  }

  function svgPoint(svg, x, y) {
    var pt = svg.createSVGPoint();
    pt.x = x; pt.y = y;
    return pt;
  }

  function regionAt(group, x, y) {
    // The drawn region under the point; failing that (an edge), the one whose centre is nearest.
    var pt = svgPoint(group.ownerSVGElement, x, y), best = null, bestD = Infinity;
    var regions = group.querySelectorAll(".region");
    for (var i = 0; i < regions.length; i++) {
      var r = regions[i];
      if (r.isPointInFill && r.isPointInFill(pt)) return r;
      var dx = x - parseFloat(r.dataset.cx), dy = y - parseFloat(r.dataset.cy);
      if (dx * dx + dy * dy < bestD) { bestD = dx * dx + dy * dy; best = r; }
    }
    return best;
  }

  function legAt(svg, x, y) {
    var pt = svgPoint(svg, x, y), legs = svg.querySelectorAll(".leg-group");
    for (var i = 0; i < legs.length; i++) {
      var outline = legs[i].querySelector(".leg-target");
      if (outline.isPointInFill && outline.isPointInFill(pt)) return legs[i];
    }
    return null;
  }

  document.addEventListener("DOMContentLoaded", function () {
    var map = document.getElementById("legmap");
    var form = document.getElementById("finding-form");
    if (!map || !form) return;
    var pw = parseFloat(map.dataset.panelW), ph = parseFloat(map.dataset.panelH);
    var status = document.getElementById("legmap-status");
    var views = {};
    map.querySelectorAll("svg.legmap-view").forEach(function (svg) { views[svg.dataset.view] = svg; });
    var state = null; // the new marker: {view, x, y} in drawing units
    var said = "";

    function say(text) {
      if (text !== said) { status.textContent = text; said = text; }
    }

    function describe(view, group, region) {
      var where = view === "front" ? "Front view" : "Back view";
      if (!group) return where + ", not on a leg";
      return where + ", " + group.dataset.side + " leg" + (region ? ", " + region.dataset.name : "");
    }

    function showPending() {
      Object.keys(views).forEach(function (v) {
        var g = views[v].querySelector(".pending");
        g.classList.toggle("is-hidden", !state || v !== state.view);
        if (state && v === state.view) g.setAttribute("transform", "translate(" + state.x + " " + state.y + ")");
      });
    }

    function place(view, x, y, group) {
      // What a click and Enter both do: mark the point and fill the form's position fields.
      var region = regionAt(group, x, y);
      state = { view: view, x: x, y: y };
      showPending();
      setValue(form, "view", view);
      setValue(form, "x", Math.min(1, Math.max(0, x / pw)).toFixed(4));
      setValue(form, "y", Math.min(1, Math.max(0, y / ph)).toFixed(4));
      setValue(form, "side", group.dataset.side);
      if (region) setValue(form, "region", region.dataset.region);
      say("Placed: " + describe(view, group, region) + ". Now fill in the form.");
      var first = form.querySelector("[name=diameter_mm]");
      if (first) first.focus();
    }

    Object.keys(views).forEach(function (v) {
      var svg = views[v];
      svg.addEventListener("click", function (ev) {
        var group = ev.target.closest(".leg-group");
        if (!group) return;
        var p = svgPoint(svg, ev.clientX, ev.clientY).matrixTransform(svg.getScreenCTM().inverse());
        place(v, p.x, p.y, group);
      });
    });

    // Keyboard: the map itself is a control; the markers inside keep their own tab stops.
    map.setAttribute("tabindex", "0");
    map.setAttribute("role", "application");
    map.setAttribute("aria-label", "Leg map: arrow keys move a new marker, Enter places it");
    map.setAttribute("aria-describedby", "legmap-help");
    document.getElementById("legmap-help").classList.remove("is-hidden");

    function start() {
      var r = map.querySelector('.leg-group[data-view="front"][data-side="right"] .region[data-region="thigh_anterior"]') ||
        map.querySelector(".region");
      var group = r.closest(".leg-group");
      state = { view: group.dataset.view, x: parseFloat(r.dataset.cx), y: parseFloat(r.dataset.cy) };
    }

    function announce() {
      var svg = views[state.view], group = legAt(svg, state.x, state.y);
      say(describe(state.view, group, group ? regionAt(group, state.x, state.y) : null));
    }

    map.addEventListener("focus", function (ev) {
      if (ev.target !== map) return;
      if (!state) start();
      showPending();
      announce();
    });

    map.addEventListener("keydown", function (ev) {
      if (ev.target !== map) return;
      var step = ev.shiftKey ? BIG : SMALL, dx = 0, dy = 0;
      if (ev.key === "ArrowLeft") dx = -step;
      else if (ev.key === "ArrowRight") dx = step;
      else if (ev.key === "ArrowUp") dy = -step;
      else if (ev.key === "ArrowDown") dy = step;
      else if (ev.key === "Enter") {
        ev.preventDefault();
        if (!state) start();
        var group = legAt(views[state.view], state.x, state.y);
        if (group) place(state.view, state.x, state.y, group);
        else say("Not on a leg: move the marker onto a leg, then press Enter.");
        return;
      } else if (ev.key === "Escape") {
        state = null;
        showPending();
        say("Stopped placing a marker.");
        return;
      } else return;
      ev.preventDefault();
      if (!state) start();
      var x = state.x + dx, view = state.view;
      // Moving off one view's edge carries on into the other view.
      if (x > pw && view === "front") { view = "back"; x -= pw; }
      else if (x < 0 && view === "back") { view = "front"; x += pw; }
      state = { view: view, x: Math.min(pw, Math.max(0, x)), y: Math.min(ph, Math.max(-20, state.y + dy)) };
      showPending();
      announce();
    });
  });
})();
