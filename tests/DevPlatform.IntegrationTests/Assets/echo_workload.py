"""A minimal HTTP workload for the environment tests (standard library only). With --busy it also keeps
one core busy, as a headless kernel crunching numbers would.

Serves under $DEVPLATFORM_BASE_URL on 127.0.0.1:$PORT:
  GET  <base>ws        WebSocket echo (text frames)
  any  other path      200, JSON with the method, path (with query), headers, the body length and the
                       GITHUB_* variables the environment was given, and its hub token (so tests can present it)
"""
import base64, hashlib, json, os, socket, struct, sys
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

BASE = os.environ.get("DEVPLATFORM_BASE_URL", "/")
GUID = "258EAFA5-E914-47DA-95CA-C5AB0DC85B11"


class Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"

    def log_message(self, *args):
        sys.stdout.write("%s %s\n" % (self.command, self.path))
        sys.stdout.flush()

    def do_GET(self):
        if self.path == BASE + "ws" and self.headers.get("Upgrade", "").lower() == "websocket":
            return self.websocket()
        self.echo()

    do_POST = do_PUT = do_DELETE = lambda self: self.echo()

    def echo(self):
        length = int(self.headers.get("Content-Length") or 0)
        body = self.rfile.read(length) if length else b""
        payload = json.dumps({"method": self.command, "path": self.path, "headers": dict(self.headers.items()), "bodyLength": len(body),
                              "github": {k: v for k, v in os.environ.items() if k.startswith("GITHUB_")},
                              "hubToken": os.environ.get("JUPYTERHUB_API_TOKEN")}).encode()
        self.send_response(200)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(payload)))
        self.end_headers()
        self.wfile.write(payload)

    def websocket(self):
        accept = base64.b64encode(hashlib.sha1((self.headers["Sec-WebSocket-Key"] + GUID).encode()).digest()).decode()
        self.send_response(101)
        self.send_header("Upgrade", "websocket")
        self.send_header("Connection", "Upgrade")
        self.send_header("Sec-WebSocket-Accept", accept)
        self.end_headers()
        self.wfile.flush()
        while True:
            head = self.rfile.read(2)
            if len(head) < 2:
                return
            opcode, length = head[0] & 0x0F, head[1] & 0x7F
            if length == 126:
                length = struct.unpack(">H", self.rfile.read(2))[0]
            elif length == 127:
                length = struct.unpack(">Q", self.rfile.read(8))[0]
            mask = self.rfile.read(4)
            data = bytes(b ^ mask[i % 4] for i, b in enumerate(self.rfile.read(length)))
            if opcode == 8:
                self.wfile.write(b"\x88\x00")
                return
            if opcode == 1:
                frame = bytes([0x81]) + (bytes([len(data)]) if len(data) < 126 else bytes([126]) + struct.pack(">H", len(data))) + data
                self.wfile.write(frame)
                self.wfile.flush()


if "--busy" in sys.argv:
    import threading

    def spin():
        while True:
            pass

    threading.Thread(target=spin, daemon=True).start()
ThreadingHTTPServer(("127.0.0.1", int(os.environ["PORT"])), Handler).serve_forever()
