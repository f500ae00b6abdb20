/* Portal Kinerja: compare views (banding). Our own code, no dependency, loaded only by the
   compare pages (generator/pages/templates/_compare.md.j2). Progressive enhancement: without
   JavaScript every row and column is shown and the picker stays hidden.
   1. A table.pk-sortable sorts by a column when its header is clicked (data-sort holds a
      cell's number; cells without a figure go last either way; a data-fixed-last row, a
      total, stays last).
   2. The address keeps the choice of satkers and years: ?satker=a,b&tahun=2022,2025 shows
      only those rows (tr[data-satker]) and columns ([data-tahun]); the picker's boxes
      change it and rewrite the address (history.replaceState), so a copied link keeps it. */
(function () {
  "use strict";
  var each = function (list, fn) { Array.prototype.forEach.call(list, fn); };

  function key(cell) {
    if (!cell) return null;
    var sort = cell.getAttribute("data-sort");
    if (sort !== null) return sort === "" ? null : Number(sort);
    var text = cell.textContent.trim();
    return text === "" || text === "–" ? null : text;
  }

  function sortBy(table, index, th) {
    var descending = th.getAttribute("aria-sort") === "ascending";
    each(th.parentNode.cells, function (other) { other.removeAttribute("aria-sort"); });
    th.setAttribute("aria-sort", descending ? "descending" : "ascending");
    var body = table.tBodies[0];
    var rows = Array.prototype.slice.call(body.rows);
    var fixed = table.hasAttribute("data-fixed-last") ? rows.pop() : null;
    var keyed = rows.map(function (row, order) { return {row: row, key: key(row.cells[index]), order: order}; });
    keyed.sort(function (a, b) {
      if (a.key === null || b.key === null) {
        return a.key === null && b.key === null ? a.order - b.order : (a.key === null ? 1 : -1);
      }
      var c = typeof a.key === "number" && typeof b.key === "number" ? a.key - b.key
        : String(a.key).localeCompare(String(b.key), "id");
      return (descending ? -c : c) || a.order - b.order;
    });
    keyed.forEach(function (k) { body.appendChild(k.row); });
    if (fixed) body.appendChild(fixed);
  }

  each(document.querySelectorAll("table.pk-sortable"), function (table) {
    if (!table.tHead) return;
    each(table.tHead.rows[0].cells, function (th, index) {
      var button = document.createElement("button");
      button.type = "button";
      button.className = "pk-sort";
      button.title = "Urutkan menurut kolom ini";
      while (th.firstChild) button.appendChild(th.firstChild);
      th.appendChild(button);
      button.addEventListener("click", function () { sortBy(table, index, th); });
    });
  });

  var picker = document.querySelector("[data-pk-picker]");
  if (!picker || !window.history || !history.replaceState) return;
  function boxes(name) { return picker.querySelectorAll("input[name='" + name + "']"); }

  var NAMES = ["satker", "tahun"].filter(function (name) { return boxes(name).length; });  // what this page offers
  var WORDS = {satker: "kantor", tahun: "tahun"};

  function fromAddress() {
    var query = location.search.replace(/^\?/, "").split("&");
    NAMES.forEach(function (name) {
      var chosen = null;
      query.forEach(function (part) {
        var pair = part.split("=");
        if (decodeURIComponent(pair[0]) === name) {
          chosen = (pair[1] || "").split(",").map(function (v) { return decodeURIComponent(v.replace(/\+/g, " ")).trim(); });
        }
      });
      each(boxes(name), function (box) { box.checked = chosen === null || chosen.indexOf(box.value) >= 0; });
    });
  }

  function query() {  // the choice as an address query; '' when everything is shown
    var parts = [];
    NAMES.forEach(function (name) {
      var all = boxes(name), chosen = [];
      each(all, function (box) { if (box.checked) chosen.push(encodeURIComponent(box.value)); });
      if (chosen.length < all.length) parts.push(name + "=" + chosen.join(","));
    });
    return parts.length ? "?" + parts.join("&") : "";
  }

  function apply(write) {
    var chosen = {}, state = [];
    NAMES.forEach(function (name) {
      var all = boxes(name);
      chosen[name] = {};
      each(all, function (box) { if (box.checked) chosen[name][box.value] = true; });
      state.push(Object.keys(chosen[name]).length + " dari " + all.length + " " + WORDS[name]);
    });
    if (chosen.satker) {
      each(document.querySelectorAll(".pk-compare tr[data-satker]"), function (row) {
        row.hidden = !chosen.satker[row.getAttribute("data-satker")];
      });
    }
    if (chosen.tahun) {
      each(document.querySelectorAll(".pk-compare [data-tahun]"), function (cell) {
        cell.hidden = !chosen.tahun[cell.getAttribute("data-tahun")];
      });
    }
    picker.querySelector("[data-pk-state]").textContent = "Menampilkan " + state.join(" dan ") + ".";
    var search = query();
    if (write) history.replaceState(history.state, "", location.pathname + search + location.hash);
    each(document.querySelectorAll("a[data-pk-keep]"), function (a) {  // links to other compare views keep the choice
      var href = a.getAttribute("href"), at = href.indexOf("#");
      var hash = at < 0 ? "" : href.slice(at);
      a.setAttribute("href", href.slice(0, at < 0 ? href.length : at).split("?")[0] + search + hash);
    });
  }

  fromAddress();
  picker.hidden = false;
  apply(false);
  picker.addEventListener("change", function () { apply(true); });
  picker.querySelector("[data-pk-all]").addEventListener("click", function () {
    NAMES.forEach(function (name) { each(boxes(name), function (box) { box.checked = true; }); });
    apply(true);
  });
}());
