// Small behaviours every page may use, declared in the markup with data- attributes, so that no page
// needs an inline script or an on*= handler (the Content-Security-Policy allows scripts from 'self' only):
//   <form data-confirm="确定删除？">             asks before submitting
//   <button data-print>                           prints the page
//   <input type="checkbox" data-check-all="css">  checks or clears every box the selector finds
//   <textarea data-counter="id">                  writes its length into the element with that id
//   <el hx-… data-save-failed="msg" data-save-failed-target="id">
//                                                 says msg there when htmx's request failed
//   <table class="table">                         on a phone, each row becomes a card whose cells are
//                                                 labelled with their column heading (app.css); a table
//                                                 inside .table-responsive (a wide sheet) or marked
//                                                 data-no-cards keeps its grid
(function () {
  "use strict";

  document.addEventListener("submit", function (event) {
    var form = event.target;
    if (form instanceof HTMLFormElement && form.dataset.confirm && !window.confirm(form.dataset.confirm)) {
      event.preventDefault();
      event.stopImmediatePropagation();
    }
  }, true);

  document.addEventListener("click", function (event) {
    var target = event.target instanceof Element ? event.target : null;
    if (!target) {
      return;
    }
    var print = target.closest("[data-print]");
    if (print) {
      event.preventDefault();
      window.print();
      return;
    }
    if (target.matches("input[type=checkbox][data-check-all]")) {
      document.querySelectorAll(target.dataset.checkAll).forEach(function (box) {
        box.checked = target.checked;
      });
    }
  });

  document.addEventListener("input", function (event) {
    var area = event.target;
    if (area instanceof HTMLElement && area.dataset.counter) {
      var counter = document.getElementById(area.dataset.counter);
      if (counter) {
        counter.textContent = area.value.length;
      }
    }
  });

  // Label each cell with its column heading, for the phone layout in app.css. A table with merged
  // headings (colspan) keeps its grid: its cells have no single heading to show.
  function labelTables(root) {
    root.querySelectorAll("table.table:not([data-no-cards])").forEach(function (table) {
      if (table.closest(".table-responsive") || table.classList.contains("table-cards")) {
        return;
      }
      var heads = table.querySelectorAll("thead th");
      if (!heads.length || Array.prototype.some.call(heads, function (th) { return th.colSpan > 1; })) {
        return;
      }
      var labels = Array.prototype.map.call(heads, function (th) { return th.textContent.trim(); });
      table.querySelectorAll("tbody tr").forEach(function (row) {
        Array.prototype.forEach.call(row.children, function (cell, i) {
          if (labels[i] && !cell.hasAttribute("data-label")) {
            cell.setAttribute("data-label", labels[i]);
          }
        });
      });
      table.classList.add("table-cards");
    });
  }
  document.addEventListener("DOMContentLoaded", function () { labelTables(document); });
  document.addEventListener("htmx:afterSwap", function (event) {
    if (event.target instanceof Element) {
      labelTables(event.target.closest("main") || document);
    }
  });

  document.addEventListener("htmx:afterRequest", function (event) {
    var el = event.target;
    if (!(el instanceof HTMLElement) || !el.dataset.saveFailed || event.detail.successful) {
      return;
    }
    var where = document.getElementById(el.dataset.saveFailedTarget);
    if (where) {
      where.textContent = el.dataset.saveFailed;
    }
  });
})();
