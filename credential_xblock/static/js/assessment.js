/* Practical-assessment XBlock: shared tools, then the learner and assessor parts. */
function CredentialAssessmentBlock(runtime, element) {
  'use strict';
  /* The block's own catalogue (loaded by the runtime, OEP-58) first, then the page's. */
  var catalogue = window.CredentialAssessmentI18N || {};
  var gettext = catalogue.gettext || window.gettext || function (text) { return text; };
  var interpolate = catalogue.interpolate || window.interpolate || function (format, values) {
    return format.replace(/%\((\w+)\)s/g, function (match, name) { return String(values[name]); });
  };
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

  var tools = {runtime: runtime, root: root, gettext: gettext, interpolate: interpolate,
               post: post, say: say, failure: failure};
  CredentialAssessmentLearner(tools);
  CredentialAssessmentAssessor(tools);
}
