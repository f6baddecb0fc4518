// Leg map: clicking a leg places a pending marker and fills the finding form's position fields.
// Everything it sets can also be chosen by hand, so the form works without this script.
(function () {
  "use strict";
  function regionFor(view, y, side, x, cx) {
    // A first guess from the height on the leg; the clinician can change it.
    var medial = (view === "front") === (side === "right") ? x > cx : x < cx;
    var part;
    if (y < 0.08) return "groin";
    if (y < 0.44) part = "thigh";
    else if (y < 0.52) return view === "back" ? "popliteal_fossa" : (medial ? "knee_medial" : "knee_anterior");
    else if (y < 0.87) part = "calf";
    else if (y < 0.94) return medial ? "ankle_medial" : "ankle_lateral";
    else return "foot";
    if (view === "back") return part + "_posterior";
    return part + (medial ? "_medial" : "_lateral");
  }
  function setValue(form, name, value) {
    var el = form.querySelector("[name=" + name + "]");
    if (el) { el.value = value; el.dispatchEvent(new Event("change", { bubbles: true })); }
  }
  document.addEventListener("DOMContentLoaded", function () {
    var svg = document.getElementById("legmap");
    var form = document.getElementById("finding-form");
    if (!svg || !form) return;
    var pw = parseFloat(svg.dataset.panelW), ph = parseFloat(svg.dataset.panelH);
    svg.addEventListener("click", function (ev) {
      var leg = ev.target.closest(".leg-target");
      if (!leg) return;
      var pt = svg.createSVGPoint();
      pt.x = ev.clientX; pt.y = ev.clientY;
      var p = pt.matrixTransform(svg.getScreenCTM().inverse());
      var view = leg.dataset.view, side = leg.dataset.side;
      var ox = view === "front" ? 0 : pw + 20;
      var x = Math.min(1, Math.max(0, (p.x - ox) / pw)), y = Math.min(1, Math.max(0, p.y / ph));
      var pending = document.getElementById("pending");
      pending.setAttribute("cx", p.x); pending.setAttribute("cy", p.y);
      setValue(form, "view", view);
      setValue(form, "x", x.toFixed(4));
      setValue(form, "y", y.toFixed(4));
      setValue(form, "side", side);
      setValue(form, "region", regionFor(view, y, side, p.x, parseFloat(leg.dataset.cx)));
      var first = form.querySelector("[name=diameter_mm]");
      if (first) first.focus();
    });
  });
})();
