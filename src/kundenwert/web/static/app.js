// Small progressive enhancements; every page also works without script.
// 1. The customer filters update the list in place (the server renders the partial table).
// 2. A running review's status is polled until it is done.
(function () {
  "use strict";
  function refreshList(form) {
    var target = document.querySelector(form.dataset.partial);
    var params = new URLSearchParams(new FormData(form));
    var url = form.action + "?" + params.toString();
    params.set("partial", "1");
    fetch(form.action + "?" + params.toString(), { credentials: "same-origin" })
      .then(function (r) { return r.text(); })
      .then(function (html) {
        target.innerHTML = html; history.replaceState(null, "", url); keepLanguageLink();
      });
  }
  // The language switch keeps the page's filters: after an in-place update it takes the
  // address's current query and changes only the language.
  function keepLanguageLink() {
    var link = document.getElementById("lang");
    if (!link) return;
    var target = new URL(link.href, location.href);
    var params = new URLSearchParams(location.search);
    params.set("lang", target.searchParams.get("lang"));
    link.href = location.pathname + "?" + params.toString();
  }
  document.addEventListener("DOMContentLoaded", function () {
    var form = document.querySelector("form[data-partial]");
    if (form) {
      var timer;
      form.addEventListener("change", function () { refreshList(form); });
      form.addEventListener("input", function (e) {
        if (e.target.type !== "search") return;
        clearTimeout(timer); timer = setTimeout(function () { refreshList(form); }, 250);
      });
      form.addEventListener("submit", function (e) { e.preventDefault(); refreshList(form); });
    }
    document.querySelectorAll("[data-poll]").forEach(function (box) {
      function poll() {
        if (!box.querySelector("[data-status=running]")) return;
        fetch(box.dataset.poll, { credentials: "same-origin" })
          .then(function (r) { return r.text(); })
          .then(function (html) { box.innerHTML = html; setTimeout(poll, 1000); });
      }
      setTimeout(poll, 1000);
    });
  });
})();
