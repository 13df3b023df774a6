"""Appconda's python runtime server for the open-runtimes v2 contract (Appwrite 1.3 functions).

Standard library only. One process serves one deployment:
  POST / with `x-internal-challenge: $INTERNAL_RUNTIME_KEY` and `{variables, payload, timeout}`
  -> the entrypoint's `main(req, res)` runs with req.variables / req.headers / req.payload;
  -> the answer is `{response, stdout, stderr}` with the status the code chose (500 when it raised).
Each request runs in its own thread with its own stdout/stderr buffers and its own os.environ view (the
request's variables over the server's environment), so concurrent calls never mix and a changed variable
is seen on the next call.
Env: INTERNAL_RUNTIME_KEY, INTERNAL_RUNTIME_ENTRYPOINT, INTERNAL_RUNTIME_CODE (default /usr/code),
PORT (default 3000; 0 picks a free one, printed in the ready line), HOST (default 0.0.0.0),
INTERNAL_RUNTIME_PARENT (process driver: the executor's pid; the server exits when it is gone). A virtualenv at <code>/.venv is put on sys.path when present.
"""
import glob
import importlib.util
import io
import json
import os
import sys
import threading
import time
import traceback
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

LIMIT = 1_000_000
KEY = os.environ.pop("INTERNAL_RUNTIME_KEY", "")
ENTRYPOINT = os.environ.pop("INTERNAL_RUNTIME_ENTRYPOINT", "main.py")
CODE = os.environ.pop("INTERNAL_RUNTIME_CODE", "/usr/code")
PARENT = int(os.environ.pop("INTERNAL_RUNTIME_PARENT", "0") or 0)
PORT = int(os.environ.get("PORT", "3000"))
HOST = os.environ.get("HOST", "0.0.0.0")

current = threading.local()


class Output:
    """Text kept up to LIMIT bytes; later writes are dropped."""

    def __init__(self):
        self.parts = []
        self.size = 0

    def write(self, text):
        if self.size >= LIMIT:
            return len(text)
        data = str(text).encode("utf-8")
        kept = data[: LIMIT - self.size]
        self.parts.append(kept)
        self.size += len(kept)
        return len(text)

    def value(self):
        return b"".join(self.parts).decode("utf-8", errors="ignore")


class RoutedStream(io.TextIOBase):
    """sys.stdout / sys.stderr: the current request's buffer inside a call, the real stream outside."""

    def __init__(self, name, real):
        self.name = name
        self.real = real

    def write(self, text):
        call = getattr(current, "call", None)
        if call is None:
            return self.real.write(text)
        return call[self.name].write(text)

    def flush(self):
        if getattr(current, "call", None) is None:
            self.real.flush()


class RequestEnviron(dict):
    """os.environ: the current request's variables over the server's environment."""

    def __init__(self, base):
        super().__init__(base)

    def _vars(self):
        call = getattr(current, "call", None)
        return call["variables"] if call else {}

    def __getitem__(self, name):
        overlay = self._vars()
        return overlay[name] if name in overlay else super().__getitem__(name)

    def get(self, name, default=None):
        overlay = self._vars()
        return overlay[name] if name in overlay else super().get(name, default)

    def __contains__(self, name):
        return name in self._vars() or super().__contains__(name)

    def keys(self):
        return list(dict.fromkeys(list(super().keys()) + list(self._vars().keys())))

    def __iter__(self):
        return iter(self.keys())

    def items(self):
        return [(k, self[k]) for k in self.keys()]


sys.stdout = RoutedStream("stdout", sys.stdout)
sys.stderr = RoutedStream("stderr", sys.stderr)
os.environ = RequestEnviron(os.environ)

for site in glob.glob(os.path.join(CODE, ".venv", "lib", "python*", "site-packages")):
    sys.path.insert(0, site)
sys.path.insert(0, CODE)

_main = None
_load_lock = threading.Lock()


def user_main():
    global _main
    with _load_lock:
        if _main is None:
            spec = importlib.util.spec_from_file_location("user_function", os.path.join(CODE, ENTRYPOINT))
            module = importlib.util.module_from_spec(spec)
            spec.loader.exec_module(module)
            if not callable(getattr(module, "main", None)):
                raise RuntimeError(ENTRYPOINT + " does not define main(req, res).")
            _main = module.main
    return _main


class Request:
    def __init__(self, variables, payload):
        self.variables = variables
        self.headers = {}
        self.payload = payload


class Response:
    def __init__(self, done):
        self._done = done

    def send(self, text, status=200):
        self._done(status, "" if text is None else str(text))

    def json(self, obj, status=200):
        self._done(status, json.dumps(obj))


def execute(variables, payload, timeout):
    call = {"variables": variables, "stdout": Output(), "stderr": Output()}
    answer = {}
    finished = threading.Event()

    def done(status, response):
        if not finished.is_set():
            answer.update(status=status, response=response)
            finished.set()

    def target():
        current.call = call
        try:
            user_main()(Request(variables, payload), Response(done))
        except BaseException:
            call["stderr"].write(traceback.format_exc())
            done(500, "")

    worker = threading.Thread(target=target, daemon=True)
    worker.start()
    if not finished.wait(timeout):
        call["stderr"].write("Execution timed out after %s s.\n" % timeout)
        done(500, "")
    response = answer["response"].encode("utf-8")[:LIMIT].decode("utf-8", errors="ignore")
    return answer["status"], {"response": response, "stdout": call["stdout"].value(), "stderr": call["stderr"].value()}


class Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"

    def log_message(self, *args):
        pass

    def reply(self, status, body):
        data = json.dumps(body).encode("utf-8")
        self.send_response(status)
        self.send_header("content-type", "application/json")
        self.send_header("content-length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)

    def authorized(self):
        return KEY != "" and self.headers.get("x-internal-challenge") == KEY

    def do_GET(self):
        if not self.authorized():
            return self.reply(401, {"code": 401, "message": "Unauthorized"})
        self.reply(200, {"status": "pass"})

    def do_POST(self):
        length = int(self.headers.get("content-length") or 0)
        raw = self.rfile.read(length) if length else b""
        if not self.authorized():
            return self.reply(401, {"code": 401, "message": "Unauthorized"})
        try:
            body = json.loads(raw or b"{}")
        except ValueError:
            return self.reply(400, {"code": 400, "message": "The body must be JSON."})
        variables = body.get("variables") if isinstance(body.get("variables"), dict) else {}
        payload = body.get("payload") if isinstance(body.get("payload"), str) else ""
        timeout = body.get("timeout") if isinstance(body.get("timeout"), (int, float)) and body.get("timeout") > 0 else 15
        status, answer = execute(variables, payload, timeout)
        self.reply(status, answer)


def exit_when_orphaned():
    """Started by the process driver: exit when the executor that started us is gone."""
    while True:
        time.sleep(1)
        if os.getppid() != PARENT:
            os._exit(0)


if __name__ == "__main__":
    if PARENT > 0:
        threading.Thread(target=exit_when_orphaned, daemon=True).start()
    server = ThreadingHTTPServer((HOST, PORT), Handler)
    server.daemon_threads = True
    sys.__stdout__.write("runtime listening on %s:%d\n" % (HOST, server.server_address[1]))
    sys.__stdout__.flush()
    server.serve_forever()
