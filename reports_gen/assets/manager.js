/* Sortable manager tables (issue 13): vendored tablesort, no network. Works with and without
   Material's instant navigation. */
(function () {
  function init() {
    if (typeof Tablesort === "undefined") return;
    document.querySelectorAll("table.mgr-sortable").forEach(function (table) {
      if (!table.dataset.mgrSorted) {
        table.dataset.mgrSorted = "1";
        new Tablesort(table);
      }
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
