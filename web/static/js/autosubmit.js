// Submit a picker's form as soon as its value changes (the button stays for keyboards and no-JS).
(function () {
  "use strict";
  document.querySelectorAll(
    "form.measure-picker select, form.scenario-picker select").forEach(
    function (select) {
      select.addEventListener("change", function () { select.form.submit(); });
    });
})();
