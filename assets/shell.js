// Fills the loading shell (index.html's #splash) with what the first screen will say, in
// the language the app will pick (the stored choice, else the browser's first of Chinese
// and English), so the page reads right before the wasm app has loaded: the picker's
// line and its cards, "logging in" for a tab that resumes a login, else "loading".
(function () {
  const shell = document.getElementById("splash");
  const lead = document.getElementById("splash-lead");
  if (!shell || !lead) return;
  let lang = null;
  let resuming = false;
  try {
    lang = JSON.parse(localStorage.getItem("webim.lang") || "null");
    resuming = sessionStorage.getItem("webim.login") !== null;
  } catch (_) {
    /* storage unavailable: the defaults */
  }
  if (lang !== "zh-CN" && lang !== "en") {
    const tags = navigator.languages && navigator.languages.length ? navigator.languages : [navigator.language || ""];
    const first = tags.map((t) => t.split(/[-_]/)[0].toLowerCase()).find((p) => p === "zh" || p === "en");
    lang = first === "en" ? "en" : "zh-CN";
  }
  let picker = true;
  const config = document.getElementById("webim-config");
  if (config) {
    try {
      picker = JSON.parse(config.textContent).Demo === true;
    } catch (_) {
      picker = false;
    }
  }
  const words = {
    "zh-CN": { pick: "选择一个测试账号登录", resume: "正在登录…", load: "正在加载…" },
    en: { pick: "Choose a test account to log in", resume: "Logging in…", load: "Loading…" },
  }[lang];
  const pick = picker && !resuming;
  lead.textContent = pick ? words.pick : resuming ? words.resume : words.load;
  if (pick) shell.classList.add("picker");
})();
