// Session page: a click on a finding's marker chooses that finding in the injection form, which
// asks the server for the form filled from the plan (htmx, on the select's change). Without this
// script the marker is a link to the same filled form.
(function () {
  "use strict";
  document.addEventListener("click", function (ev) {
    var link = ev.target.closest && ev.target.closest("#legmap [data-finding]");
    var select = document.getElementById("id_finding");
    if (!link || !select || !window.htmx) return;
    ev.preventDefault();
    select.value = link.dataset.finding;
    select.dispatchEvent(new Event("change", { bubbles: true }));
  });
})();
// The plan's links ("From the plan", "Same again", another option) swap in a new form and take
// themselves away with it, which drops a keyboard user's focus: the next Tab then goes past the
// whole form. Focus the form's finding select instead, so Tab carries on through the filled fields to
// Record. A select that kept its focus through the swap is left alone.
(function () {
  "use strict";
  document.addEventListener("htmx:afterSettle", function (ev) {
    var form = document.getElementById("finding-form");
    // Fired on each swapped-in element; detail.target is where the swap went.
    if (!form || !ev.detail || ev.detail.target !== form) return;
    var active = document.activeElement;
    if (active && active !== document.body && active.isConnected) return;
    var first = document.getElementById("id_finding") || form.querySelector("select, input:not([type=hidden]), textarea");
    if (first) first.focus();
  });
})();
