/* Practical-assessment XBlock: the assessor part (tools come from assessment.js). */
function CredentialAssessmentAssessor(tools) {
  'use strict';
  var root = tools.root, post = tools.post, say = tools.say,
      failure = tools.failure, gettext = tools.gettext;

  /* Filters: show one list at a time (all lists stay visible without JavaScript). */
  var filters = root.querySelectorAll('.ca-filter');
  function show(name) {
    filters.forEach(function (button) {
      button.setAttribute('aria-pressed', String(button.getAttribute('data-filter') === name));
    });
    root.querySelectorAll('.ca-queue-list').forEach(function (list) {
      list.hidden = list.getAttribute('data-list') !== name;
    });
  }
  filters.forEach(function (button) {
    button.addEventListener('click', function () { show(button.getAttribute('data-filter')); });
  });
  if (filters.length) { show('waiting'); }

  /* Live counts: asked again after each claim, release, score and override, whenever the
     page comes back into view, and every half minute while it is in view, so other
     assessors' claims and scores show without a reload. */
  var counted = root.querySelectorAll('[data-count]');
  function showCounts(queue) {
    counted.forEach(function (element) {
      var label = queue.labels[element.getAttribute('data-count')];
      if (label && element.textContent !== label) { element.textContent = label; }
    });
  }
  function refreshCounts() {
    if (!counted.length) { return; }
    post('queue_counts', {}).done(showCounts);
  }
  /* Claims, releases, scores and overrides answer with the counts: no second request. */
  function countsFrom(data) {
    if (data.queue) { showCounts(data.queue); } else { refreshCounts(); }
  }
  if (counted.length) {
    window.setInterval(function () { if (!document.hidden) { refreshCounts(); } }, 30000);
    window.addEventListener('focus', refreshCounts);
    document.addEventListener('visibilitychange', function () {
      if (!document.hidden) { refreshCounts(); }
    });
  }

  /* What the assessor chose, per criterion (the same list the page shows under "Scored
     by you"), in place of the choices once the assessment is recorded. */
  function showYouScored(form, rows) {
    var box = document.createElement('div');
    box.className = 'ca-you-scored';
    var heading = document.createElement('h6');
    heading.textContent = gettext('What you scored');
    var list = document.createElement('dl');
    rows.forEach(function (row) {
      var term = document.createElement('dt');
      term.textContent = row.criterion;
      var detail = document.createElement('dd');
      detail.textContent = row.level + ' (' + row.points + ')';
      if (row.comment) {
        var comment = document.createElement('span');
        comment.className = 'ca-you-scored-comment';
        comment.textContent = row.comment;
        detail.appendChild(comment);
      }
      list.appendChild(term);
      list.appendChild(detail);
    });
    box.appendChild(heading);
    box.appendChild(list);
    form.querySelectorAll('.ca-criterion, button[type=submit]').forEach(function (part) {
      part.hidden = true;
    });
    form.insertBefore(box, form.querySelector('.ca-status'));
  }

  function attemptId(form) {
    return parseInt(form.getAttribute('data-attempt-id'), 10);
  }

  /* Claim and release: the button flips between the two; the status says until when. */
  function claimButton(form, button) {
    button.addEventListener('click', function () {
      var claiming = button.classList.contains('ca-claim');
      button.disabled = true;
      post(claiming ? 'claim_attempt' : 'release_claim', {attempt_id: attemptId(form)})
        .done(function (data) {
          form.querySelector('.ca-claim-state').textContent = data.message;
          button.classList.toggle('ca-claim', !claiming);
          button.classList.toggle('ca-release', claiming);
          button.textContent = claiming ? gettext('Release claim') : gettext('Claim');
          button.disabled = false;
          say(form, data.message, false);
          countsFrom(data);
        })
        .fail(function (xhr) {
          var body = xhr.responseJSON || {};
          say(form, body.error || gettext('Something went wrong; nothing was saved. Try again.'),
              true);
          button.disabled = false;
        });
    });
  }

  /* Scoring, claiming and overriding, bound to the rows in ``scope`` (the page, then each
     page of rows "Show more" adds). */
  function bindRows(scope) {
    scope.querySelectorAll('.ca-assess-form').forEach(function (form) {
      var claim = form.querySelector('.ca-claim, .ca-release');
      if (claim) { claimButton(form, claim); }
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
        post('submit_assessment', {attempt_id: attemptId(form), scores: scores})
          .done(function (data) {
            say(form, data.message, false);
            if (claim) { claim.disabled = true; }
            if (data.you_scored) { showYouScored(form, data.you_scored); }
            countsFrom(data);
          }).fail(failure(form));
      });
    });

    /* Override: the reason is required; the server says so too, naming the field. */
    scope.querySelectorAll('.ca-override-form').forEach(function (form) {
      form.querySelector('.ca-override-cancel').addEventListener('click', function () {
        var button = form.querySelector('button[type=submit]');
        form.querySelector('.ca-override-confirm').hidden = true;
        this.hidden = true;
        button.textContent = button.getAttribute('data-label');
        button.focus();
      });
      form.addEventListener('submit', function (event) {
        event.preventDefault();
        var reason = form.querySelector('.ca-override-reason');
        if (!reason.value.trim()) {
          say(form, gettext('Give the reason for overriding the result.'), true);
          reason.setAttribute('aria-invalid', 'true');
          reason.focus();
          return;
        }
        reason.removeAttribute('aria-invalid');
        var button = form.querySelector('button[type=submit]');
        var confirmation = form.querySelector('.ca-override-confirm');
        var cancel = form.querySelector('.ca-override-cancel');
        if (confirmation.hidden) {  // first press: say what the change means, ask again
          button.setAttribute('data-label', button.textContent);
          button.textContent = button.getAttribute('data-confirm-label');
          confirmation.hidden = false;
          confirmation.setAttribute('role', 'alert');
          cancel.hidden = false;
          return;
        }
        confirmation.hidden = true;
        cancel.hidden = true;
        button.disabled = true;
        post('override_result', {
          attempt_id: attemptId(form),
          passed: form.getAttribute('data-passed') === 'true',
          reason: reason.value
        }).done(function (data) {
          say(form, data.message, false);
          countsFrom(data);
        }).fail(failure(form));
      });
    });
  }
  bindRows(root);

  /* "Show more": the next page of one list, added before the button; focus moves to the
     first row it added, and the button goes once nothing more follows. */
  root.querySelectorAll('.ca-more').forEach(function (button) {
    button.addEventListener('click', function () {
      button.disabled = true;
      var offset = parseInt(button.getAttribute('data-offset'), 10);
      post('queue_page', {list: button.getAttribute('data-list'), offset: offset})
        .done(function (data) {
          var rows = document.createElement('div');
          rows.className = 'ca-more-rows';
          rows.innerHTML = data.html;
          button.parentNode.insertBefore(rows, button);
          bindRows(rows);
          button.setAttribute('data-offset', String(offset + data.shown));
          button.disabled = false;
          var first = rows.firstElementChild;
          if (first) {
            first.setAttribute('tabindex', '-1');
            first.focus();
          }
          if (!data.more) { button.remove(); }
        }).fail(function (xhr) {
          var body = xhr.responseJSON || {};
          button.disabled = false;
          var status = button.parentNode.querySelector('.ca-more-status');
          status.textContent = body.error ||
            gettext('Something went wrong; nothing was saved. Try again.');
          status.classList.add('ca-error');
        });
    });
  });
}
