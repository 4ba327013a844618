/* Match navigation on the document page, an enhancement only: the links #m1, #m2, … work without it.
   Keys n / p (or j / k) go to the next / previous match; the sticky bar shows where you are (k/N). */
(function () {
  "use strict";
  var marks = document.querySelectorAll("mark[id^='m']");
  var bar = document.getElementById("matchbar");
  if (!marks.length || !bar) { return; }
  var total = marks.length;

  function current() {
    var found = /^#m(\d+)$/.exec(window.location.hash);
    return found ? parseInt(found[1], 10) : 0;
  }

  function go(k) {
    k = ((k - 1 + total) % total) + 1;
    window.location.hash = "#m" + k;  // a real navigation: :target, history and the back button as with the links
  }

  function show() {
    var k = current();
    var mark = k ? document.getElementById("m" + k) : null;
    if (!mark) { return; }
    mark.focus({ preventScroll: true });
    var pos = bar.querySelector(".pos");
    if (!pos) {
      bar.textContent = "";
      var prev = document.createElement("button");
      prev.type = "button";
      prev.textContent = "↑ " + bar.dataset.prev;
      prev.addEventListener("click", function () { go(current() - 1); });
      pos = document.createElement("span");
      pos.className = "pos";
      pos.setAttribute("aria-live", "polite");
      var next = document.createElement("button");
      next.type = "button";
      next.textContent = bar.dataset.next + " ↓";
      next.addEventListener("click", function () { go(current() + 1); });
      bar.append(prev, " ", pos, " ", next);
      bar.classList.add("live");
    }
    pos.textContent = k + "/" + total;
  }

  document.addEventListener("keydown", function (event) {
    var target = event.target;
    if (event.altKey || event.ctrlKey || event.metaKey || target.isContentEditable ||
        /^(INPUT|TEXTAREA|SELECT)$/.test(target.tagName)) { return; }
    if (event.key === "n" || event.key === "j") { go(current() + 1); event.preventDefault(); }
    if (event.key === "p" || event.key === "k") { go(current() - 1); event.preventDefault(); }
  });
  window.addEventListener("hashchange", show);
  show();
}());
