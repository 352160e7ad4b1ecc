// The report's print button (a script file: the dashboard's CSP forbids inline code).
document.addEventListener("DOMContentLoaded", () => {
  const b = document.getElementById("print");
  if (b) b.addEventListener("click", () => window.print());
});
