/* Practical-assessment XBlock: the author's form and its rubric editor (plain JS).
 *
 * The rubric lives in `state` while the author works; the list on the page is
 * rebuilt from it after each add, remove or move, and typing updates it in place.
 * A refused save changes nothing here: the author's work stays as it was typed.
 */
function CredentialAssessmentStudio(runtime, element) {
  'use strict';
  var root = element.jquery ? element[0] : element;
  var form = root.querySelector('.cas-form');
  if (!form) { return; }  /* not course staff: only a notice is shown */
  var strings = root.querySelector('.cas-strings').dataset;
  var list = form.querySelector('.cas-criteria');
  var criterionTemplate = root.querySelector('.cas-criterion-template');
  var levelTemplate = root.querySelector('.cas-level-template');
  var statusLine = form.querySelector('.cas-status');
  var prefix = form.querySelector('[name=display_name]').id.replace(/-display_name$/, '');
  /* The saved rubric comes as JSON data in the page (escaped by Django's json_script), never
     as script source, so an author's label cannot end the script and run its own. */
  var savedRubric = JSON.parse(root.querySelector('script[id$="-studio-rubric"]').textContent);
  var saved = (savedRubric && savedRubric.criteria) || [];  /* as last saved */
  var state = {criteria: copyCriteria(saved)};

  function copyCriteria(criteria) {
    return criteria.map(function (c) {
      return {
        name: c.name || '', label: c.label || '', description: c.description || '',
        minimum_level: c.minimum_level || '',
        levels: (c.levels || []).map(function (lv) {
          return {name: lv.name || '', label: lv.label || '', description: lv.description || '',
                  points: lv.points === undefined || lv.points === null ? '' : String(lv.points)};
        })
      };
    });
  }

  function format(text, params) {
    return text.replace(/\{(\w+)\}/g, function (match, key) {
      return Object.prototype.hasOwnProperty.call(params, key) ? params[key] : match;
    });
  }

  function shownName(item) { return item.label || item.name || strings.untitled; }

  function slug(text) {
    return text.normalize('NFD').replace(/[\u0300-\u036f]/g, '').toLowerCase()
      .replace(/[^a-z0-9]+/g, '-').replace(/^-+|-+$/g, '').slice(0, 100);
  }

  function unusedName(items, stem) {
    var taken = items.map(function (item) { return item.name; });
    for (var n = items.length + 1; ; n++) {
      if (taken.indexOf(stem + '-' + n) === -1) { return stem + '-' + n; }
    }
  }

  /* ---- drawing the rubric from state ---------------------------------------- */

  function fill(node, idBase, path, item) {
    node.querySelectorAll(':scope > fieldset > .cas-field > [data-key]').forEach(function (input) {
      var key = input.getAttribute('data-key');
      input.id = idBase + '-' + key;
      input.setAttribute('data-path', path + '.' + key);
      if (input.tagName !== 'SELECT') { input.value = item[key]; }
    });
    node.querySelectorAll(':scope > fieldset > .cas-field > label[data-for]').forEach(function (label) {
      label.htmlFor = idBase + '-' + label.getAttribute('data-for');
    });
  }

  function label(node, item, number) {
    var legend = node.querySelector(':scope > fieldset > legend');
    legend.textContent = format(legend.getAttribute('data-format'),
                                {number: number, name: shownName(item)});
    node.querySelectorAll(':scope > fieldset > .cas-tools > button').forEach(function (button) {
      button.setAttribute('aria-label',
                          format(button.getAttribute('data-format'), {name: shownName(item)}));
    });
  }

  function fillMinimum(node, criterion) {
    var select = node.querySelector('select[data-key=minimum_level]');
    while (select.options.length > 1) { select.remove(1); }
    criterion.levels.forEach(function (level) {
      if (level.name) { select.add(new Option(shownName(level), level.name)); }
    });
    if (criterion.minimum_level && !criterion.levels.some(function (lv) {
      return lv.name === criterion.minimum_level; })) {
      /* Keep what was chosen visible; saving names it as a level that does not exist. */
      select.add(new Option(criterion.minimum_level, criterion.minimum_level));
    }
    select.value = criterion.minimum_level;
  }

  function tools(node, kind, indexes, count) {
    var position = indexes[indexes.length - 1];
    node.querySelectorAll(':scope > fieldset > .cas-tools > button').forEach(function (button) {
      button.setAttribute('data-kind', kind);
      button.setAttribute('data-index', indexes.join('.'));
    });
    node.querySelector(':scope > fieldset > .cas-tools > .cas-move-up').disabled = position === 0;
    node.querySelector(':scope > fieldset > .cas-tools > .cas-move-down').disabled = position === count - 1;
  }

  function draw() {
    list.textContent = '';
    state.criteria.forEach(function (criterion, i) {
      var node = criterionTemplate.content.firstElementChild.cloneNode(true);
      var base = prefix + '-c' + i;
      fill(node, base, 'criteria.' + i, criterion);
      node.setAttribute('data-path', 'criteria.' + i);
      label(node, criterion, i + 1);
      tools(node, 'criterion', [i], state.criteria.length);
      var levels = node.querySelector('.cas-levels');
      criterion.levels.forEach(function (level, j) {
        var levelNode = levelTemplate.content.firstElementChild.cloneNode(true);
        fill(levelNode, base + '-l' + j, 'criteria.' + i + '.levels.' + j, level);
        levelNode.setAttribute('data-path', 'criteria.' + i + '.levels.' + j);
        label(levelNode, level, j + 1);
        tools(levelNode, 'level', [i, j], criterion.levels.length);
        levels.appendChild(levelNode);
      });
      fillMinimum(node, criterion);
      list.appendChild(node);
    });
    total();
  }

  function total() {
    var sum = 0;
    state.criteria.forEach(function (criterion) {
      var best = 0;
      criterion.levels.forEach(function (level) {
        var points = parseInt(level.points, 10);
        if (!isNaN(points) && points > best) { best = points; }
      });
      sum += best;
    });
    form.querySelector('.cas-total').textContent = format(strings.total, {total: sum});
  }

  /* Focus a control of the item at `path` (not of the levels inside it): `what` is a tool
   * button's class or a field's key; a disabled button hands focus to its neighbour. */
  function focusPath(path, what) {
    var item = list.querySelector('[data-path="' + path + '"]');
    var own = ':scope > fieldset > ';
    var target = item && (what.charAt(0) === '.'
      ? item.querySelector(own + '.cas-tools > ' + what)
      : item.querySelector(own + '.cas-field > [data-key=' + what + ']'));
    if (target && !target.disabled) { target.focus(); return; }
    var other = item && item.querySelector(own + '.cas-tools > button:not([disabled])');
    (other || form.querySelector('.cas-add-criterion')).focus();
  }

  function announce(text) {
    statusLine.textContent = text;
    statusLine.classList.remove('cas-status-error');
  }

  /* ---- changes ---------------------------------------------------------------- */

  function itemAt(path) {
    var parts = path.split('.');
    var criterion = state.criteria[parseInt(parts[1], 10)];
    return parts.length >= 4 ? {item: criterion.levels[parseInt(parts[3], 10)], criterion: criterion}
                              : {item: criterion, criterion: criterion};
  }

  form.addEventListener('input', function (event) { edited(event.target); });
  form.addEventListener('change', function (event) { edited(event.target); });

  function edited(input) {
    var path = input.getAttribute('data-path');
    if (!path) { return; }
    var key = input.getAttribute('data-key');
    var found = itemAt(path);
    var item = found.item;
    if (key === 'name' && item.name !== input.value) {
      item.autoName = false;
      if (item !== found.criterion && found.criterion.minimum_level === item.name) {
        found.criterion.minimum_level = input.value;  /* keep the minimum on the renamed level */
      }
    }
    item[key] = input.value;
    if (key === 'label' && item.autoName) {
      var derived = slug(input.value);
      if (derived) {
        if (item !== found.criterion && found.criterion.minimum_level === item.name) {
          found.criterion.minimum_level = derived;
        }
        item.name = derived;
        input.closest('fieldset').querySelector('[data-key=name]').value = derived;
      }
    }
    if (key === 'label' || key === 'name') {
      var node = input.closest('li');
      var siblings = Array.prototype.indexOf.call(node.parentNode.children, node);
      label(node, item, siblings + 1);
      fillMinimum(list.children[state.criteria.indexOf(found.criterion)], found.criterion);
    }
    if (key === 'points') { total(); }
  }

  form.querySelector('.cas-add-criterion').addEventListener('click', function () {
    state.criteria.push({name: unusedName(state.criteria, 'criterion'), label: '',
                         description: '', minimum_level: '', levels: [], autoName: true});
    draw();
    focusPath('criteria.' + (state.criteria.length - 1), 'label');
  });

  list.addEventListener('click', function (event) {
    var button = event.target.closest('button');
    if (!button) { return; }
    var indexes = button.getAttribute('data-index').split('.').map(Number);
    var criterion = state.criteria[indexes[0]];
    var items = button.getAttribute('data-kind') === 'level' ? criterion.levels : state.criteria;
    var at = indexes[indexes.length - 1];
    var pathOf = function (index) {
      return items === state.criteria ? 'criteria.' + index
                                      : 'criteria.' + indexes[0] + '.levels.' + index;
    };
    var item = items[at];
    if (button.classList.contains('cas-add-level')) {
      criterion.levels.push({name: unusedName(criterion.levels, 'level'), label: '',
                             description: '', points: '', autoName: true});
      draw();
      focusPath('criteria.' + indexes[0] + '.levels.' + (criterion.levels.length - 1),
                'label');
    } else if (button.classList.contains('cas-remove')) {
      items.splice(at, 1);
      if (items === criterion.levels && criterion.minimum_level === item.name) {
        criterion.minimum_level = '';
      }
      draw();
      announce(format(strings.removed, {name: shownName(item)}));
      if (items.length) {
        focusPath(pathOf(Math.min(at, items.length - 1)), '.cas-remove');
      } else if (items === state.criteria) {
        form.querySelector('.cas-add-criterion').focus();
      } else {
        focusPath('criteria.' + indexes[0], '.cas-add-level');
      }
    } else if (button.classList.contains('cas-move-up') || button.classList.contains('cas-move-down')) {
      var up = button.classList.contains('cas-move-up');
      var to = up ? at - 1 : at + 1;
      if (to < 0 || to >= items.length) { return; }
      items.splice(at, 1);
      items.splice(to, 0, item);
      draw();
      announce(format(strings.moved, {name: shownName(item), number: to + 1}));
      focusPath(pathOf(to), up ? '.cas-move-up' : '.cas-move-down');
    }
  });

  /* ---- saving ----------------------------------------------------------------- */

  function field(name) { return form.querySelector('[name=' + name + ']'); }

  function number(name, whole) {
    var raw = field(name).value.trim();
    if (raw === '') { return whole ? raw : null; }
    var value = Number(raw);
    if (isNaN(value) || (whole && !/^-?\d+$/.test(raw))) { return raw; }  /* the server names it */
    return value;
  }

  function payload() {
    return {
      display_name: field('display_name').value,
      prompt: field('prompt').value,
      credential: field('credential').value,
      weight: number('weight', false),
      require_id_verification: field('require_id_verification').checked,
      text_evidence: field('text_evidence').checked,
      min_evidence_length: number('min_evidence_length', true),
      max_evidence_length: number('max_evidence_length', true),
      file_evidence: field('file_evidence').checked,
      allowed_file_types: Array.prototype.map.call(
        form.querySelectorAll('[name=allowed_file_types]:checked'),
        function (box) { return box.value; }),
      max_file_size_mb: number('max_file_size_mb', true),
      max_files: number('max_files', true),
      link_evidence: field('link_evidence').checked,
      max_links: number('max_links', true),
      rubric: {criteria: state.criteria.map(function (c) {
        return {name: c.name, label: c.label, description: c.description,
                minimum_level: c.minimum_level,
                levels: c.levels.map(function (lv) {
                  var points = /^-?\d+$/.test(lv.points.trim()) ? parseInt(lv.points, 10) : lv.points;
                  return {name: lv.name, label: lv.label, description: lv.description,
                          points: points};
                })};
      })}
    };
  }

  function clearErrors() {
    form.querySelectorAll('.cas-error').forEach(function (p) { p.hidden = true; p.textContent = ''; });
    form.querySelectorAll('[aria-invalid]').forEach(function (input) {
      input.removeAttribute('aria-invalid');
    });
  }

  function showError(body) {
    var message = body.error || strings.failed;
    statusLine.textContent = strings.fix + ' ' + message;
    statusLine.classList.add('cas-status-error');
    var target = null;
    var where = null;
    if (body.field === 'rubric' && body.location) {
      var item = list.querySelector('[data-path="' + body.location + '"]');
      target = list.querySelector('[data-path="' + body.location + '.' + body.rubric_field + '"]') ||
               (item && item.querySelector('[data-key]'));
      where = item && item.querySelector('.cas-item-error');
    } else if (body.field) {
      where = form.querySelector('[data-error-for="' + body.field + '"]');
      target = form.querySelector('[id="' + prefix + '-' + body.field + '"]');
      if (body.field === 'rubric') { target = form.querySelector('.cas-rubric'); }
      if (body.field === 'text_evidence') { target = field('text_evidence'); }
    }
    if (where) { where.textContent = message; where.hidden = false; }
    if (target) {
      if (target.matches('input, select, textarea')) { target.setAttribute('aria-invalid', 'true'); }
      target.focus();
    }
  }

  form.addEventListener('submit', function (event) {
    event.preventDefault();
    clearErrors();
    var button = form.querySelector('.cas-save');
    button.disabled = true;
    announce(strings.saving);
    if (runtime.notify) { runtime.notify('save', {state: 'start'}); }
    $.ajax({
      type: 'POST',
      url: runtime.handlerUrl(root, 'studio_submit'),
      data: JSON.stringify(payload()),
      contentType: 'application/json; charset=utf-8',
      dataType: 'json'
    }).done(function (data) {
      field('prompt').value = data.prompt;
      saved = data.rubric.criteria;
      state.criteria = copyCriteria(saved);
      keepAsSaved();
      draw();
      announce(data.message);
      button.disabled = false;
      button.focus();
      if (runtime.notify) { runtime.notify('save', {state: 'end'}); }
    }).fail(function (xhr) {
      showError(xhr.responseJSON || {});
      button.disabled = false;
      if (runtime.notify) {
        runtime.notify('error', {title: strings.fix, message: (xhr.responseJSON || {}).error || strings.failed});
      }
    });
  });

  /* What the form's own reset goes back to: the values of the last successful save. */
  function keepAsSaved() {
    form.querySelectorAll('input, textarea').forEach(function (input) {
      input.defaultValue = input.value;
      input.defaultChecked = input.checked;
    });
    form.querySelectorAll('select option').forEach(function (option) {
      option.defaultSelected = option.selected;
    });
  }

  form.querySelector('.cas-cancel').addEventListener('click', function () {
    form.reset();
    clearErrors();
    state.criteria = copyCriteria(saved);
    draw();
    announce(strings.discarded);
    if (runtime.notify) { runtime.notify('cancel', {}); }
  });

  draw();
}
