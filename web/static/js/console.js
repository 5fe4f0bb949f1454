// SPARQL console: YASGUI against this app's own endpoint, configured to work offline.
// No prefix.cc or LOV look-ups (only local variable completion), no endpoint catalogue of
// public endpoints, nothing but this origin.
(function () {
  "use strict";
  var config = JSON.parse(document.getElementById("console-config").textContent);
  var prefixes = Object.keys(config.prefixes).map(function (p) {
    return "PREFIX " + p + ": <" + config.prefixes[p] + ">";
  }).join("\n");
  var query = prefixes + "\n\nSELECT ?element ?label ?type WHERE {\n" +
    "  ?element a ?type ; rdfs:label ?label .\n  FILTER (STRSTARTS(STR(?type), STR(ba:)))\n} LIMIT 50\n";
  Yasgui.Yasqe.defaults.autocompleters = ["variables"];
  Yasgui.Yasqe.defaults.value = query;
  Yasgui.Yasqe.defaults.resizeable = true;
  window.bizarchYasgui = new Yasgui(document.getElementById("yasgui"), {
    requestConfig: { endpoint: config.endpoint, method: "POST" },
    copyEndpointOnNewTab: true,
    endpointCatalogueOptions: { getData: function () { return [{ endpoint: config.endpoint }]; } },
    persistenceId: "bizarch-console",
    yasqe: { autocompleters: ["variables"], value: query },
  });
})();
