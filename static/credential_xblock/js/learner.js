/* Practical-assessment XBlock: the learner part (tools come from assessment.js). */
function CredentialAssessmentLearner(tools) {
  'use strict';
  var root = tools.root, post = tools.post, say = tools.say,
      failure = tools.failure, gettext = tools.gettext;

  var submitForm = root.querySelector('.ca-submit-form');
  if (submitForm) {
    var textarea = submitForm.querySelector('textarea');
    var counter = submitForm.querySelector('.ca-count');
    textarea.addEventListener('input', function () {
      counter.textContent = textarea.value.length + ' / ' + counter.getAttribute('data-limit');
    });
    submitForm.addEventListener('submit', function (event) {
      event.preventDefault();
      var button = submitForm.querySelector('button[type=submit]');
      button.disabled = true;
      post('submit_evidence', {text: textarea.value}).done(function (data) {
        say(submitForm, data.message, false);
        textarea.readOnly = true;
      }).fail(failure(submitForm));
    });
  }
}
