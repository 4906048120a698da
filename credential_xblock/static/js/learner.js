/* Practical-assessment XBlock: the learner part (tools come from assessment.js). */
function CredentialAssessmentLearner(tools) {
  'use strict';
  var root = tools.root, post = tools.post, say = tools.say,
      failure = tools.failure, gettext = tools.gettext, runtime = tools.runtime;
  var DRAFT_DELAY_MS = 800;
  var interpolate = tools.interpolate;
  function uploading(name, percent) {
    return interpolate(gettext('Uploading %(name)s: %(percent)s percent done.'),
                       {name: name, percent: percent}, true);
  }

  /* ---- the optional confidence question (before handing in, after a result) ---- */
  Array.prototype.forEach.call(root.querySelectorAll('form.ca-confidence'), function (form) {
    form.addEventListener('submit', function (event) {
      event.preventDefault();
      var chosen = form.querySelector('input[type="radio"]:checked');
      var status = form.querySelector('.ca-confidence-status');
      if (!chosen) {
        status.textContent = gettext('Choose a number from 1 to 5 first.');
        return;
      }
      post('record_confidence', {moment: form.getAttribute('data-moment'),
                                 score: parseInt(chosen.value, 10)}).done(function (data) {
        status.textContent = data.message;
      }).fail(function (xhr) {
        status.textContent = (xhr.responseJSON || {}).error ||
          gettext('Something went wrong; nothing was saved. Try again.');
      });
    });
  });

  var submitForm = root.querySelector('.ca-submit-form');
  if (!submitForm) {
    return;
  }
  var textarea = submitForm.querySelector('textarea');
  var counter = submitForm.querySelector('.ca-count');
  var linkInputs = Array.prototype.slice.call(submitForm.querySelectorAll('input.ca-link'));
  var draftStatus = submitForm.querySelector('.ca-draft-status');
  var files = submitForm.querySelector('.ca-files');
  var submitted = false;

  function errorOf(xhr) {
    var body = xhr.responseJSON || {};
    if (!body.error && xhr.status === 413) {  // refused by the site before the block saw it
      return gettext('That file is larger than this site accepts; nothing was saved.');
    }
    return body.error || gettext('Something went wrong; nothing was saved. Try again.');
  }

  function countCharacters() {
    if (textarea && counter) {
      counter.textContent = textarea.value.length + ' / ' + counter.getAttribute('data-limit');
    }
  }

  function links() {
    return linkInputs.map(function (input) { return input.value.trim(); })
      .filter(function (value) { return value !== ''; });
  }

  /* ---- draft: saved a moment after the learner stops typing ---- */
  var draftTimer = null;
  var edits = 0, savedEdits = 0;  /* typing since the last draft the server kept */
  var uploadsUnderway = 0;
  function saveDraft() {
    draftTimer = null;
    if (submitted) {
      return;
    }
    var sent = edits;
    post('save_draft', {text: textarea ? textarea.value : '', links: links()}).done(function (data) {
      savedEdits = Math.max(savedEdits, sent);
      draftStatus.textContent = data.message;
      draftStatus.classList.remove('ca-error');
    }).fail(function (xhr) {
      draftStatus.textContent = errorOf(xhr);
      draftStatus.classList.add('ca-error');
    });
  }
  function draftChanged() {
    edits += 1;
    if (draftTimer) {
      window.clearTimeout(draftTimer);
    }
    draftTimer = window.setTimeout(saveDraft, DRAFT_DELAY_MS);
  }
  /* Leaving the page asks first while something would be lost: typing the draft has not
     kept yet (a save that failed included) or a file still uploading. */
  window.addEventListener('beforeunload', function (event) {
    if (!submitted && (edits > savedEdits || uploadsUnderway > 0)) {
      if (draftTimer) { saveDraft(); }  /* one last try; the browser asks meanwhile */
      event.preventDefault();
      event.returnValue = '';
    }
  });
  if (textarea) {
    countCharacters();
    textarea.addEventListener('input', function () {
      countCharacters();
      draftChanged();
    });
  }
  linkInputs.forEach(function (input) { input.addEventListener('input', draftChanged); });

  /* ---- files: uploaded one at a time, with progress ---- */
  function fileItem(file) {
    var item = document.createElement('li');
    item.setAttribute('data-file-id', file.id);
    var link = document.createElement('a');
    link.href = file.url;
    link.setAttribute('download', '');
    link.textContent = file.name;
    var remove = document.createElement('button');
    remove.type = 'button';
    remove.className = 'ca-remove-file';
    remove.textContent = gettext('Remove');
    var hidden = document.createElement('span');
    hidden.className = 'ca-sr';
    hidden.textContent = ' ' + file.name;
    remove.appendChild(hidden);
    item.appendChild(link);
    item.appendChild(document.createTextNode(' '));
    item.appendChild(remove);
    return item;
  }

  if (files) {
    var input = files.querySelector('.ca-file-input');
    var list = files.querySelector('.ca-pending-files');
    var upload = files.querySelector('.ca-upload');
    var progress = files.querySelector('.ca-progress');
    var uploadLabel = files.querySelector('.ca-upload-label');
    var uploadStatus = files.querySelector('.ca-upload-status');

    var report = function (text, isError) {
      uploadStatus.textContent = text;
      uploadStatus.classList.toggle('ca-error', Boolean(isError));
    };

    input.addEventListener('change', function () {
      var file = input.files && input.files[0];
      if (!file) {
        return;
      }
      var maxSize = Number(files.getAttribute('data-max-size'));
      if (maxSize && file.size > maxSize) {
        report(interpolate(gettext('%(name)s is too large: files may be at most %(size)s MB.'),
                           {name: file.name, size: (maxSize / 1048576).toFixed(1)}, true), true);
        input.value = '';
        return;
      }
      var body = new FormData();
      body.append('file', file);
      progress.value = 0;
      uploadLabel.textContent = interpolate(gettext('Uploading %(name)s'), {name: file.name}, true);
      upload.hidden = false;
      input.disabled = true;
      report(uploading(file.name, 0), false);
      var lastAnnounced = 0;
      uploadsUnderway += 1;
      $.ajax({
        type: 'POST',
        url: runtime.handlerUrl(root, 'upload_evidence'),
        data: body,
        processData: false,
        contentType: false,
        dataType: 'json',
        xhr: function () {
          var xhr = new window.XMLHttpRequest();
          xhr.upload.onprogress = function (event) {
            if (!event.lengthComputable) {
              return;
            }
            var percent = Math.round(100 * event.loaded / event.total);
            progress.value = percent;
            if (percent - lastAnnounced >= 25 || percent === 100) {  // not every tick aloud
              lastAnnounced = percent;
              report(uploading(file.name, percent), false);
            }
          };
          return xhr;
        }
      }).done(function (data) {
        list.appendChild(fileItem(data.file));
        report(data.message, false);
      }).fail(function (xhr) {
        report(errorOf(xhr), true);
      }).always(function () {
        uploadsUnderway -= 1;
        upload.hidden = true;
        input.disabled = false;
        input.value = '';
        input.focus();
      });
    });

    list.addEventListener('click', function (event) {
      var button = event.target.closest('.ca-remove-file');
      if (!button) {
        return;
      }
      var item = button.closest('li');
      button.disabled = true;
      post('remove_evidence', {file_id: Number(item.getAttribute('data-file-id'))})
        .done(function (data) {
          item.parentNode.removeChild(item);
          report(data.message, false);
          input.focus();
        }).fail(function (xhr) {
          button.disabled = false;
          report(errorOf(xhr), true);
        });
    });
  }

  /* ---- hand in ---- */
  submitForm.addEventListener('submit', function (event) {
    event.preventDefault();
    var button = submitForm.querySelector('button[type=submit]');
    button.disabled = true;
    if (draftTimer) {
      window.clearTimeout(draftTimer);
      draftTimer = null;
    }
    var fileIds = Array.prototype.map.call(
      submitForm.querySelectorAll('.ca-pending-files li[data-file-id]'),
      function (item) { return Number(item.getAttribute('data-file-id')); });
    post('submit_evidence', {text: textarea ? textarea.value : '', links: links(), files: fileIds})
      .done(function (data) {
        submitted = true;
        showHandedIn(data);
      }).fail(failure(submitForm));
  });

  /* The learner's part of the page as the server now renders it (summary, steps, the
     attempt waiting for an assessor): put in place, then focus moves to the message. */
  function showHandedIn(data) {
    var part = root.querySelector('.ca-learner-part');
    var holder = document.createElement('div');
    holder.innerHTML = data.html || '';
    var fresh = holder.querySelector('.ca-learner-part');
    if (!part || !fresh) {
      say(submitForm, data.message, false);
      return;
    }
    part.parentNode.replaceChild(fresh, part);
    var status = fresh.querySelector('.ca-learner-status');
    status.setAttribute('role', 'status');
    status.textContent = data.message;
    status.focus();
    CredentialAssessmentLearner(tools);  // the new form, if another attempt may start
  }

  /* An error about the evidence goes once the learner changes what it was about. */
  function clearError() {
    var status = submitForm.querySelector('.ca-status');
    if (status.classList.contains('ca-error')) {
      say(submitForm, '', false);
    }
  }
  submitForm.addEventListener('input', clearError);
}
