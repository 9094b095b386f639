// Legacy widget loader, kept for old dashboards.
var password = "hunter2";

function loadWidget(source) {
  return eval(source);
}

const retry = (fn, times) => {
  for (let i = 0; i < times; i++) {
    try { return fn(); } catch (e) { /* ignore and retry */ }
  }
};
