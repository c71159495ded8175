// Helpdesk: the little JavaScript the pages need. Everything works without
// it, except the filter box and the delete confirmation.
"use strict";

document.addEventListener("DOMContentLoaded", function () {
  // Forms with data-confirm ask before they are sent (delete a window).
  document.querySelectorAll("form[data-confirm]").forEach(function (form) {
    form.addEventListener("submit", function (event) {
      if (!window.confirm(form.getAttribute("data-confirm"))) {
        event.preventDefault();
      }
    });
  });

  // Filter boxes hide the rows of their table that do not contain the text.
  document.querySelectorAll("input[data-filter-table]").forEach(function (input) {
    var table = document.getElementById(input.getAttribute("data-filter-table"));
    if (!table || !table.tBodies.length) {
      return;
    }
    var body = table.tBodies[0];
    var cols = table.tHead ? table.tHead.rows[0].cells.length : 1;
    var none = null;
    input.addEventListener("input", function () {
      var text = input.value.trim().toLowerCase();
      var shown = 0;
      Array.prototype.forEach.call(body.rows, function (row) {
        if (row === none || row.classList.contains("NoData")) {
          return;
        }
        var match = text === "" || row.textContent.toLowerCase().indexOf(text) !== -1;
        row.hidden = !match;
        if (match) {
          shown++;
        }
      });
      if (text !== "" && shown === 0 && !body.querySelector("tr.NoData")) {
        if (!none) {
          none = body.insertRow();
          none.className = "FilterMessage";
          var cell = none.insertCell();
          cell.colSpan = cols;
          cell.textContent = "No matches found.";
        }
        none.hidden = false;
      } else if (none) {
        none.hidden = true;
      }
    });
  });
});
