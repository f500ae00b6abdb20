/* Portal Kinerja: our own script (no dependency, no CDN), loaded on every page
   (mkdocs.yml extra_javascript). Progressive enhancement: without JavaScript every table
   shows all its rows in the report's order and the compare picker stays hidden.
   1. Every data table (table.pk-data) sorts by a column when its header's button is clicked
      (or pressed with Enter or Space); the header's aria-sort says how. A table whose rows
      form a hierarchy (goals and their indicators, subtotals), or that has one row, is marked
      data-nosort by the generator and keeps the report's order. A cell is read as its data-sort (the exact
      value, on compare tables), else as its text without its notes (.pk-flag) and folded
      lines (<details>: only the summary counts): as a number written the Indonesian way
      ("Rp 1.234.567", "99,74 %") when the header is numeric (pk-num) or every value of the
      column is one, else as text. An empty cell ("–", or no number in a numeric column)
      goes last either way; equal values keep their order (stable); a data-fixed-last row,
      a total, stays last. A row moves whole, with the other printings folded in it.
   2. Compare views: the address keeps the choice of satkers and years: ?satker=a,b&tahun=2022,2025
      shows only those rows (tr[data-satker]) and columns ([data-tahun]); the picker's boxes
      change it and rewrite the address (history.replaceState), so a copied link keeps it.
      The charts are images of every satker and year: while a choice is made, a note says so. */
(function () {
  "use strict";
  var each = function (list, fn) { Array.prototype.forEach.call(list, fn); };
  var EMPTY = /^[–—-]?$/;
  var NUMBER = /^-?(\d{1,3}(\.\d{3})+|\d+)(,\d+)?$/;

  function shown(cell) {  // the cell's text without its notes and folded lines
    var text = "";
    each(cell.childNodes, function (node) {
      if (node.nodeType === 1 && node.classList.contains("pk-flag")) return;
      if (node.nodeName === "DETAILS") node = node.querySelector("summary") || node;
      text += node.textContent;
    });
    return text.trim();
  }

  function number(text) {  // "Rp 1.234.567" -> 1234567, "99,74 %" -> 99.74; null when not a number
    var bare = text.replace(/^Rp\s*/, "").replace(/\s*%$/, "").replace("−", "-");
    return NUMBER.test(bare) ? Number(bare.replace(/\./g, "").replace(",", ".")) : null;
  }

  function keys(rows, index, th) {
    var numeric = true;
    var found = rows.map(function (row) {
      var cell = row.cells[index];
      var sort = cell ? cell.getAttribute("data-sort") : "";
      if (sort !== null) return sort === "" ? null : Number(sort);
      var text = shown(cell);
      if (EMPTY.test(text)) return null;
      if (number(text) === null) numeric = false;
      return text;
    });
    numeric = numeric || th.classList.contains("pk-num");
    return found.map(function (k) { return typeof k === "string" && numeric ? number(k) : k; });
  }

  function sortBy(table, index, th) {
    var descending = th.getAttribute("aria-sort") === "ascending";
    each(th.parentNode.cells, function (other) { other.removeAttribute("aria-sort"); });
    th.setAttribute("aria-sort", descending ? "descending" : "ascending");
    var body = table.tBodies[0];
    var rows = Array.prototype.slice.call(body.rows);
    var fixed = table.hasAttribute("data-fixed-last") ? rows.pop() : null;
    var found = keys(rows, index, th);
    var keyed = rows.map(function (row, order) { return {row: row, key: found[order], order: order}; });
    keyed.sort(function (a, b) {
      if (a.key === null || b.key === null) {
        return a.key === null && b.key === null ? a.order - b.order : (a.key === null ? 1 : -1);
      }
      var c = typeof a.key === "number" && typeof b.key === "number" ? a.key - b.key
        : String(a.key).localeCompare(String(b.key), "id", {numeric: true});
      return (descending ? -c : c) || a.order - b.order;
    });
    keyed.forEach(function (k) { body.appendChild(k.row); });
    if (fixed) body.appendChild(fixed);
  }

  each(document.querySelectorAll("table.pk-data:not([data-nosort])"), function (table) {
    if (!table.tHead || !table.tBodies.length) return;
    each(table.tHead.rows[0].cells, function (th, index) {
      var button = document.createElement("button");
      button.type = "button";
      button.className = "pk-sort";
      button.title = "Urutkan menurut kolom ini";
      while (th.firstChild) button.appendChild(th.firstChild);
      th.appendChild(button);
      button.addEventListener("click", function () { sortBy(table, index, th); });
    });
    table.classList.add("pk-sorting");
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
    each(document.querySelectorAll("[data-pk-chart-note]"), function (note) { note.hidden = !search; });
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
