/* Keyboard shortcuts for the review queue (our own few lines; no library, no CDN).
 * In the list: j / k move between rows, o opens the row, a / r open its accept / reject page.
 * On a flag: j / k go to the next / previous flag of the list it came from; a accepts at once
 * (with the quick reason, if typed; a change that would undo an editor stops on a warning
 * page), r / c open the reject / correct pages.
 * Keys are ignored while typing in a field. */
(function () {
  "use strict";
  var rows = Array.prototype.slice.call(document.querySelectorAll("#result_list tbody tr"));
  var current = -1;

  function focus(index) {
    if (!rows.length) return;
    current = Math.max(0, Math.min(rows.length - 1, index));
    rows.forEach(function (row, n) { row.classList.toggle("review-focus", n === current); });
    rows[current].scrollIntoView({ block: "nearest" });
  }

  function follow(scope, key) {
    var link = scope.querySelector('[data-key="' + key + '"]');
    if (link && link.tagName === "A") { window.location.href = link.href; return true; }
    if (link) { link.click(); return true; }
    return false;
  }

  document.addEventListener("keydown", function (event) {
    var target = event.target;
    if (event.ctrlKey || event.metaKey || event.altKey) return;
    if (target && /^(INPUT|TEXTAREA|SELECT)$/.test(target.tagName)) return;
    var key = event.key;
    if (rows.length) {
      if (key === "j") { focus(current + 1); event.preventDefault(); return; }
      if (key === "k") { focus(current - 1); event.preventDefault(); return; }
      if (current < 0) return;
      var row = rows[current];
      if (key === "o" || key === "Enter") {
        var open = row.querySelector("th a, td a");
        if (open) { window.location.href = open.href; event.preventDefault(); }
        return;
      }
      if ((key === "a" || key === "r") && follow(row, key)) event.preventDefault();
      return;
    }
    if (["j", "k", "a", "r", "c"].indexOf(key) >= 0 && follow(document, key)) event.preventDefault();
  });
})();
