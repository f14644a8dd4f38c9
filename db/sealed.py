"""The stored form of personal values (full ID number, phone): sealed to the desk.

Each desk has an X25519 key pair made with its database. A value is sealed to the desk's
PUBLIC key, so writing needs no secret (an import, a restore, the migration, the demo); only
reading it back needs the private key, which the staff's PIN slots wrap
(frontdesk/services/personal_keys.py).

The construction is the base mode of HPKE (RFC 9180) in its usual suite, built from the
`cryptography` package's primitives: an ephemeral X25519 key, HKDF-SHA256 of the shared
secret into an AES-256-GCM key, a random 96-bit nonce per value. The associated data names
the table, column and row, so a value cannot be moved to another row or field. One
ephemeral key serves one `Sealer` (a save, or an import): sealing costs one AES-GCM call
per value, and its private half never leaves memory.

Stored text: `fd1.` + base64(ephemeral public key | nonce | ciphertext and tag). An empty
value stays empty (only its absence shows). Anything else without the prefix is plain text
from before encryption (a central store's old rows, a restore's copy of them).

Here in db/ because the migration that encrypts existing rows uses it too, and db/ imports
nothing of frontdesk.
"""

from __future__ import annotations

import base64
import hashlib
import os
from dataclasses import dataclass, field

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric.x25519 import X25519PrivateKey, X25519PublicKey
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from cryptography.hazmat.primitives.kdf.hkdf import HKDF

PREFIX = "fd1."
_INFO = b"frontdesk sealed value v1"
_RAW = serialization.Encoding.Raw


class Unreadable(Exception):
    """A sealed value that this key cannot open (another desk's key, or tampered with)."""


def b64(data: bytes) -> str:
    return base64.b64encode(data).decode("ascii")


def unb64(text: str) -> bytes:
    return base64.b64decode(text.encode("ascii"))


def is_sealed(stored: str) -> bool:
    return stored.startswith(PREFIX)


def new_key_pair() -> tuple[bytes, str]:
    """A desk's key pair: (raw private key, base64 public key)."""
    private = X25519PrivateKey.generate()
    public = private.public_key().public_bytes(_RAW, serialization.PublicFormat.Raw)
    return _private_bytes(private), b64(public)


def public_of(private: bytes) -> str:
    key = X25519PrivateKey.from_private_bytes(private).public_key()
    return b64(key.public_bytes(_RAW, serialization.PublicFormat.Raw))


def _private_bytes(key: X25519PrivateKey) -> bytes:
    return key.private_bytes(_RAW, serialization.PrivateFormat.Raw, serialization.NoEncryption())


def _derive(shared: bytes, ephemeral: bytes, recipient: bytes) -> AESGCM:
    hkdf = HKDF(algorithm=hashes.SHA256(), length=32, salt=None, info=_INFO + ephemeral + recipient)
    return AESGCM(hkdf.derive(shared))


def aad(table: str, column: str, row_id: str) -> bytes:
    """Where a value belongs; `row_id` as the desk stores it (32 hex digits)."""
    return f"{table}/{column}/{row_id}".encode()


class Sealer:
    """Seals values to one public key with one ephemeral key (no secret needed)."""

    def __init__(self, public_key: str) -> None:
        recipient = unb64(public_key)
        ephemeral = X25519PrivateKey.generate()
        shared = ephemeral.exchange(X25519PublicKey.from_public_bytes(recipient))
        self._head = ephemeral.public_key().public_bytes(_RAW, serialization.PublicFormat.Raw)
        self._aead = _derive(shared, self._head, recipient)

    def seal(self, value: str, where: bytes) -> str:
        if not value:
            return ""
        nonce = os.urandom(12)
        body = self._aead.encrypt(nonce, value.encode("utf-8"), where)
        return PREFIX + b64(self._head + nonce + body)


@dataclass
class Opener:
    """Opens values sealed to the desk's key; holds the private key (keep it short-lived)."""

    private: bytes
    _keys: dict[bytes, AESGCM] = field(default_factory=dict, repr=False)

    def __post_init__(self) -> None:
        self._key = X25519PrivateKey.from_private_bytes(self.private)
        self._recipient = unb64(public_of(self.private))

    def open(self, stored: str, where: bytes) -> str:
        """The plain value; plain text stored before encryption comes back as it is."""
        if not is_sealed(stored):
            return stored
        try:
            raw = unb64(stored[len(PREFIX) :])
        except ValueError as exc:
            raise Unreadable from exc
        head, nonce, body = raw[:32], raw[32:44], raw[44:]
        aead = self._keys.get(head)
        if aead is None:
            try:
                shared = self._key.exchange(X25519PublicKey.from_public_bytes(head))
            except ValueError as exc:
                raise Unreadable from exc
            aead = self._keys[head] = _derive(shared, head, self._recipient)
        try:
            return aead.decrypt(nonce, body, where).decode("utf-8")
        except InvalidTag as exc:
            raise Unreadable from exc


# --- wrapping a secret with a PIN (a key slot) -------------------------------------------------

# scrypt for a slot: as the PIN hash's cost (frontdesk/services/auth.py), ~50 ms.
SLOT_N, SLOT_R, SLOT_P = 2**14, 8, 1


def wrap(secret: bytes, pin: str, where: bytes) -> str:
    """`scrypt$N$r$p$salt$nonce+ciphertext`: AES-GCM under a key derived from the PIN."""
    salt, nonce = os.urandom(16), os.urandom(12)
    body = AESGCM(_kek(pin, salt, SLOT_N, SLOT_R, SLOT_P)).encrypt(nonce, secret, where)
    return f"scrypt${SLOT_N}${SLOT_R}${SLOT_P}${b64(salt)}${b64(nonce + body)}"


def unwrap(stored: str, pin: str, where: bytes) -> bytes:
    """The wrapped secret; Unreadable for a wrong PIN (the tag does not verify)."""
    try:
        scheme, n, r, p, salt, blob = stored.split("$")
        raw = unb64(blob)
    except ValueError as exc:
        raise Unreadable from exc
    if scheme != "scrypt":
        raise Unreadable
    key = _kek(pin, unb64(salt), int(n), int(r), int(p))
    try:
        return AESGCM(key).decrypt(raw[:12], raw[12:], where)
    except InvalidTag as exc:
        raise Unreadable from exc


def _kek(pin: str, salt: bytes, n: int, r: int, p: int) -> bytes:
    return hashlib.scrypt(pin.encode(), salt=salt, n=n, r=r, p=p, dklen=32)


def seal_bytes(secret: bytes, public_key: str, where: bytes) -> str:
    """A secret (the desk's private key) sealed to a staff member's public key."""
    return Sealer(public_key).seal(b64(secret), where)


def open_bytes(stored: str, private: bytes, where: bytes) -> bytes:
    return unb64(Opener(private).open(stored, where))
