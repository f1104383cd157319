// The code ballot page: the slip's QR link carries the one-time voting code in the fragment
// (…/v/#ABCD2345), which the browser never sends to the server, so no access log keeps it.
// Read it, take it out of the address bar and the history, and open the ballot by POST.
(function () {
  "use strict";
  var form = document.querySelector("form[data-code-form]");
  if (!form) {
    return;
  }
  var code = decodeURIComponent(window.location.hash.replace(/^#(code=)?/, "")).trim();
  if (!code) {
    return;
  }
  window.history.replaceState(null, "", window.location.pathname + window.location.search);
  form.elements.code.value = code;
  form.submit();
})();
