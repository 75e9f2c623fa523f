// webim.js as an ES module: `import webim from "./webim.mjs"`, resolved once the SDK runs.
globalThis.webimBase ??= new URL(".", import.meta.url).href;
await import("./webim.js");
const webim = await globalThis.webim.ready;
export default webim;
