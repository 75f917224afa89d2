// Small progressive enhancements; every page works without this file.
(function () {
  "use strict";
  // Print links open the browser's print dialog instead of navigating to the print view.
  document.querySelectorAll("[data-print]").forEach(function (link) {
    link.hidden = false; // buttons that only work with this script start hidden
    link.addEventListener("click", function (event) {
      event.preventDefault();
      window.print();
    });
  });
})();
