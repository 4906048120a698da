/* Practical-assessment XBlock: the assessor part (tools come from assessment.js). */
function CredentialAssessmentAssessor(tools) {
  'use strict';
  var root = tools.root, post = tools.post, say = tools.say,
      failure = tools.failure, gettext = tools.gettext;

  root.querySelectorAll('.ca-assess-form').forEach(function (form) {
    form.addEventListener('submit', function (event) {
      event.preventDefault();
      var scores = [];
      form.querySelectorAll('.ca-criterion').forEach(function (fieldset) {
        var chosen = fieldset.querySelector('input[type=radio]:checked');
        if (!chosen) { return; }  /* the server names every criterion still missing */
        scores.push({
          criterion: fieldset.getAttribute('data-criterion'),
          level: chosen.value,
          comment: fieldset.querySelector('.ca-comment').value
        });
      });
      var button = form.querySelector('button[type=submit]');
      button.disabled = true;
      post('submit_assessment', {
        attempt_id: parseInt(form.getAttribute('data-attempt-id'), 10),
        scores: scores
      }).done(function (data) {
        say(form, data.message, false);
      }).fail(failure(form));
    });
  });
}
