"""Evidence files and links a learner hands in with an attempt.

Files go to Django storage (the alias ``CREDENTIAL_APP["EVIDENCE_STORAGE"]``: a
local folder in the demo, S3 or the like in production) under a random key, so a
learner's file name never becomes a path. Each upload is checked twice: its
extension must be one the unit allows, and its content must really be that kind
of file (``filetype`` reads the magic bytes; plain-text types must decode as
UTF-8 with no NUL). A file stays *pending* until an attempt takes it.
"""
import codecs
import hashlib
import mimetypes
import re
import tempfile
import unicodedata
import uuid
from urllib.parse import urlsplit

import filetype
from django.conf import settings
from django.core.files import File
from django.core.files.storage import storages
from django.db import transaction
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext as _

from credential_app.core import gates
from credential_app.core.models import EvidenceFile
from credential_app.data import EvidenceFileData, EvidenceSettings
from credential_app.exceptions import EvidenceAccessDenied, EvidenceFileNotFound, InvalidEvidence

MAX_NAME_LENGTH = 100
MAX_LINK_LENGTH = 2000
STORAGE_FOLDER = "credential-evidence"
CHUNK = 64 * 1024
# Types ``filetype`` cannot recognise by content: accepted when they are UTF-8 text.
TEXT_TYPES = frozenset({"txt", "csv", "md", "json", "log"})
# What ``filetype`` may call a file of an allowed extension (Office files are ZIPs inside).
DETECTED_AS = {
    "jpeg": {"jpg"}, "tiff": {"tif"}, "mpeg": {"mpg"}, "htm": set(),
    "docx": {"docx", "zip"}, "xlsx": {"xlsx", "zip"}, "pptx": {"pptx", "zip"},
    "odt": {"odt", "zip"}, "ods": {"ods", "zip"}, "odp": {"odp", "zip"}, "epub": {"epub", "zip"},
}
KNOWN_BY_CONTENT = frozenset({kind.extension for kind in filetype.TYPES} | DETECTED_AS.keys())
CONTROL_CHARACTERS = re.compile(r"[\x00-\x1f\x7f-\x9f]")


# ---- names ------------------------------------------------------------------------


def sanitise_name(name) -> str:
    """A display name safe to store and show: no folders, control characters or odd length."""
    name = unicodedata.normalize("NFC", str(name or ""))
    name = re.split(r"[/\\]", name)[-1]  # a browser may send a full path (C:\\...\\x.pdf)
    name = "".join(ch for ch in name if unicodedata.category(ch)[0] != "C")
    name = CONTROL_CHARACTERS.sub("", name)
    name = re.sub(r"\s+", " ", name).strip().lstrip(".").strip()
    if len(name) > MAX_NAME_LENGTH:
        stem, dot, ext = name.rpartition(".")
        if dot and 0 < len(ext) <= 10:
            name = stem[:MAX_NAME_LENGTH - len(ext) - 1].rstrip() + "." + ext
        else:
            name = name[:MAX_NAME_LENGTH]
    return name


def extension_of(name) -> str:
    stem, dot, ext = name.rpartition(".")
    return ext.lower() if dot and stem else ""


# ---- upload -------------------------------------------------------------------------


def _storage():
    return storages[settings.CREDENTIAL_APP["EVIDENCE_STORAGE"]]


def size_limit(evidence: EvidenceSettings) -> int:
    """The unit's largest file, within the operator's ceiling and the host's: the LMS refuses
    any upload over ``STUDENT_FILEUPLOAD_MAX_SIZE`` (4 MB by default) before a handler runs."""
    limits = [int(evidence.max_file_size), int(settings.CREDENTIAL_APP["MAX_EVIDENCE_FILE_SIZE"])]
    host_limit = getattr(settings, "STUDENT_FILEUPLOAD_MAX_SIZE", None)
    if host_limit:
        limits.append(int(host_limit))
    return max(1, min(limits))


def _types_text(evidence):
    return ", ".join(f".{ext}" for ext in evidence.file_types) or _("none")


def upload(*, user_id, usage_key, name, content, size, evidence: EvidenceSettings
           ) -> EvidenceFileData:
    """Check one uploaded file and keep it as pending evidence, or raise and keep nothing."""
    if not evidence.files_enabled:
        raise InvalidEvidence(_("This assessment does not take files."), field="file")
    display_name = sanitise_name(name)
    if not display_name:
        raise InvalidEvidence(_("The file has no usable name. Rename it and upload it again."),
                              field="file")
    ext = extension_of(display_name)
    allowed = tuple(t.lower().lstrip(".") for t in evidence.file_types)
    if not ext:
        raise InvalidEvidence(
            _("“{name}” has no file extension; this assessment accepts {types}.").format(
                name=display_name, types=_types_text(evidence)), field="file")
    if ext not in allowed:
        raise InvalidEvidence(
            _("“{name}” is a .{ext} file; this assessment accepts {types}.").format(
                name=display_name, ext=ext, types=_types_text(evidence)), field="file")
    limit = size_limit(evidence)
    if size is not None and size > limit:
        raise _too_big(display_name, size, limit)
    _refuse_beyond_limit(user_id, usage_key, evidence)  # early, before reading the file
    with tempfile.SpooledTemporaryFile(max_size=1024 * 1024) as copy:
        digest, length, head = _copy(content, copy, display_name, limit)
        if length == 0:
            raise InvalidEvidence(_("“{name}” is empty.").format(name=display_name),
                                  field="file")
        copy.seek(0)
        content_type = _check_content(display_name, ext, head, copy)
        copy.seek(0)
        storage = _storage()
        key = storage.save(f"{STORAGE_FOLDER}/{uuid.uuid4().hex}", File(copy))
    try:
        # Counted again under the learner's gate lock: simultaneous uploads are admitted
        # one at a time, so the limit holds however many arrive together.
        with gates.held(user_id, usage_key):
            _refuse_beyond_limit(user_id, usage_key, evidence)
            stored = EvidenceFile.objects.create(
                user_id=user_id, course_key=usage_key.course_key, usage_key=usage_key,
                storage_key=key, display_name=display_name, size=length,
                content_type=content_type, sha256=digest)
    except BaseException:
        storage.delete(key)
        raise
    return to_data(stored)


def _refuse_beyond_limit(user_id, usage_key, evidence: EvidenceSettings):
    pending = EvidenceFile.objects.filter(user_id=user_id, usage_key=usage_key,
                                          attempt__isnull=True).count()
    if pending >= evidence.max_files:
        raise InvalidEvidence(
            _("You already have {count} files ready; this assessment accepts at most {limit}. "
              "Remove one before adding another.").format(count=pending,
                                                          limit=evidence.max_files),
            field="file")


def _too_big(name, size, limit):
    return InvalidEvidence(
        _("“{name}” is {size}; the largest file this assessment accepts is {limit}.").format(
            name=name, size=filesizeformat(size), limit=filesizeformat(limit)),
        field="file")


def _copy(content, copy, name, limit):
    """Copy the upload, hashing and counting it; refuse as soon as it passes the limit."""
    digest, length, head = hashlib.sha256(), 0, b""
    if hasattr(content, "seek"):
        content.seek(0)
    while chunk := content.read(CHUNK):
        length += len(chunk)
        if length > limit:
            raise _too_big(name, length, limit)
        if len(head) < 8192:
            head += chunk[:8192 - len(head)]
        digest.update(chunk)
        copy.write(chunk)
    return digest.hexdigest(), length, head


def _check_content(name, ext, head, copy) -> str:
    """The file's content type, once its content is shown to be what its extension says."""
    detected = filetype.guess(head)
    if ext in TEXT_TYPES:
        if detected is not None or not _is_utf8_text(copy):
            raise InvalidEvidence(
                _("“{name}” is not plain text (UTF-8), though its name ends in .{ext}. "
                  "Upload the real file.").format(name=name, ext=ext), field="file")
        return mimetypes.guess_type(f"x.{ext}")[0] or "text/plain"
    expected = DETECTED_AS.get(ext, {ext})
    if ext in KNOWN_BY_CONTENT:
        if detected is None or detected.extension not in expected:
            raise _mismatch(name, ext, detected)
        return mimetypes.guess_type(f"x.{ext}")[0] or detected.mime
    # An extension no check knows: at least it must not be recognisably something else.
    if detected is not None:
        raise _mismatch(name, ext, detected)
    return mimetypes.guess_type(f"x.{ext}")[0] or "application/octet-stream"


def _mismatch(name, ext, detected):
    if detected is None:
        return InvalidEvidence(
            _("The content of “{name}” is not a .{ext} file. Upload the real file.").format(
                name=name, ext=ext), field="file")
    return InvalidEvidence(
        _("The content of “{name}” is not a .{ext} file (it looks like a .{actual} file). "
          "Upload the real file.").format(name=name, ext=ext, actual=detected.extension),
        field="file")


def _is_utf8_text(copy) -> bool:
    decoder = codecs.getincrementaldecoder("utf-8")()
    try:
        while chunk := copy.read(CHUNK):
            if b"\x00" in chunk:
                return False
            decoder.decode(chunk)
        decoder.decode(b"", final=True)
    except UnicodeDecodeError:
        return False
    return True


# ---- the learner's pending files -------------------------------------------------------


def pending(user_id, usage_key) -> list[EvidenceFileData]:
    """Files the learner uploaded for this unit that no attempt has taken yet."""
    files = EvidenceFile.objects.filter(user_id=user_id, usage_key=usage_key,
                                        attempt__isnull=True)
    return [to_data(f) for f in files]


def remove(*, user_id, usage_key, file_id) -> None:
    """Delete one of the learner's pending files (a submitted one stays with its attempt)."""
    with transaction.atomic():
        stored = (EvidenceFile.objects.select_for_update()
                  .filter(pk=_as_id(file_id), user_id=user_id, usage_key=usage_key,
                          attempt__isnull=True).first())
        if stored is None:
            raise EvidenceFileNotFound(
                _("That file is not among your files waiting to be handed in. "
                  "Reload the page to see them."), field="file_id")
        key = stored.storage_key
        stored.delete()
        transaction.on_commit(lambda: _storage().delete(key))


def open_file(*, file_id, usage_key, viewer_id, viewer_is_staff):
    """The file's data and an open binary file, for its owner or this unit's course staff."""
    stored = EvidenceFile.objects.filter(pk=_as_id(file_id), usage_key=usage_key).first()
    if stored is None:
        raise EvidenceFileNotFound(_("There is no such evidence file in this assessment."),
                                   field="file_id")
    if viewer_id is None or (stored.user_id != viewer_id and not viewer_is_staff):
        raise EvidenceAccessDenied(
            _("Only the learner who handed in this file and the course's assessors may open "
              "it."), field="file_id")
    return to_data(stored), _storage().open(stored.storage_key, "rb")


def _as_id(value):
    """A file id from a handler's suffix or JSON: plain ASCII digits or an int, else not found."""
    if isinstance(value, str) and value.isascii() and value.isdecimal():
        return int(value)
    if isinstance(value, int) and not isinstance(value, bool) and value >= 0:
        return value
    raise EvidenceFileNotFound(_("There is no such evidence file."), field="file_id")


# ---- handing in with an attempt ------------------------------------------------------


def take_for_attempt(*, user_id, usage_key, file_ids, evidence: EvidenceSettings):
    """Lock the learner's pending files named by ``file_ids`` (inside a transaction)."""
    if isinstance(file_ids, (str, bytes)) or not hasattr(file_ids, "__iter__"):
        raise InvalidEvidence(_("Send your files as a list."), field="files")
    ids = list(dict.fromkeys(_as_file_id(value) for value in file_ids))
    if ids and not evidence.files_enabled:
        raise InvalidEvidence(_("This assessment does not take files."), field="files")
    if len(ids) > evidence.max_files:
        raise InvalidEvidence(
            _("You handed in {count} files; this assessment accepts at most {limit}.").format(
                count=len(ids), limit=evidence.max_files), field="files")
    files = list(EvidenceFile.objects.select_for_update().filter(
        pk__in=ids, user_id=user_id, usage_key=usage_key, attempt__isnull=True))
    if len(files) != len(ids):
        raise InvalidEvidence(
            _("One of your files is no longer waiting to be handed in. Reload the page and "
              "check your files."), field="files")
    return files


def _as_file_id(value):
    if isinstance(value, bool) or not isinstance(value, int):
        raise InvalidEvidence(_("Send your files as a list of file ids."), field="files")
    return value


def clean_links(links, evidence: EvidenceSettings) -> list[str]:
    """The learner's links, each a complete http(s) address; raise naming the bad one."""
    if isinstance(links, (str, bytes)) or not hasattr(links, "__iter__"):
        raise InvalidEvidence(_("Send your links as a list of web addresses."), field="links")
    cleaned = []
    for link in links:
        if not isinstance(link, str):
            raise InvalidEvidence(_("Send your links as a list of web addresses."),
                                  field="links")
        link = link.strip()
        if link and link not in cleaned:
            cleaned.append(check_link(link))
    if cleaned and not evidence.links_enabled:
        raise InvalidEvidence(_("This assessment does not take links."), field="links")
    if len(cleaned) > evidence.max_links:
        raise InvalidEvidence(
            _("You gave {count} links; this assessment accepts at most {limit}.").format(
                count=len(cleaned), limit=evidence.max_links), field="links")
    return cleaned


def check_link(link: str) -> str:
    """``link`` if it is a complete http or https address, else InvalidEvidence."""
    shown = link[:80]
    if len(link) > MAX_LINK_LENGTH:
        raise InvalidEvidence(
            _("The link “{link}…” is longer than {limit} characters.").format(
                link=shown, limit=MAX_LINK_LENGTH), field="links")
    try:
        parts = urlsplit(link)
        parts.port  # noqa: B018 (raises ValueError on a bad port)
    except ValueError:
        parts = None
    if (parts is None or parts.scheme.lower() not in ("http", "https") or not parts.hostname
            or CONTROL_CHARACTERS.search(link) or " " in link):
        raise InvalidEvidence(
            _("“{link}” is not a web address. Links must start with https:// or http://.")
            .format(link=shown), field="links")
    return link


def to_data(stored: EvidenceFile) -> EvidenceFileData:
    return EvidenceFileData(
        id=stored.pk, user_id=stored.user_id, usage_key=stored.usage_key,
        name=stored.display_name, size=stored.size, content_type=stored.content_type,
        sha256=stored.sha256, uploaded_at=stored.uploaded, attempt_id=stored.attempt_id)


def clean_text(evidence_text, evidence: EvidenceSettings, limit: int) -> str:
    """The written evidence, stripped, within the unit's bounds ("" when it may be left out)."""
    if not isinstance(evidence_text, str):
        raise InvalidEvidence(_("Send your evidence as text."), field="text")
    text = evidence_text.strip()
    if not evidence.text_enabled:
        if text:
            raise InvalidEvidence(
                _("This assessment takes no written evidence; hand in files or links."),
                field="text")
        return ""
    others = evidence.files_enabled or evidence.links_enabled
    if not text and (evidence.text_min_length > 0 or not others):
        raise InvalidEvidence(_("Write your evidence before submitting."), field="text")
    if len(text) > limit:
        raise InvalidEvidence(
            _("Your evidence is {length} characters long; the limit is {limit}. "
              "Shorten it and submit again.").format(length=len(text), limit=limit),
            field="text",
        )
    if text and len(text) < evidence.text_min_length:
        raise InvalidEvidence(
            _("Your evidence is {length} characters long; write at least {minimum}.").format(
                length=len(text), minimum=evidence.text_min_length),
            field="text",
        )
    return text


def require_some(text, links, files, evidence: EvidenceSettings) -> None:
    """Refuse an attempt that hands in nothing at all."""
    if text or links or files:
        return
    if evidence.files_enabled:
        raise InvalidEvidence(_("Hand in your evidence before submitting: write it, upload a "
                                "file or give a link."), field="files")
    raise InvalidEvidence(_("Hand in your evidence before submitting: write it or give a "
                            "link."), field="links")


def attach(files, attempt) -> None:
    """Hand the locked pending files over to the new attempt (same transaction)."""
    EvidenceFile.objects.filter(pk__in=[f.pk for f in files]).update(attempt=attempt)
    for stored in files:
        stored.attempt = attempt  # as now stored


# ---- retirement ----


def erase_for_user(user_id) -> int:
    """Delete every file the person uploaded (submitted or pending); return how many."""
    return _delete(EvidenceFile.objects.filter(user_id=user_id))


def remove_pending(user_id, usage_key) -> int:
    """Delete the learner's uploads at this unit not yet handed in (a reset); how many."""
    return _delete(EvidenceFile.objects.filter(user_id=user_id, usage_key=usage_key,
                                               attempt__isnull=True))


def _delete(files) -> int:
    """Delete the rows now and their stored contents once the transaction commits, so a
    rollback never leaves rows pointing at deleted files."""
    with transaction.atomic():
        stored = list(files.select_for_update().values_list("pk", "storage_key"))
        EvidenceFile.objects.filter(pk__in=[pk for pk, _key in stored]).delete()

        def delete_contents():
            storage = _storage()
            for _pk, key in stored:
                storage.delete(key)

        transaction.on_commit(delete_contents)
    return len(stored)
