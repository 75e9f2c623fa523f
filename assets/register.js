// Registers WebIM's service worker (dist/sw.js, written by the release build) and, when a
// new build has been deployed and its worker waits, offers a reload in a small banner.
// Plain script beside the app: the worker's life is the browser's, not the wasm app's, and
// the offer must work even if the new build's app could not start.
(function () {
  if (!("serviceWorker" in navigator)) return;
  const words = {
    "zh-CN": { text: "有新版本可用。", reload: "重新加载" },
    en: { text: "A new version is available.", reload: "Reload" },
  };
  function offer(worker) {
    if (document.getElementById("update-banner")) return;
    const say = words[document.documentElement.lang] || words["zh-CN"];
    const bar = document.createElement("div");
    bar.id = "update-banner";
    bar.setAttribute("role", "status");
    bar.style.cssText =
      "position:fixed;left:50%;bottom:16px;transform:translateX(-50%);z-index:1000;" +
      "display:flex;gap:12px;align-items:center;padding:10px 14px;border-radius:10px;" +
      "background:var(--webim-surface);color:var(--webim-text);" +
      "border:1px solid var(--webim-border);box-shadow:var(--webim-shadow);font-size:14px";
    const text = document.createElement("span");
    text.textContent = say.text;
    const button = document.createElement("button");
    button.id = "update-reload";
    button.textContent = say.reload;
    button.style.cssText =
      "border:0;border-radius:8px;padding:6px 12px;cursor:pointer;" +
      "background:var(--webim-accent);color:var(--webim-accent-text)";
    button.addEventListener("click", () => worker.postMessage("skip-waiting"));
    bar.append(text, button);
    document.body.append(bar);
  }
  let reloading = false;
  addEventListener("load", () => {
    // On a static host the in-browser service runs the app, and the worker keeps its files
    // too, so the app still opens without a network; behind a server (its settings are in
    // the page) they are never fetched.
    const embedded = !document.getElementById("webim-config");
    navigator.serviceWorker.register(embedded ? "/sw.js?embedded" : "/sw.js").then((registration) => {
      const watch = (worker) => {
        worker.addEventListener("statechange", () => {
          if (worker.state === "installed" && navigator.serviceWorker.controller) offer(worker);
        });
      };
      if (registration.waiting && navigator.serviceWorker.controller) offer(registration.waiting);
      if (registration.installing) watch(registration.installing);
      registration.addEventListener("updatefound", () => watch(registration.installing));
      // A long-open tab looks for a new build now and then.
      setInterval(() => registration.update().catch(() => {}), 30 * 60 * 1000);
    }).catch(() => {});
    navigator.serviceWorker.addEventListener("controllerchange", () => {
      if (reloading || !document.getElementById("update-banner")) return;
      reloading = true;
      location.reload();
    });
  });
})();
