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
value stays empty (only its absence shows). Anything else without a prefix is plain text
from before encryption (a central store's old rows, a restore's copy of them).

Two recipients, `fd2.` (a desk that knows the district's public key, issue 22 item 2): one
random AES-256-GCM content key per `Sealer`, wrapped for each recipient (the desk and head
office's district key) under the HPKE-style key of one ephemeral X25519 exchange with that
recipient, each wrap led by a 4-byte key id (the start of SHA-256 of the recipient's public
key) so an opener picks its own. Stored: `fd2.` + base64(ephemeral public key | count |
(key id | wrapped content key) per recipient | nonce | ciphertext and tag); the AAD rule is
fd1's. The wraps are the same for every value of one Sealer, so an opener unwraps once.

Which (table, column) pairs are stored sealed: db/sealed_columns.py.

Here in db/ because the migration that encrypts existing rows uses it too, and db/ imports
nothing of frontdesk.
"""

from __future__ import annotations

import base64
import hashlib
import os
from dataclasses import dataclass, field

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.asymmetric.x25519 import X25519PrivateKey, X25519PublicKey
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from cryptography.hazmat.primitives.kdf.hkdf import HKDF
from cryptography.hazmat.primitives.kdf.scrypt import Scrypt

PREFIX = "fd1."
PREFIX2 = "fd2."
PREFIXES = (PREFIX, PREFIX2)
_INFO = b"frontdesk sealed value v1"
_INFO2 = b"frontdesk sealed value v2"
_KID = 4  # bytes of a key id
_WRAP = _KID + 32 + 16  # key id, content key, tag
_ZERO_NONCE = bytes(12)  # each wrapping key is derived for one ephemeral key: used once


class Unreadable(Exception):
    """A sealed value that this key cannot open (another desk's key, or tampered with)."""


def b64(data: bytes) -> str:
    return base64.b64encode(data).decode("ascii")


def unb64(text: str) -> bytes:
    return base64.b64decode(text.encode("ascii"))


def is_sealed(stored: str) -> bool:
    return stored.startswith(PREFIXES)


def key_id(public_key: str) -> bytes:
    """The short id of a recipient's public key, as it leads that recipient's wrap."""
    return hashlib.sha256(unb64(public_key)).digest()[:_KID]


def sealed_for(stored: str, public_key: str) -> bool:
    """Whether an `fd2.` value carries a wrap for this public key."""
    if not stored.startswith(PREFIX2):
        return False
    try:
        raw = unb64(stored[len(PREFIX2) :])
    except ValueError:
        return False
    kid = key_id(public_key)
    return any(kid == wrap_[:_KID] for wrap_ in _wraps(raw))


def _wraps(raw: bytes) -> list[bytes]:
    count = raw[32] if len(raw) > 32 else 0
    return [raw[33 + i * _WRAP : 33 + (i + 1) * _WRAP] for i in range(count)]


def new_key_pair() -> tuple[bytes, str]:
    """A desk's key pair: (raw private key, base64 public key)."""
    private = X25519PrivateKey.generate()
    public = private.public_key().public_bytes_raw()
    return _private_bytes(private), b64(public)


def public_of(private: bytes) -> str:
    key = X25519PrivateKey.from_private_bytes(private).public_key()
    return b64(key.public_bytes_raw())


def _private_bytes(key: X25519PrivateKey) -> bytes:
    return key.private_bytes_raw()


def _derive(shared: bytes, ephemeral: bytes, recipient: bytes) -> AESGCM:
    hkdf = HKDF(algorithm=hashes.SHA256(), length=32, salt=None, info=_INFO + ephemeral + recipient)
    return AESGCM(hkdf.derive(shared))


def aad(table: str, column: str, row_id: str) -> bytes:
    """Where a value belongs; `row_id` as the desk stores it (32 hex digits)."""
    return f"{table}/{column}/{row_id}".encode()


def _wrapping_key(shared: bytes, ephemeral: bytes, recipient: bytes) -> AESGCM:
    hkdf = HKDF(
        algorithm=hashes.SHA256(), length=32, salt=None, info=_INFO2 + ephemeral + recipient
    )
    return AESGCM(hkdf.derive(shared))


class Sealer:
    """Seals values with one ephemeral key (no secret needed): to one public key (`fd1.`),
    or with `also` (the district's public key) to both (`fd2.`)."""

    def __init__(self, public_key: str, also: str = "") -> None:
        ephemeral = X25519PrivateKey.generate()
        head = ephemeral.public_key().public_bytes_raw()
        if not also:
            recipient = unb64(public_key)
            shared = ephemeral.exchange(X25519PublicKey.from_public_bytes(recipient))
            self._prefix, self._head = PREFIX, head
            self._aead = _derive(shared, head, recipient)
            return
        content = AESGCM.generate_key(bit_length=256)
        wraps = b""
        for key in (public_key, also):
            recipient = unb64(key)
            shared = ephemeral.exchange(X25519PublicKey.from_public_bytes(recipient))
            kek = _wrapping_key(shared, head, recipient)
            wraps += key_id(key) + kek.encrypt(_ZERO_NONCE, content, head)
        self._prefix, self._head = PREFIX2, head + bytes([2]) + wraps
        self._aead = AESGCM(content)

    def seal(self, value: str, where: bytes) -> str:
        if not value:
            return ""
        nonce = os.urandom(12)
        body = self._aead.encrypt(nonce, value.encode("utf-8"), where)
        return self._prefix + b64(self._head + nonce + body)


@dataclass
class Opener:
    """Opens values sealed to the desk's key; holds the private key (keep it short-lived)."""

    private: bytes
    _keys: dict[bytes, AESGCM] = field(default_factory=dict, repr=False)

    def __post_init__(self) -> None:
        self._key = X25519PrivateKey.from_private_bytes(self.private)
        self.public = public_of(self.private)
        self._recipient = unb64(self.public)
        self._kid = key_id(self.public)

    def open(self, stored: str, where: bytes) -> str:
        """The plain value; plain text stored before encryption comes back as it is."""
        if not is_sealed(stored):
            return stored
        try:
            raw = unb64(stored[len(PREFIX) :])
        except ValueError as exc:
            raise Unreadable from exc
        if stored.startswith(PREFIX2):
            return self._open2(raw, where)
        head, nonce, body = raw[:32], raw[32:44], raw[44:]
        aead = self._keys.get(head)
        if aead is None:
            try:
                shared = self._key.exchange(X25519PublicKey.from_public_bytes(head))
            except ValueError as exc:
                raise Unreadable from exc
            aead = self._keys[head] = _derive(shared, head, self._recipient)
        return _decrypt(aead, nonce, body, where)

    def _open2(self, raw: bytes, where: bytes) -> str:
        wraps = _wraps(raw)
        cut = 33 + len(wraps) * _WRAP
        head, nonce, body = raw[:cut], raw[cut : cut + 12], raw[cut + 12 :]
        aead = self._keys.get(head)
        if aead is None:
            mine = [w[_KID:] for w in wraps if w[:_KID] == self._kid]
            if not mine:
                raise Unreadable
            try:
                shared = self._key.exchange(X25519PublicKey.from_public_bytes(head[:32]))
                kek = _wrapping_key(shared, head[:32], self._recipient)
                content = kek.decrypt(_ZERO_NONCE, mine[0], head[:32])
            except (ValueError, InvalidTag) as exc:
                raise Unreadable from exc
            aead = self._keys[head] = AESGCM(content)
        return _decrypt(aead, nonce, body, where)


def _decrypt(aead: AESGCM, nonce: bytes, body: bytes, where: bytes) -> str:
    try:
        return aead.decrypt(nonce, body, where).decode("utf-8")
    except InvalidTag as exc:
        raise Unreadable from exc


# --- wrapping a secret with a PIN (a key slot) -------------------------------------------------

# scrypt for a slot: as the PIN hash's cost (frontdesk/services/auth.py), ~50 ms.
SLOT_N, SLOT_R, SLOT_P = 2**14, 8, 1


def wrap(secret: bytes, pin: str, where: bytes, n: int | None = None) -> str:
    """`scrypt$N$r$p$salt$nonce+ciphertext`: AES-GCM under a key derived from the PIN (or
    a backup's passphrase, with a higher `n`). The cost is read at each call, not bound at
    import, so the tests can lower it; opening reads it from the stored slot."""
    n = SLOT_N if n is None else n
    salt, nonce = os.urandom(16), os.urandom(12)
    body = AESGCM(_kek(pin, salt, n, SLOT_R, SLOT_P)).encrypt(nonce, secret, where)
    return f"scrypt${n}${SLOT_R}${SLOT_P}${b64(salt)}${b64(nonce + body)}"


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
    return scrypt(pin.encode(), salt, n, r, p, 32)  # any cost: a backup's is 4x a PIN's


SCRYPT_MEMORY_LIMIT = 32 * 1024 * 1024  # OpenSSL's default limit, as hashlib.scrypt had it


def scrypt(
    secret: bytes, salt: bytes, n: int, r: int, p: int, length: int, memory_limit: int = 0
) -> bytes:
    """scrypt (RFC 7914) from cryptography's own OpenSSL, not `hashlib.scrypt`.

    The same parameters give the same bytes as `hashlib.scrypt` (tests/test_auth.py checks
    hashes stored by it still verify). hashlib takes scrypt from Python's `_hashlib`, which
    maps the system's libcrypto into the process: ~4.7 MiB of the desk TUI's resident memory
    that cryptography, loaded anyway for AES-GCM, makes redundant (screens/runtime.py
    `leave_out_system_openssl`; bench/README.md, `search.py`, third round).

    `memory_limit` (bytes, 0 for none) refuses a cost whose blocks would need more, as
    OpenSSL's `maxmem` did for hashlib: 128·r·(n + p + 2) bytes. A cost refused raises
    ValueError, as hashlib's did (cryptography says MemoryError where OpenSSL refuses one).
    """
    if memory_limit and 128 * r * (n + p + 2) > memory_limit:
        raise ValueError(f"scrypt cost n={n} r={r} p={p} is over {memory_limit} bytes")
    try:
        return Scrypt(salt=salt, length=length, n=n, r=r, p=p).derive(secret)
    except MemoryError as exc:  # e.g. n >= 2**(16·r), which RFC 7914 does not allow
        raise ValueError(f"scrypt cost n={n} r={r} p={p} refused") from exc


def seal_bytes(secret: bytes, public_key: str, where: bytes) -> str:
    """A secret (the desk's private key) sealed to a staff member's public key."""
    return Sealer(public_key).seal(b64(secret), where)


def open_bytes(stored: str, private: bytes, where: bytes) -> bytes:
    return unb64(Opener(private).open(stored, where))


@dataclass(frozen=True)
class SlotParts:
    """A key slot as stored (a desk's `key_slots`, head office's `district_key_slots`): the
    holder's own public key, its private half wrapped by the PIN, and the shared private
    key sealed to that public half ("" while the slot waits for it)."""

    public_key: str
    wrapped_private: str
    granted: str


def new_slot_parts(
    owner: bytes, pin: str, shared: bytes | None, slot_aad: bytes, grant_aad: bytes
) -> SlotParts:
    """A new slot for `owner` (an account id's bytes) with `pin`, granted `shared` if given."""
    own, own_public = new_key_pair()
    return SlotParts(
        public_key=own_public,
        wrapped_private=wrap(own, pin, slot_aad + owner),
        granted=seal_bytes(shared, own_public, grant_aad) if shared else "",
    )
