// Trazo's only script of its own: confirmation before an irreversible action, and printing. A form or
// button with data-confirmar="..." asks that question first. (No inline scripts: the pages'
// Content-Security-Policy allows scripts from this site only.)
document.addEventListener("submit", function (e) {
  var b = e.submitter;
  var q = (b && b.getAttribute("data-confirmar")) || e.target.getAttribute("data-confirmar");
  if (q && !window.confirm(q)) { e.preventDefault(); }
});
// A button with data-imprimir opens the browser's print dialog (the printable acta).
document.addEventListener("click", function (e) {
  if (e.target.closest && e.target.closest("[data-imprimir]")) { window.print(); }
});
