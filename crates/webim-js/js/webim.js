// webim.js: the `webim` global of WebIM SDK 1.x, backed by the Rust SDK (webim-core.js and
// its wasm, beside this file). A page swaps its <script src="webim.js"> for this one.
// Calls that answer through callbacks (init, sendMsg, syncMsgs, ...) may be made at once:
// they wait for the wasm. Calls that return a value (MsgStore, new Msg, Tool) need it
// running: `webim.ready` is a promise of that.
(function () {
  "use strict";
  if (globalThis.webim && globalThis.webim.ready) return;
  const script = document.currentScript;
  const base = script && script.src ? new URL(".", script.src).href : globalThis.webimBase || "/sdk/";
  let core = null;
  const waiting = [];
  const webim = {};
  webim.ready = import(base + "webim-core.js").then(async (m) => {
    await m.default({ module_or_path: base + "webim-core_bg.wasm" });
    core = m;
    waiting.splice(0).forEach((call) => call());
    return webim;
  });
  const loading = () => new Error("webim.js is still loading: use this after webim.ready");
  // Answers through callbacks: queued until the wasm runs.
  const later = (name) => (...args) => {
    if (core) return core[name](...args);
    waiting.push(() => core[name](...args));
  };
  // Returns a value: the wasm must run.
  const now = (name) => (...args) => {
    if (!core) throw loading();
    return core[name](...args);
  };
  const made = (name) =>
    function (...args) {
      if (!core) throw loading();
      return new core[name](...args);
    };
  const calls = [
    "init", "login", "offline", "logout", "syncMsgs", "sendMsg", "setAutoRead", "getC2CHistoryMsgs",
    "getProfilePortrait", "setProfilePortrait", "applyAddFriend", "getPendency", "responseFriend",
    "deletePendency", "getAllFriend", "deleteFriend", "addBlackList", "getBlackList", "deleteBlackList",
    "uploadPic", "uploadPicByBase64", "applyDownload",
  ];
  for (const name of calls) webim[name] = later(name);
  // The seed's document names these two so (1.x's source: getPendency, deletePendency).
  webim.getPending = webim.getPendency;
  webim.deletePending = webim.deletePendency;
  // 1.7 names its file uploads so too.
  webim.uploadFile = webim.uploadPic;
  webim.uploadFileByBase64 = webim.uploadPicByBase64;
  webim.Session = made("Session");
  webim.Msg = made("Msg");
  webim.Msg.Elem = made("MsgElem");
  webim.Msg.Elem.Text = made("Text");
  webim.Msg.Elem.Face = made("Face");
  webim.Msg.Elem.Images = made("Images");
  webim.Msg.Elem.Images.Image = made("Image");
  webim.Msg.Elem.File = made("FileElem");
  webim.MsgStore = {
    sessMap: now("msgStoreSessMap"),
    sessCount: now("msgStoreSessCount"),
    sessByTypeId: now("msgStoreSessByTypeId"),
    delSessByTypeId: now("msgStoreDelSessByTypeId"),
    resetCookieAndSyncFlag: now("msgStoreResetCookieAndSyncFlag"),
    sessions: now("msgStoreSessions"),
  };
  webim.Tool = {
    getStrBytes: now("toolGetStrBytes"),
    formatTimeStamp: now("toolFormatTimeStamp"),
    xssFilter: now("toolXssFilter"),
    trimStr: now("toolTrimStr"),
  };
  const tables = {};
  for (const [name, fn] of [["EmotionPicDataIndex", "emotionPicDataIndex"], ["EmotionPicData", "emotionPicData"]]) {
    Object.defineProperty(webim, name, {
      enumerable: true,
      get() {
        if (!core) throw loading();
        return (tables[name] ??= core[fn]());
      },
    });
  }
  webim.SESSION_TYPE = Object.freeze({ C2C: "C2C", GROUP: "GROUP" });
  webim.MSG_ELEMENT_TYPE = Object.freeze({
    TEXT: "TIMTextElem",
    FACE: "TIMFaceElem",
    IMAGE: "TIMImageElem",
    FILE: "TIMFileElem",
    CUSTOM: "TIMCustomElem",
  });
  globalThis.webim = webim;
})();
