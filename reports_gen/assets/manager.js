/* Sortable tables (issue 13) with the vendored tablesort: the manager pages' tables
   (.mgr-sortable, numeric cells carry data-sort) and every data table of the other pages that
   compares rows, where numbers are read in the page's locale ("Rp1.500.000", "85%", "1,5"). No
   network; works with and without Material's instant navigation. */
(function () {
  function sortKey(text, group, decimal) {
    var t = text.replace(/\u2212/g, "-").trim();
    if (t === "" || t === "\u2013" || t === "-") return "-1e300"; /* missing: last */
    /* a figure: an amount, a count or a percentage, nothing else (dates and ids stay text) */
    var bare = t.replace(/^(Rp|IDR|US\$|\$|\u20ac)\s*/, "").replace(/\s*%$/, "");
    if (!/^-?[0-9][0-9.,]*$/.test(bare)) return null;
    bare = bare.split(group).join("").replace(decimal, ".");
    var value = parseFloat(bare);
    return isNaN(value) ? null : String(value);
  }

  function prepare(table) {
    var body = table.tBodies[0];
    var head = table.tHead;
    if (!body || !head || body.rows.length < 2) return false;
    var english = (document.documentElement.lang || "id").slice(0, 2) === "en";
    var group = english ? "," : ".";
    var decimal = english ? "." : ",";
    var headers = head.rows[0].cells;
    for (var c = 1; c < headers.length; c++) {
      if (headers[c].hasAttribute("data-sort-method")) continue; /* keys written by the page */
      var keys = [];
      for (var r = 0; r < body.rows.length; r++) {
        var cell = body.rows[r].cells[c];
        var key = cell ? sortKey(cell.textContent, group, decimal) : null;
        if (key === null) { keys = null; break; }
        keys.push(key);
      }
      if (!keys) continue;
      headers[c].setAttribute("data-sort-method", "number");
      for (var i = 0; i < keys.length; i++) body.rows[i].cells[c].setAttribute("data-sort", keys[i]);
    }
    return true;
  }

  function init() {
    if (typeof Tablesort === "undefined") return;
    var tables = document.querySelectorAll("article table.mgr-sortable, article table:not([class])");
    tables.forEach(function (table) {
      if (table.dataset.mgrSorted) return;
      table.dataset.mgrSorted = "1";
      if (prepare(table) || table.classList.contains("mgr-sortable")) new Tablesort(table);
    });
  }

  if (typeof document$ !== "undefined" && document$.subscribe) {
    document$.subscribe(init);
  } else if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", init);
  } else {
    init();
  }
})();
