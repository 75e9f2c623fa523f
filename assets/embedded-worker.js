// The embedded service's worker (a SharedWorker for every tab of the origin, or a dedicated
// Worker for one tab where the browser has no SharedWorker). Plain script, because a
// SharedWorker's first `connect` event comes at once, while the service's wasm is still on
// its way: ports are kept until the wasm says it runs (`webimAccept`), then handed over.
// A port keeps the page's messages until the wasm listens, so nothing is lost meanwhile.
"use strict";
// Each page is greeted at once, so it knows this worker runs (and waits for the wasm to
// start) rather than a worker that was closing when it connected.
const queued = [];
const accept = (port) => (self.webimAccept ? self.webimAccept(port) : queued.push(port));
const greet = (port) => {
  port.postMessage({ hello: true });
  accept(port);
};
self.onconnect = (event) => greet(event.ports[0]);
self.onmessage = (event) => {
  if (event.data && event.data.connect) greet(event.data.connect);
};
importScripts("./webim-worker.js");
wasm_bindgen({ module_or_path: "./webim-worker_bg.wasm" }).then(
  () => queued.splice(0).forEach(accept),
  (error) => {
    const message = `the embedded service did not start: ${error}`;
    self.webimAccept = (port) => port.postMessage({ fatal: message });
    queued.splice(0).forEach(accept);
  },
);
