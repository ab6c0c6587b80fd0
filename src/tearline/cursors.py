"""Opaque pagination cursors of the HTTP API and the TAXII server: the last position of a
page, sealed with AES-256-GCM.

A cursor is encrypted (it reveals nothing, not even its length beyond the id's) and
authenticated together with what it is for: the unit asking, the operation and the
query. A cursor used by another unit, for another query, or altered in any bit, is
refused as invalid input. Each cursor carries a random nonce, so two equal positions
give different cursors.
"""

from __future__ import annotations

import base64
import binascii
import json
import os

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives.ciphers.aead import AESGCM

from tearline.errors import ValidationError, tr

#: Ids are padded to this length before sealing so cursor lengths do not vary with them.
_PAD = 128


class CursorBox:
    def __init__(self, key: bytes | None = None) -> None:
        self._aead = AESGCM(key if key is not None else os.urandom(32))

    @staticmethod
    def _context(unit: str, operation: str, query: dict[str, str | None]) -> bytes:
        return json.dumps([unit, operation, query], sort_keys=True).encode("utf-8")

    def seal(self, last_id: str, unit: str, operation: str, query: dict[str, str | None]) -> str:
        nonce = os.urandom(12)
        body = last_id.encode("utf-8").ljust(_PAD, b"\x00")
        sealed = self._aead.encrypt(nonce, body, self._context(unit, operation, query))
        return base64.urlsafe_b64encode(nonce + sealed).decode("ascii").rstrip("=")

    def open(self, cursor: str, unit: str, operation: str, query: dict[str, str | None]) -> str:
        invalid = ValidationError(
            tr(
                "invalid cursor: pass the next_cursor of the previous page unchanged, with the "
                "same query")
        )
        try:
            raw = base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4))
        except (binascii.Error, ValueError):
            raise invalid from None
        if len(raw) < 12 + 16:
            raise invalid
        try:
            body = self._aead.decrypt(raw[:12], raw[12:], self._context(unit, operation, query))
        except InvalidTag:
            raise invalid from None
        return body.rstrip(b"\x00").decode("utf-8")
