#!/usr/bin/env python3
"""A TCP proxy that adds a fixed delay before each request reaches the server: the network
latency of a real agency site, in front of nginx on 127.0.0.1 (bench/run.sh --latency MS).

    bench/delay_proxy.py LISTEN_PORT TARGET_PORT DELAY_MS

Each chunk the client sends (one HTTP request, since none of the crawlers pipeline) waits
DELAY_MS before it is forwarded; responses flow back at once. Keep-alive is preserved.
"""
import asyncio
import sys


async def pipe(reader, writer, delay):
    try:
        while chunk := await reader.read(65536):
            if delay:
                await asyncio.sleep(delay)
            writer.write(chunk)
            await writer.drain()
    except (ConnectionError, asyncio.CancelledError):
        pass
    finally:
        writer.close()


async def main(listen_port, target_port, delay):
    async def handle(client_reader, client_writer):
        try:
            server_reader, server_writer = await asyncio.open_connection("127.0.0.1", target_port)
        except ConnectionError:
            client_writer.close()
            return
        await asyncio.gather(pipe(client_reader, server_writer, delay), pipe(server_reader, client_writer, 0))

    server = await asyncio.start_server(handle, "127.0.0.1", listen_port, backlog=1024)
    async with server:
        await server.serve_forever()


if __name__ == "__main__":
    asyncio.run(main(int(sys.argv[1]), int(sys.argv[2]), int(sys.argv[3]) / 1000))
