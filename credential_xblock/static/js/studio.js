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
  var promptEditor = CredentialPromptEditor(form.querySelector('.cas-prompt'), strings);

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
    if (promptEditor) { promptEditor.sync(); }
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
      if (body.field === 'prompt' && promptEditor) { target = promptEditor.target(); }
    }
    if (where) { where.textContent = message; where.hidden = false; }
    if (target) {
      if (target.matches('input, select, textarea, [role=textbox]')) { target.setAttribute('aria-invalid', 'true'); }
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
      if (promptEditor) { promptEditor.load(); }
      saved = data.rubric.criteria;
      state.criteria = copyCriteria(saved);
      keepAsSaved();
      draw();
      announce(data.message);
      button.disabled = false;
      button.focus();
      keepAsUnchanged();
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
    if (promptEditor) { promptEditor.load(); }
    clearErrors();
    state.criteria = copyCriteria(saved);
    draw();
    announce(strings.discarded);
    keepAsUnchanged();
    if (runtime.notify) { runtime.notify('cancel', {}); }
  });

  /* Unsaved changes: what the form would send now, against what it held when last saved
     (or discarded). A note beside Save says so, and leaving the page asks first. */
  var unsavedNote = form.querySelector('.cas-unsaved');
  var unchanged = null;
  function isChanged() { return unchanged !== null && JSON.stringify(payload()) !== unchanged; }
  function showChanged() {
    var changed = isChanged();
    unsavedNote.hidden = !changed;
    /* Save says so too, to whoever reaches it (a hidden note would still be read). */
    var save = form.querySelector('.cas-save');
    if (changed) { save.setAttribute('aria-describedby', unsavedNote.id); }
    else { save.removeAttribute('aria-describedby'); }
  }
  function keepAsUnchanged() { unchanged = JSON.stringify(payload()); showChanged(); }
  form.addEventListener('input', showChanged);
  form.addEventListener('change', showChanged);
  form.addEventListener('click', function () { window.setTimeout(showChanged, 0); });  /* add, move, remove */
  window.addEventListener('beforeunload', function (event) {
    if (isChanged()) {
      event.preventDefault();
      event.returnValue = '';
    }
  });

  draw();
  keepAsUnchanged();
}

/* The prompt's rich-text editor (plain JS, no library).
 *
 * The textarea stays the one value the form sends: the editor writes its tidied HTML
 * there on every change, and reads it back when the author leaves "Edit HTML". The
 * tidying here is a convenience (pasted styles, the browser's <b>/<div>); the server's
 * sanitiser decides what a prompt may hold. Returns hooks the form calls, or null when
 * the page has no editor.
 */
function CredentialPromptEditor(field, strings) {
  'use strict';
  var rich = field.querySelector('.cas-rich');
  if (!rich || !document.execCommand) { return null; }
  var plain = field.querySelector('.cas-html');
  var textarea = plain.querySelector('textarea');
  var editor = rich.querySelector('.cas-editor');
  var toolbar = rich.querySelector('[role=toolbar]');
  var tools = Array.prototype.slice.call(toolbar.querySelectorAll('button'));
  var linkForm = rich.querySelector('.cas-link-form');
  var linkUrl = linkForm.querySelector('input');
  var linkError = linkForm.querySelector('.cas-link-error');
  var toggle = field.querySelector('.cas-html-toggle');
  var kept = null;  /* the editor's selection while focus is in the toolbar or link form */

  /* ---- tidying HTML --------------------------------------------------------- */
  /* The server's allow-list (sanitise.py), sent with the page; <b>/<i> become <strong>/<em>. */
  var rules = JSON.parse(field.querySelector('script[id$="-prompt-rules"]').textContent);
  var DROPPED = /^(SCRIPT|STYLE|IFRAME|OBJECT|EMBED|TEMPLATE|NOSCRIPT|HEAD|TITLE|META|LINK|SVG|MATH|TEXTAREA|SELECT)$/;
  var RENAMED = {B: 'strong', I: 'em', H1: 'h3', H2: 'h3'};
  var INLINE = /^(A|ABBR|CODE|EM|I|B|IMG|KBD|Q|S|SMALL|SPAN|STRONG|SUB|SUP|U|BR)$/;

  function allowedAttributes(tag) {
    return (rules.attributes['*'] || []).concat(rules.attributes[tag] || []);
  }

  /* Copies of the allowed parts of `source`'s children into `target` (a node of this page).
     `source` lives in an inert document, so nothing in it runs or loads. */
  function copyClean(source, target) {
    Array.prototype.forEach.call(source.childNodes, function (node) {
      if (node.nodeType === Node.TEXT_NODE) {
        target.appendChild(document.createTextNode(node.nodeValue));
        return;
      }
      if (node.nodeType !== Node.ELEMENT_NODE || DROPPED.test(node.tagName)) { return; }
      var tag = RENAMED[node.tagName] || node.tagName.toLowerCase();
      var names = allowedAttributes(tag).filter(function (name) { return node.hasAttribute(name); });
      if (rules.tags.indexOf(tag) === -1 || (tag === 'span' && !names.length)) {
        copyClean(node, target);  /* unwrapped: its content stays */
        return;
      }
      var copy = document.createElement(tag);
      names.forEach(function (name) { copy.setAttribute(name, node.getAttribute(name)); });
      if (tag === 'a') { copy.setAttribute('rel', 'noopener noreferrer'); }  /* as the server writes it */
      copyClean(node, copy);
      target.appendChild(copy);
    });
    return target;
  }

  /* Top-level text and inline parts go into paragraphs. */
  function paragraphs(fragment) {
    var out = document.createDocumentFragment();
    var open = null;
    Array.prototype.slice.call(fragment.childNodes).forEach(function (node) {
      var inline = node.nodeType === Node.TEXT_NODE || INLINE.test(node.tagName);
      if (!inline) { open = null; out.appendChild(node); return; }
      if (node.nodeType === Node.TEXT_NODE && !open && !node.nodeValue.trim()) { return; }
      if (!open) { open = out.appendChild(document.createElement('p')); }
      open.appendChild(node);
    });
    return out;
  }

  function cleanFragment(html) {
    var parsed = new DOMParser().parseFromString(html || '', 'text/html');
    return paragraphs(copyClean(parsed.body, document.createDocumentFragment()));
  }

  function serialise(fragment) {
    var box = document.createElement('div');
    box.appendChild(fragment);
    /* An emptied editor leaves an empty paragraph (or heading) with a <br> behind. */
    Array.prototype.slice.call(box.children).forEach(function (node) {
      if (/^(P|H3|H4)$/.test(node.tagName) && !node.textContent.trim() &&
          !node.querySelector('img')) { box.removeChild(node); }
    });
    return box.innerHTML.trim();
  }

  /* ---- keeping the textarea and the editor in step --------------------------- */

  function toTextarea() { textarea.value = serialise(cleanFragment(editor.innerHTML)); }

  function fromTextarea() {
    editor.textContent = '';
    editor.appendChild(cleanFragment(textarea.value));
  }

  function htmlMode() { return toggle.getAttribute('aria-pressed') === 'true'; }

  editor.addEventListener('input', function () { toTextarea(); showState(); });

  /* ---- commands ------------------------------------------------------------- */

  function keepSelection() {
    var selection = window.getSelection();
    if (selection.rangeCount && editor.contains(selection.getRangeAt(0).commonAncestorContainer)) {
      kept = selection.getRangeAt(0).cloneRange();
    }
  }

  function backToEditor() {
    editor.focus();
    if (kept) {
      var selection = window.getSelection();
      selection.removeAllRanges();
      selection.addRange(kept);
    }
  }

  function linkAtSelection() {
    var selection = window.getSelection();
    var node = selection.rangeCount ? selection.getRangeAt(0).commonAncestorContainer : null;
    if (!node || !editor.contains(node)) { return null; }
    var element = node.nodeType === Node.ELEMENT_NODE ? node : node.parentNode;
    return element.closest('a');
  }

  /* Enter makes paragraphs, and formatting makes elements, not inline styles. */
  function editingDefaults() {
    document.execCommand('styleWithCSS', false, false);
    document.execCommand('defaultParagraphSeparator', false, 'p');
  }
  editor.addEventListener('focus', editingDefaults);

  function run(command) {
    backToEditor();
    editingDefaults();
    if (command === 'h3' || command === 'h4') {
      var current = String(document.queryCommandValue('formatBlock')).toLowerCase();
      document.execCommand('formatBlock', false, current === command ? 'p' : command);
    } else if (command === 'unlink') {
      var link = linkAtSelection();
      if (link) {  /* the whole link, wherever in it the caret is */
        var range = document.createRange();
        range.selectNodeContents(link);
        window.getSelection().removeAllRanges();
        window.getSelection().addRange(range);
      }
      document.execCommand('unlink', false, null);
    } else {
      document.execCommand(command, false, null);
    }
    toTextarea();
    showState();
  }

  function showState() {
    var selection = window.getSelection();
    var inside = selection.rangeCount && editor.contains(selection.getRangeAt(0).commonAncestorContainer);
    var block = inside ? String(document.queryCommandValue('formatBlock')).toLowerCase() : '';
    tools.forEach(function (button) {
      var command = button.getAttribute('data-command');
      if (!button.hasAttribute('aria-pressed')) { return; }
      var on = false;
      if (inside && (command === 'h3' || command === 'h4')) { on = block === command; }
      else if (inside) { on = document.queryCommandState(command); }
      button.setAttribute('aria-pressed', on ? 'true' : 'false');
    });
    toolbar.querySelector('[data-command=unlink]')
      .setAttribute('aria-disabled', inside && linkAtSelection() ? 'false' : 'true');
  }

  document.addEventListener('selectionchange', function followSelection() {
    if (!document.documentElement.contains(editor)) {  /* Studio closed this editor */
      document.removeEventListener('selectionchange', followSelection);
    } else if (document.activeElement === editor) { keepSelection(); showState(); }
  });

  /* ---- the toolbar: one tab stop, arrow keys move between its buttons ------- */

  function rove(to) {
    tools.forEach(function (button) { button.tabIndex = button === to ? 0 : -1; });
    to.focus();
  }
  tools.forEach(function (button, i) { button.tabIndex = i === 0 ? 0 : -1; });

  toolbar.addEventListener('keydown', function (event) {
    var at = tools.indexOf(document.activeElement);
    if (at === -1) { return; }
    var to = {ArrowRight: at + 1, ArrowLeft: at - 1, Home: 0, End: tools.length - 1}[event.key];
    if (to === undefined) {
      if (event.key === 'Escape') { event.preventDefault(); backToEditor(); }
      return;
    }
    event.preventDefault();
    rove(tools[(to + tools.length) % tools.length]);
  });

  toolbar.addEventListener('click', function (event) {
    var button = event.target.closest('button');
    if (!button) { return; }
    rove(button);
    var command = button.getAttribute('data-command');
    if (button.getAttribute('aria-disabled') === 'true') { return; }
    if (command === 'link') { openLinkForm(); } else { run(command); }
  });
  /* A mouse press on a tool must not take the caret out of the editor first. */
  toolbar.addEventListener('mousedown', function (event) {
    if (document.activeElement === editor) { keepSelection(); }
    event.preventDefault();
  });

  editor.addEventListener('keydown', function (event) {
    var key = event.key.toLowerCase();
    if ((event.ctrlKey || event.metaKey) && !event.altKey && (key === 'b' || key === 'i')) {
      event.preventDefault();
      keepSelection();
      run(key === 'b' ? 'bold' : 'italic');
    } else if (event.altKey && event.key === 'F10') {
      event.preventDefault();
      keepSelection();
      rove(tools.filter(function (b) { return b.tabIndex === 0; })[0] || tools[0]);
    }
  });
  editor.addEventListener('blur', keepSelection);
  rich.querySelector('.cas-label').addEventListener('click', function () { editor.focus(); });

  /* ---- links: the address is asked for here, not in a browser dialog --------- */

  var linkButton = toolbar.querySelector('[data-command=link]');

  function openLinkForm() {
    var link = linkAtSelection() || (kept && linkIn(kept));
    linkUrl.value = link ? link.getAttribute('href') || '' : 'https://';
    linkError.hidden = true;
    linkUrl.removeAttribute('aria-invalid');
    linkForm.hidden = false;
    linkButton.setAttribute('aria-expanded', 'true');
    linkUrl.focus();
    linkUrl.select();
  }

  function linkIn(range) {
    var node = range.commonAncestorContainer;
    var element = node.nodeType === Node.ELEMENT_NODE ? node : node.parentNode;
    return editor.contains(element) ? element.closest('a') : null;
  }

  function closeLinkForm() {
    linkForm.hidden = true;
    linkButton.setAttribute('aria-expanded', 'false');
    backToEditor();
  }

  function linkRefused(message) {
    linkError.textContent = message;
    linkError.hidden = false;
    linkUrl.setAttribute('aria-invalid', 'true');
    linkUrl.focus();
  }

  function addLink() {
    var url = linkUrl.value.trim();
    if (!url || url === 'https://') { linkRefused(strings.linkEmpty); return; }
    if (!/^(https?:\/\/[^\s]+|mailto:[^\s]+)$/i.test(url)) { linkRefused(strings.linkScheme); return; }
    linkForm.hidden = true;
    linkButton.setAttribute('aria-expanded', 'false');
    backToEditor();
    var selection = window.getSelection();
    var existing = linkAtSelection();
    if (existing) {
      existing.setAttribute('href', url);
    } else if (selection.isCollapsed) {
      var anchor = document.createElement('a');
      anchor.href = url;
      anchor.textContent = url;
      document.execCommand('insertHTML', false, anchor.outerHTML);
    } else {
      document.execCommand('createLink', false, url);
    }
    toTextarea();
    showState();
  }

  linkForm.querySelector('.cas-link-apply').addEventListener('click', addLink);
  linkForm.querySelector('.cas-link-cancel').addEventListener('click', closeLinkForm);
  linkForm.addEventListener('keydown', function (event) {
    if (event.key === 'Enter' && event.target === linkUrl) { event.preventDefault(); addLink(); }
    if (event.key === 'Escape') { event.preventDefault(); closeLinkForm(); }
  });

  /* ---- pasting: tidied HTML, or plain text ------------------------------------ */

  editor.addEventListener('paste', function (event) {
    var data = event.clipboardData;
    if (!data) { return; }
    event.preventDefault();
    var html = data.getData('text/html');
    if (html) {
      document.execCommand('insertHTML', false, serialise(cleanFragment(html)));
    } else {
      document.execCommand('insertText', false, data.getData('text/plain'));
    }
    toTextarea();
  });

  /* ---- "Edit HTML": the textarea, for what the toolbar does not offer ---------- */

  function showMode(html) {
    toggle.setAttribute('aria-pressed', html ? 'true' : 'false');
    rich.hidden = html;
    plain.hidden = !html;
  }

  toggle.addEventListener('click', function () {
    if (htmlMode()) {
      fromTextarea();
      showMode(false);
      editor.focus();
    } else {
      toTextarea();
      showMode(true);
      textarea.focus();
    }
  });

  fromTextarea();
  toTextarea();
  textarea.defaultValue = textarea.value;  /* what Cancel goes back to */
  toggle.hidden = false;
  showMode(false);

  return {
    /* Before a save: the textarea holds what the editor shows. */
    sync: function () { if (!htmlMode()) { toTextarea(); } },
    /* After a save or cancel: the editor shows the textarea's (saved) prompt. */
    load: function () { fromTextarea(); },
    /* Where a refused prompt sends the author. */
    target: function () { return htmlMode() ? textarea : editor; }
  };
}
