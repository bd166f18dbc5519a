// Progressive enhancement: when the target changes and the proposed wording was not edited,
// start it again from the chosen clause's or point's text.  The page works without this.
(function () {
  var target = document.getElementById("target");
  var proposal = document.getElementById("proposed_text");
  if (!target || !proposal) return;
  var texts = JSON.parse(target.getAttribute("data-texts") || "{}");
  var last = texts[target.value] || "";
  target.addEventListener("change", function () {
    if (proposal.value === last) {
      last = texts[target.value] || "";
      proposal.value = last;
    }
  });
})();
