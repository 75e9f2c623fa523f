// Loaded first into every page on Tencent's own webim.js that the end-to-end tests open:
// records what a person would notice and a test must not miss (uncaught errors, alerts,
// and each long poll's start), without changing how the page behaves otherwise.
(function () {
  var probe = (window.__probe = { errors: [], alerts: [], polls: [] });
  window.addEventListener("error", function (e) {
    probe.errors.push(String(e.message || e));
  });
  window.addEventListener("unhandledrejection", function (e) {
    probe.errors.push(String(e.reason));
  });
  // An alert would block the page (and the test's driver) until someone clicks it.
  window.alert = function (text) {
    probe.alerts.push(String(text));
  };
  window.confirm = function (text) {
    probe.alerts.push(String(text));
    return true;
  };
  var open = XMLHttpRequest.prototype.open;
  XMLHttpRequest.prototype.open = function (method, url) {
    if (String(url).indexOf("/openim/longpolling?") >= 0) probe.polls.push(Date.now());
    return open.apply(this, arguments);
  };
})();
