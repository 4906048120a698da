"""The prompt keeps the formatting a prompt needs and loses anything that could run."""
import pytest

from credential_xblock.sanitise import sanitise_prompt


@pytest.mark.parametrize("dirty, clean", [
    ("<p>Hi<script>alert(1)</script></p>", "<p>Hi</p>"),
    ('<p onclick="steal()" onmouseover="x()">Hi</p>', "<p>Hi</p>"),
    ('<a href="javascript:alert(1)">x</a>', '<a rel="noopener noreferrer">x</a>'),
    ('<a href="JaVaScRiPt:alert(1)">x</a>', '<a rel="noopener noreferrer">x</a>'),
    ('<a href="data:text/html,&lt;script&gt;">x</a>', '<a rel="noopener noreferrer">x</a>'),
    ('<img src="x.png" onerror="steal()" alt="plan">', '<img src="x.png" alt="plan">'),
    ('<p style="position:fixed">Hi</p>', "<p>Hi</p>"),
    ("<style>body{display:none}</style><p>Hi</p>", "<p>Hi</p>"),
    ('<iframe src="https://evil.example">text</iframe><p>Hi</p>', "<p>Hi</p>"),
    ("<svg><script>alert(1)</script></svg>Hi", "Hi"),
    ('<form action="/x"><input name="a"></form>Hi', "Hi"),
    ("<!-- note --><p>Hi</p>", "<p>Hi</p>"),
])
def test_anything_that_could_run_is_removed(dirty, clean):
    assert sanitise_prompt(dirty) == clean


def test_formatting_a_prompt_needs_is_kept():
    prompt = ('<h3>Task</h3><p>Do <strong>this</strong>, <em>then</em> <code>that</code>.</p>'
              '<ul><li>one</li></ul><ol start="2"><li>two</li></ol>'
              '<table><thead><tr><th scope="col">A</th></tr></thead>'
              '<tbody><tr><td colspan="2">1</td></tr></tbody></table>'
              '<p><a href="https://example.org/x" rel="noopener noreferrer">guide</a> '
              '<a href="mailto:team@example.org" rel="noopener noreferrer">mail</a></p>')
    assert sanitise_prompt(prompt) == prompt


def test_sanitising_twice_changes_nothing_more():
    once = sanitise_prompt('<p onclick="x">a<br>b&nbsp;<a href="/rel">c</a></p><script>1</script>')
    assert sanitise_prompt(once) == once

