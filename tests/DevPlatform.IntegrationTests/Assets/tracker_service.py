"""A small experiment tracker for the shared-service tests (standard library only), playing MLflow's role: runs are
kept in $TRACKER_DATA/runs.jsonl, so they survive restarts. Serves on 127.0.0.1:$PORT at / (the proxy strips
/services/{name}).
  GET  /api/runs        the runs, as a JSON list
  POST /api/runs        stores the JSON body as a run
  GET  /whoami          the Authorization, X-Forwarded-* and X-DevPlatform-* headers it was given
  GET  /hub-settings    the JUPYTERHUB_* variables the hub gave it (the token masked)
"""
import json, os
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

DATA = os.path.join(os.environ["TRACKER_DATA"], "runs.jsonl")


class Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"

    def log_message(self, *args):
        print("%s %s" % (self.command, self.path), flush=True)

    def reply(self, status, payload):
        body = json.dumps(payload).encode()
        self.send_response(status)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def do_GET(self):
        if self.path == "/api/runs":
            runs = [json.loads(line) for line in open(DATA)] if os.path.exists(DATA) else []
            return self.reply(200, runs)
        if self.path == "/hub-settings":
            return self.reply(200, {k: ("(set)" if k == "JUPYTERHUB_API_TOKEN" else v) for k, v in os.environ.items() if k.startswith("JUPYTERHUB_")})
        if self.path == "/whoami":
            return self.reply(200, {k: v for k, v in self.headers.items() if k.lower().startswith(("authorization", "x-forwarded", "x-devplatform"))})
        self.reply(404, {"error": "no such path: " + self.path})

    def body(self):
        if self.headers.get("Transfer-Encoding", "").lower() != "chunked":
            return self.rfile.read(int(self.headers.get("Content-Length", "0")))
        data = b""
        while True:
            size = int(self.rfile.readline().split(b";")[0], 16)
            if size == 0:
                self.rfile.readline()
                return data
            data += self.rfile.read(size)
            self.rfile.readline()

    def do_POST(self):
        if self.path != "/api/runs":
            return self.reply(404, {"error": "no such path"})
        run = json.loads(self.body())
        with open(DATA, "a") as f:
            f.write(json.dumps(run) + "\n")
        self.reply(201, run)


ThreadingHTTPServer(("127.0.0.1", int(os.environ["PORT"])), Handler).serve_forever()
