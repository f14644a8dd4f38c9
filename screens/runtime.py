"""Process-wide settings for a long-running desk session."""

from __future__ import annotations

import ctypes
import gc
import sys

# glibc's mallopt() parameter numbers, the threshold's documented default value, and the
# arenas a desk keeps: the event loop's (the main arena) and one that every worker shares.
M_MMAP_THRESHOLD = -3
M_ARENA_MAX = -8
MMAP_THRESHOLD_BYTES = 128 * 1024
ARENAS = 2
# Python's own bindings to the system's OpenSSL (libssl, libcrypto), which a TUI does without.
PYTHON_OPENSSL_MODULES = ("ssl", "_ssl", "_hashlib")


def leave_out_system_openssl() -> None:
    """Keep the system's libssl and libcrypto out of a TUI process (call before asyncio loads).

    asyncio imports `ssl` (for TLS it offers but a desk never asks of it), and `hashlib`
    imports `_hashlib`; each maps the system's OpenSSL, ~4.7 MiB of resident memory. A TUI
    has it twice over otherwise: cryptography's Rust extension carries its own OpenSSL, which
    the desk loads anyway (AES-GCM, X25519) and now takes scrypt from too (db/sealed.py
    `scrypt`). A None entry in sys.modules makes an import of the name raise ImportError,
    which asyncio and hashlib meet with `try`: asyncio goes without TLS, and hashlib and hmac
    take SHA-256 and the rest from CPython's builtin modules. psycopg is unaffected: its
    libpq brings and uses an OpenSSL of its own, not Python's `ssl` (its ctypes wrapper,
    used only when neither its binary nor its C build is installed, needs `ssl` and would not
    import). A name imported already is left as it is.

    Only for the TUI processes (screens/start.py); not for the command line's other
    commands, nor for code that imports the screens (the tests).
    """
    for name in PYTHON_OPENSSL_MODULES:
        sys.modules.setdefault(name, None)  # type: ignore[arg-type]


def _mallopt(param: int, value: int) -> None:
    """glibc's mallopt(); a no-op where there is none."""
    if not sys.platform.startswith("linux"):
        return
    try:
        mallopt = ctypes.CDLL(None).mallopt
    except (OSError, AttributeError):
        return
    mallopt.argtypes = [ctypes.c_int, ctypes.c_int]
    mallopt.restype = ctypes.c_int
    mallopt(param, value)


def few_malloc_arenas() -> None:
    """Let every thread worker share one malloc arena (call before any thread starts).

    glibc gives a thread that meets a locked arena an arena of its own, up to 8 per core,
    and keeps each one's free pages: the sign-in, the desk's opening, each search and sync
    run in short-lived thread workers, so a session gathered several, 1.1 MiB of the TUI's
    resident memory (bench/README.md, "What the TUI's memory is made of"). The GIL lets one
    thread run Python at a time, so workers rarely wait for the shared arena's lock.
    """
    _mallopt(M_ARENA_MAX, ARENAS)


def give_back_large_blocks() -> None:
    """Keep glibc's mmap threshold at its default so that large blocks go back to the system.

    Signing in runs scrypt twice (the PIN's hash, then the PIN's key slot), each over a
    16 MiB block in a thread worker. glibc serves a block that large with mmap and unmaps it
    when freed, but then raises its threshold to the freed size ("dynamic mmap threshold"),
    so the second scrypt's block came from the worker's malloc arena and stayed resident for
    the rest of the session: 16 MiB of the TUI's ~116 (bench/README.md, "What the TUI's
    memory is made of"); malloc_trim() did not give it back, and each new worker thread's
    arena could keep another. Setting the threshold explicitly turns the adjustment off; the
    price is a fresh mapping per scrypt (~12 ms of CPU more per sign-in, measured there).
    No-op where there is no glibc mallopt.
    """
    _mallopt(M_MMAP_THRESHOLD, MMAP_THRESHOLD_BYTES)


def settle_after_startup() -> None:
    """Take everything loaded so far out of the cyclic garbage collector's rounds.

    Modules, table metadata and compiled queries live as long as the desk runs; left in the
    collector's oldest generation, each full collection walks them all (~65 ms measured),
    which stalls whatever runs then: a keystroke, a search, a close-out. (gc.freeze, as large
    Python services do after start-up.)
    """
    gc.collect()
    gc.freeze()
