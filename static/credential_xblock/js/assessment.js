/* Practical-assessment XBlock: hand in evidence, score attempts. */
function CredentialAssessmentBlock(runtime, element) {
  'use strict';
  var gettext = window.gettext || function (text) { return text; };
  var root = element.jquery ? element[0] : element;

  function post(handler, payload) {
    return $.ajax({
      type: 'POST',
      url: runtime.handlerUrl(root, handler),
      data: JSON.stringify(payload),
      contentType: 'application/json; charset=utf-8',
      dataType: 'json'
    });
  }

  function say(form, text, isError) {
    var status = form.querySelector('.ca-status');
    status.textContent = text;
    status.classList.toggle('ca-error', Boolean(isError));
  }

  function failure(form) {
    return function (xhr) {
      var body = xhr.responseJSON || {};
      say(form, body.error || gettext('Something went wrong; nothing was saved. Try again.'), true);
      form.querySelector('button[type=submit]').disabled = false;
    };
  }

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
