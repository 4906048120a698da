"""The prompt's HTML, cut down to what a prompt needs: text formatting, lists, tables, links.

Authors write the prompt as HTML and learners' browsers render it as such, so it is
cleaned (with nh3, an allow-list sanitiser) whenever it enters the block: on save in
Studio, on OLX import, and again when it is shown. Anything not listed here goes:
``<script>``/``<style>`` with their content, event attributes (``onclick``), ``style``,
and URLs whose scheme is not ``http``, ``https`` or ``mailto`` (``javascript:``).
"""
import nh3

ALLOWED_TAGS = frozenset({
    "a", "abbr", "b", "blockquote", "br", "caption", "code", "dd", "div", "dl", "dt", "em",
    "figcaption", "figure", "h3", "h4", "h5", "h6", "hr", "i", "img", "kbd", "li", "ol", "p",
    "pre", "q", "s", "small", "span", "strong", "sub", "sup", "table", "tbody", "td", "tfoot",
    "th", "thead", "tr", "u", "ul",
})
ALLOWED_ATTRIBUTES = {
    "*": {"lang", "dir", "title"},
    "a": {"href", "hreflang"},
    "abbr": set(),
    "img": {"src", "alt", "width", "height"},
    "ol": {"start", "type"},
    "td": {"colspan", "rowspan", "headers"},
    "th": {"colspan", "rowspan", "scope", "headers"},
}
URL_SCHEMES = frozenset({"http", "https", "mailto"})
# Removed together with everything inside them, not just unwrapped.
DROPPED_WITH_CONTENT = frozenset({"script", "style", "iframe", "object", "embed", "template"})


def sanitise_prompt(html: str) -> str:
    """``html`` with only allowed tags, attributes and URL schemes left; idempotent."""
    return nh3.clean(
        html or "",
        tags=set(ALLOWED_TAGS),
        clean_content_tags=set(DROPPED_WITH_CONTENT),
        attributes={tag: set(names) for tag, names in ALLOWED_ATTRIBUTES.items()},
        url_schemes=set(URL_SCHEMES),
        link_rel="noopener noreferrer",
        strip_comments=True,
    ).strip()


def prompt_rules() -> dict:
    """The allow-list as plain data, for the studio editor's own (convenience) tidying."""
    return {"tags": sorted(ALLOWED_TAGS),
            "attributes": {tag: sorted(names) for tag, names in ALLOWED_ATTRIBUTES.items()}}
