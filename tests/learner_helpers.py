"""Shared by the learner-view and evidence-file tests: the files unit and small real files."""
import json
import struct
import zlib

from django.core.files.uploadedfile import SimpleUploadedFile

from tests.conftest import Workbench

PDF = b"%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n"


def _png():
    def chunk(kind, data):
        return (struct.pack(">I", len(data)) + kind + data
                + struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF))
    header = struct.pack(">IIBBBBB", 1, 1, 8, 0, 0, 0, 0)
    return (b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header)
            + chunk(b"IDAT", zlib.compress(b"\x00\x00")) + chunk(b"IEND", b""))


PNG = _png()
HYGIENE_LINK = "Evidence files, links and ID check: kitchen hygiene audit"
HYGIENE_ID = "credential_assessment.1"


def upload(bench, name, content):
    """Upload one file through the block's handler, as the browser's form does."""
    response = bench.client.post(f"/handler/{bench.scenario.usage_id}/upload_evidence/",
                                 {"file": SimpleUploadedFile(name, content)})
    return response.status_code, json.loads(response.content)



class UnitBench(Workbench):
    """The conftest's Workbench, on the files-and-links unit's page."""

    def page(self):
        response = self.client.get(f"/scenario/{HYGIENE_ID}/")
        assert response.status_code == 200
        return response.content.decode()
