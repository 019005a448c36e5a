/* Search boxes of the editors' forms (our own few lines; no library, no CDN):
 * - input.incident-lookup: type words of an incident's text or its date, pick one; the box
 *   gets the incident's id (the label stays visible beside it).
 * - input.place-lookup: type a place name, pick a gazetteer place shown with its region and
 *   country; data-country ranks the incident's own country first.
 * Suggestions come from the admin's JSON lookups as a <datalist>. */
(function () {
  "use strict";
  function attach(input, url, valueOf) {
    var list = document.createElement("datalist");
    list.id = input.id + "-options";
    input.setAttribute("list", list.id);
    input.setAttribute("autocomplete", "off");
    input.parentNode.appendChild(list);
    var note = document.createElement("div");
    note.className = "help lookup-chosen";
    input.parentNode.appendChild(note);
    var timer = null, last = "", labels = {};
    input.addEventListener("input", function () {
      var q = input.value.trim();
      if (labels[q]) { note.textContent = labels[q]; return; }
      if (q.length < 2 || q === last) return;
      clearTimeout(timer);
      timer = setTimeout(function () {
        last = q;
        var country = input.getAttribute("data-country") || "";
        fetch(url + "?q=" + encodeURIComponent(q) + "&country=" + encodeURIComponent(country), {
          credentials: "same-origin"
        }).then(function (r) { return r.json(); }).then(function (data) {
          list.innerHTML = "";
          data.results.forEach(function (row) {
            var option = document.createElement("option");
            option.value = valueOf(row);
            option.label = row.label;
            option.textContent = row.label;
            labels[option.value] = row.label;
            list.appendChild(option);
          });
        });
      }, 150);
    });
  }
  document.querySelectorAll("input.incident-lookup").forEach(function (input) {
    attach(input, input.getAttribute("data-url"), function (row) { return row.id; });
  });
  document.querySelectorAll("input.place-lookup").forEach(function (input) {
    attach(input, input.getAttribute("data-url"), function (row) { return row.label; });
  });
})();
