// Runs in the page's head, before the first paint: the theme and language a person chose
// are on <html> before anything is drawn (no light flash for someone who chose dark), as
// the app itself would set them once loaded. Storage may be unavailable: then the defaults.
(function () {
  try {
    const read = (key) => JSON.parse(localStorage.getItem(key) || "null");
    const theme = read("webim.theme");
    if (theme === "light" || theme === "dark") document.documentElement.dataset.theme = theme;
    const lang = read("webim.lang");
    if (lang === "zh-CN" || lang === "en") document.documentElement.lang = lang;
  } catch (_) {
    /* the defaults stand */
  }
})();
