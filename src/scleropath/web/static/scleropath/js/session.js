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
