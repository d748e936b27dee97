#!/usr/bin/env python3
"""A loopback TCP relay that records an IMAP conversation byte for byte.

usage: imap-capture-proxy.py LISTEN_PORT TARGET_HOST TARGET_PORT LOG_FILE

Every chunk is written to LOG_FILE as one line: "C" (client to server) or "S" (server to client), a space, and
the chunk as a Python bytes literal, so literals, CRLF and 8-bit octets survive exactly. One connection at a
time is enough for a mail client; later connections are recorded after a "--- connection N" line.
"""
import socket
import sys
import threading

listen_port, host, port, log_path = int(sys.argv[1]), sys.argv[2], int(sys.argv[3]), sys.argv[4]
lock = threading.Lock()
log = open(log_path, "w", buffering=1)


def pump(source, sink, direction):
    try:
        while True:
            data = source.recv(65536)
            if not data:
                break
            with lock:
                log.write(f"{direction} {data!r}\n")
            sink.sendall(data)
    except OSError:
        pass
    finally:
        try:
            sink.shutdown(socket.SHUT_WR)
        except OSError:
            pass


server = socket.socket()
server.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
server.bind(("127.0.0.1", listen_port))
server.listen(8)
count = 0
while True:
    client, _ = server.accept()
    count += 1
    with lock:
        log.write(f"--- connection {count}\n")
    upstream = socket.create_connection((host, port))
    threading.Thread(target=pump, args=(client, upstream, "C"), daemon=True).start()
    threading.Thread(target=pump, args=(upstream, client, "S"), daemon=True).start()
