"""JSON-LD contexts from the package only, and RDFC-1.0 canonical N-Quads.

Documents are processed in JSON-LD "safe mode" with no base IRI: an undefined term, or a
type or id that is not an absolute IRI, is an error rather than something silently dropped
or resolved against a made-up base, so this code refuses what conformant verifiers refuse.

Signing and verifying must never reach the network (a verifier that fetches
contexts can be steered, slowed or stopped by whoever hosts them), so the loader
serves the context files shipped in ``jsonld_contexts/`` and refuses every other
URL. ``canonicalize`` is what the eddsa-rdfc-2022 cryptosuite hashes.

Speed: pyld re-processes each type-scoped context for every node it meets, which
makes a badge cost ~8 ms. Processing a context is a pure function of the active
context and the local context, so ``_MemoProcessor`` remembers the results
(bounded) and canonicalisation runs about three times faster, with the same output
(the W3C test vectors and a comparison with plain pyld prove it).
"""
import json
import math
import re
import threading
import uuid
from collections import OrderedDict
from importlib.resources import files

from pyld import jsonld
from pyld.canon import URDNA2015
from pyld.context_resolver import ContextResolver

CONTEXT_FILES = {
    "https://www.w3.org/ns/credentials/v2": "credentials-v2.jsonld",
    "https://w3id.org/security/data-integrity/v1": "data-integrity-v1.jsonld",
    "https://w3id.org/security/data-integrity/v2": "data-integrity-v2.jsonld",
    "https://w3id.org/security/multikey/v1": "multikey-v1.jsonld",
    "https://www.w3.org/ns/did/v1": "did-v1.jsonld",
    "https://w3id.org/security/suites/jws-2020/v1": "jws-2020-v1.jsonld",
    "https://purl.imsglobal.org/spec/ob/v3p0/context-3.0.3.json": "ob-v3p0-3.0.3.json",
    "https://purl.imsglobal.org/spec/ob/v3p0/extensions.json": "ob-v3p0-extensions.json",
}
MEMO_SIZE = 1024
# Bounds on canonicalisation, whatever a document says (a verifier canonicalises what
# strangers send). RDFC-1.0's cost explodes with blank nodes that look alike: eight mutually
# linked ones took over a minute. Our own badges need a few dozen blank nodes and no
# "n-degree" work at all; these bounds are far above that and far below a second of CPU.
MAX_QUADS = 5000
MAX_BLANK_NODES = 300
MAX_N_DEGREE_STEPS = 2000


class UnsafeDocument(ValueError):
    """JSON-LD "safe mode": a document says something its contexts do not define.

    Expansion would silently drop an undefined property or keep a relative type, so
    the canonical form (and the signature) would not cover it: such a document is
    refused rather than signed or verified.
    """


class TooComplex(ValueError):
    """Canonicalising this document would cost more than the bounds above allow."""


class UnknownContext(ValueError):
    """A document names a context this package does not ship (and will not fetch)."""

    def __init__(self, url):
        super().__init__(f"JSON-LD context not available offline: {url!r}")
        self.url = url


def _shipped_contexts() -> dict:
    folder = files("credential_app.openbadges") / "jsonld_contexts"
    return {url: json.loads((folder / name).read_text(encoding="utf-8"))
            for url, name in CONTEXT_FILES.items()}


class Canonicalizer:
    """Canonical N-Quads of JSON-LD documents, with contexts from ``documents`` only.

    ``extra`` adds contexts (tests add the W3C examples context of the test vectors).
    """

    def __init__(self, extra: dict | None = None):
        self.documents = {**_shipped_contexts(), **(extra or {})}
        self._resolved = {}  # pyld's resolved-context cache, private to this loader
        self._memo = OrderedDict()
        self._small = OrderedDict()
        self._lock = threading.Lock()

    def load_document(self, url, options=None):
        """pyld document loader: a shipped context, or ``UnknownContext``."""
        try:
            document = self.documents[url]
        except (KeyError, TypeError):
            raise UnknownContext(url) from None
        return {"contextUrl": None, "documentUrl": url, "document": document,
                "tag": "static"}

    def canonicalize(self, document: dict) -> str:
        """RDFC-1.0 (URDNA2015) canonical N-Quads of ``document``.

        Raises ``UnknownContext`` for a context not shipped, ``UnsafeDocument`` for an
        undefined term or a relative IRI, ``TooComplex`` past the bounds above, and
        ``ValueError`` for a document that is not valid JSON-LD.
        """
        options = {
            "algorithm": "URDNA2015",
            "format": "application/n-quads",
            # No base IRI, as a conformant verifier processes a credential it is handed:
            # a relative type or id stays relative and is refused (``_check_absolute``),
            # where pyld's default base (http://example.org/base/) would have hidden it.
            "base": None,
            "documentLoader": self.load_document,
            "contextResolver": ContextResolver(self._resolved, self.load_document),
        }
        try:
            return _MemoProcessor(self).normalize(document, options)
        except (UnsafeDocument, TooComplex):
            raise
        except jsonld.JsonLdError as exc:
            for kind in (UnsafeDocument, TooComplex):
                found = _find(exc, kind)
                if found is not None:
                    raise found from exc
            unknown = _find(exc, UnknownContext)
            if unknown is not None:
                raise unknown from exc
            raise ValueError(f"Not valid JSON-LD: {exc.type}") from exc

    def canonicalize_small(self, document: dict) -> str:
        """``canonicalize`` for small documents that repeat (proof configurations: one
        per key and second when signing in batches), remembered by their JSON text."""
        key = json.dumps(document, sort_keys=True)
        hit = self._small.get(key)
        if hit is None:
            hit = self.canonicalize(document)
            with self._lock:
                self._small[key] = hit
                if len(self._small) > MEMO_SIZE:
                    self._small.popitem(last=False)
        return hit

    def remember(self, key, local_ctx, result):
        with self._lock:
            self._memo[key] = (local_ctx, result)
            if len(self._memo) > MEMO_SIZE:
                self._memo.popitem(last=False)

    def recall(self, key, local_ctx):
        hit = self._memo.get(key)
        # the local context is kept alive in the memo, so its id cannot be reused
        return hit[1] if hit is not None and hit[0] is local_ctx else None


def _find(exc, kind):
    """The error of ``kind`` buried in a pyld error, if that is what went wrong."""
    seen = set()
    while exc is not None and id(exc) not in seen:
        seen.add(id(exc))
        if isinstance(exc, kind):
            return exc
        details = getattr(exc, "details", None) or {}
        cause = details.get("cause") if isinstance(details, dict) else None
        exc = cause or exc.__cause__ or exc.__context__
    return None


class _MemoProcessor(jsonld.JsonLdProcessor):
    """pyld's processor, remembering processed contexts across documents."""

    def __init__(self, owner: Canonicalizer):
        super().__init__(on_property_dropped=_refuse_dropped)
        self._owner = owner

    def expand(self, input_, options):
        expanded = super().expand(input_, options)
        _check_absolute(expanded)
        return expanded

    def normalize(self, input_, options):
        """RDFC-1.0 as pyld's ``normalize`` does it, with the dataset's size checked first
        and the blank-node work counted as it goes (``_BoundedURDNA2015``)."""
        to_rdf = {key: value for key, value in options.items() if key != "format"}
        dataset = self.to_rdf(input_, {**to_rdf, "produceGeneralizedRdf": False})
        quads = [quad for graph in dataset.values() for quad in graph]
        if len(quads) > MAX_QUADS:
            raise TooComplex(f"more than {MAX_QUADS} statements")
        blank = {term["value"] for quad in quads
                 for term in (quad["subject"], quad["object"], quad.get("graph") or {})
                 if term.get("type") == "blank node"}
        if len(blank) > MAX_BLANK_NODES:
            raise TooComplex(f"more than {MAX_BLANK_NODES} blank nodes")
        return _BoundedURDNA2015(MAX_N_DEGREE_STEPS).main(dataset, options)

    def _process_context(self, active_ctx, local_ctx, options, override_protected=False,
                         propagate=True, validate_scoped=True, cycles=None):
        if "_uuid" not in active_ctx:  # pyld names active contexts the same way
            active_ctx["_uuid"] = str(uuid.uuid1())
        key = (active_ctx["_uuid"], id(local_ctx), override_protected, propagate,
               validate_scoped)
        result = self._owner.recall(key, local_ctx)
        if result is None:
            result = super()._process_context(active_ctx, local_ctx, options,
                                              override_protected, propagate,
                                              validate_scoped, cycles)
            self._owner.remember(key, local_ctx, result)
        return result


class _BoundedURDNA2015(URDNA2015):
    """pyld's RDFC-1.0, refusing to spend more than ``budget`` steps on blank nodes that
    look alike: each "hash n-degree quads" call costs one step plus the permutations it is
    about to try (the factorial of each group of related blank nodes)."""

    def __init__(self, budget):
        super().__init__()
        self._left = budget

    def hash_n_degree_quads(self, id_, issuer):
        related = self.create_hash_to_related(id_, issuer)
        self._left -= 1 + sum(math.factorial(min(len(nodes), 20)) for nodes in related.values())
        if self._left < 0:
            raise TooComplex("too much blank-node work")
        return super().hash_n_degree_quads(id_, issuer)


def _refuse_dropped(expanded_property):
    raise UnsafeDocument(f"Undefined JSON-LD term (property {expanded_property!r})")


def _is_iri_or_blank(value) -> bool:
    return isinstance(value, str) and (value.startswith("_:") or _ABSOLUTE.match(value)
                                       is not None)


_ABSOLUTE = re.compile(r"^[A-Za-z][A-Za-z0-9+.-]*:")


def _check_absolute(node):
    """Every expanded ``@type`` and ``@id`` must be an absolute IRI or a blank node."""
    if isinstance(node, list):
        for item in node:
            _check_absolute(item)
    elif isinstance(node, dict):
        if "@value" in node:
            return
        for value in node.get("@type", []) if isinstance(node.get("@type"), list) else []:
            if not _is_iri_or_blank(value):
                raise UnsafeDocument(f"Undefined JSON-LD type {value!r}")
        if "@id" in node and not _is_iri_or_blank(node["@id"]):
            raise UnsafeDocument(f"Relative JSON-LD identifier {node['@id']!r}")
        for key, value in node.items():
            if key not in ("@type", "@id"):
                _check_absolute(value)


_default = None


def default() -> Canonicalizer:
    """The process-wide canonicalizer with the shipped contexts."""
    global _default
    if _default is None:
        _default = Canonicalizer()
    return _default


def canonicalize(document: dict) -> str:
    return default().canonicalize(document)
