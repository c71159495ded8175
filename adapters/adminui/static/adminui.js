// sysmaint admin screens: progressive enhancement only. Every action works
// without this script: a delete without it goes through a confirmation
// page, and the overview's filter form works on the server.
"use strict";

document.addEventListener("DOMContentLoaded", function () {
  // A delete button asks in a dialog first; confirmed, the form posts
  // Confirm=1 and the window is deleted without the confirmation page.
  document.querySelectorAll(".SysmaintAdmin form[data-confirm]").forEach(function (form) {
    form.addEventListener("submit", function (event) {
      if (!window.confirm(form.getAttribute("data-confirm"))) {
        event.preventDefault();
        return;
      }
      if (!form.querySelector("input[name=Confirm]")) {
        var confirm = document.createElement("input");
        confirm.type = "hidden";
        confirm.name = "Confirm";
        confirm.value = "1";
        form.appendChild(confirm);
      }
    });
  });

  // The repeat fieldset shows the options of the repetition chosen only
  // (hidden options are still posted, so nothing typed is lost), which
  // keeps the tab order short; without this script all are shown.
  document.querySelectorAll(".SysmaintAdmin fieldset.RepeatField").forEach(function (set) {
    var update = function () {
      var kind = set.querySelector("input[name=Repeat]:checked");
      kind = kind ? kind.value : "none";
      set.querySelectorAll(".RepeatKind[data-repeat]").forEach(function (row) {
        var options = row.querySelector(".RepeatOptions");
        if (options) {
          options.hidden = row.getAttribute("data-repeat") !== kind;
        }
      });
      set.querySelectorAll("[data-repeat-structured]").forEach(function (el) {
        el.hidden = kind === "none" || kind === "rule";
      });
    };
    set.addEventListener("change", update);
    update();
  });

  // The filter box narrows the rows of the page shown, as you type.
  document.querySelectorAll(".SysmaintAdmin [data-filter-box]").forEach(function (box) {
    var input = box.querySelector("input[data-filter-table]");
    var table = input && document.getElementById(input.getAttribute("data-filter-table"));
    if (!table || !table.tBodies.length) {
      return;
    }
    box.hidden = false;
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
          cell.textContent = input.getAttribute("data-no-matches");
        }
        none.hidden = false;
      } else if (none) {
        none.hidden = true;
      }
    });
  });
});
