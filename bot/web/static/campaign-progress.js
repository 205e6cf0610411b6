// Live progress of a campaign being sent: asks the JSON endpoint every 2 s and updates the
// counts. Progressive enhancement only: without it, the page's «Actualizar» link does the same.
(function () {
  "use strict";
  var section = document.getElementById("progreso");
  if (!section || section.dataset.finished === "true") { return; }
  var url = section.dataset.url;
  var numbers = new Intl.NumberFormat(document.documentElement.lang || "es-MX");
  var bar = document.getElementById("barra-avance");

  function show(data) {
    Object.keys(data).forEach(function (key) {
      var cell = section.querySelector('[data-count="' + key + '"]');
      if (cell) { cell.textContent = numbers.format(data[key]); }
    });
    if (bar) { bar.max = Math.max(data.total, 1); bar.value = data.processed; }
    var badge = document.getElementById("estado-campana");
    if (badge) { badge.textContent = data.status_label; }
  }

  function poll() {
    fetch(url, { credentials: "same-origin", headers: { "Accept": "application/json" } })
      .then(function (response) { return response.ok ? response.json() : null; })
      .then(function (data) {
        if (!data) { return; }
        show(data);
        if (data.finished) { window.location.reload(); return; }
        window.setTimeout(poll, 2000);
      })
      .catch(function () { window.setTimeout(poll, 2000); });
  }
  window.setTimeout(poll, 2000);
})();
