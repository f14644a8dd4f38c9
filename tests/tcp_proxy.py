"""A TCP proxy that the tests cut at chosen moments, to drop the link to PostgreSQL.

`cut()` closes every connection at once (the client sees a broken link on its next read or
write). `cut_after(marker)` lets the next client packet containing `marker` through to the
server and cuts before the reply comes back: with b"COMMIT" the server commits and the
desk never hears of it.
"""

from __future__ import annotations

import contextlib
import selectors
import socket
import threading


class TcpProxy:
    def __init__(self, target_host: str, target_port: int) -> None:
        self.target = (target_host, target_port)
        self._listener = socket.create_server(("127.0.0.1", 0))
        self.port = self._listener.getsockname()[1]
        self._pairs: list[tuple[socket.socket, socket.socket]] = []
        self._lock = threading.Lock()
        self._marker: bytes | None = None
        self.cuts = 0
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._accept, daemon=True)
        self._thread.start()

    def cut(self) -> None:
        with self._lock:
            pairs, self._pairs = self._pairs, []
            self.cuts += 1
        for client, server in pairs:
            for sock in (client, server):
                with contextlib.suppress(OSError):
                    sock.shutdown(socket.SHUT_RDWR)
                sock.close()

    def cut_after(self, marker: bytes) -> None:
        self._marker = marker

    def close(self) -> None:
        self._stop.set()
        self.cut()
        self._listener.close()

    def _accept(self) -> None:
        while not self._stop.is_set():
            try:
                client, _ = self._listener.accept()
            except OSError:
                return
            try:
                server = socket.create_connection(self.target)
            except OSError:
                client.close()
                continue
            with self._lock:
                self._pairs.append((client, server))
            threading.Thread(target=self._pump, args=(client, server), daemon=True).start()

    def _pump(self, client: socket.socket, server: socket.socket) -> None:
        sel = selectors.DefaultSelector()
        sel.register(client, selectors.EVENT_READ, server)
        sel.register(server, selectors.EVENT_READ, client)
        try:
            while True:
                for key, _ in sel.select(timeout=0.5):
                    source, sink = key.fileobj, key.data
                    data = source.recv(65536)
                    if not data:
                        return
                    sink.sendall(data)
                    if source is client and self._marker and self._marker in data:
                        self._marker = None
                        self.cut()
                        return
                if self._stop.is_set():
                    return
        except (OSError, ValueError):
            return
        finally:
            sel.close()
            for sock in (client, server):
                with contextlib.suppress(OSError):
                    sock.close()
