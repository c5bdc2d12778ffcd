"""A TCP relay between nova-api and Placement, so the path can be cut and restored.

    python -m embedded_cloud.runtime.relay LISTEN_PORT TARGET_PORT

Cutting the path stops this process (nova-api then gets "connection
refused", as when Placement is unreachable); restoring it starts it again
on the same port. Nothing else goes through it.
"""
from __future__ import annotations

import asyncio
import sys

HOST = "127.0.0.1"


async def _pipe(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
    try:
        while data := await reader.read(65536):
            writer.write(data)
            await writer.drain()
    except (ConnectionError, asyncio.CancelledError):
        pass
    finally:
        writer.close()


async def _serve(listen: int, target: int) -> None:
    async def handle(client_reader, client_writer):
        try:
            upstream_reader, upstream_writer = await asyncio.open_connection(HOST, target)
        except OSError:
            client_writer.close()
            return
        await asyncio.gather(_pipe(client_reader, upstream_writer),
                             _pipe(upstream_reader, client_writer))

    server = await asyncio.start_server(handle, HOST, listen, reuse_address=True)
    async with server:
        await server.serve_forever()


def main() -> None:
    listen, target = (int(port) for port in sys.argv[1:3])
    asyncio.run(_serve(listen, target))


if __name__ == "__main__":
    main()
