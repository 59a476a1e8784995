"""A local OpenAI-compatible test server (stdlib only, real HTTP).

Serves ``/v1/chat/completions`` (JSON and SSE streaming, ``tools``/``tool_calls``,
``response_format``), ``/v1/models`` and ``/v1/embeddings``.  Answers come from a script
(a queue of :class:`Reply`) and then from a handler function ``(request_body, server) ->
Reply``, so tests can play hostile endpoints: invalid JSON, fenced JSON, invented quotes,
wrong numbers, refusals, 429s, 5xx, slow answers (timeouts) and injected instructions.

It also plays the habits of real local servers (constructor arguments):

* ``rejects={"json_schema": 500}``: a structured-output mode answered with that status
  (llama-cpp-python answers ``json_schema`` with 500); ``supports`` gives 400 as before;
* ``serial=True``: one request at a time, the others wait (llama-cpp-python);
* ``endless=N``: without ``max_tokens`` the model never stops by itself: it generates
  ``N`` tokens (the test's bound) and ends with ``finish_reason="length"``; streamed, it
  goes on until the client hangs up or ``N`` is reached.  With ``max_tokens`` every
  answer is cut there (one token = one character here) with ``finish_reason="length"``;
* ``token_delay``: seconds per generated token (a slow CPU server);
* ``answer_delay``: seconds before each real answer while probes answer at once (a CPU
  server reading a long review prompt for minutes);
* ``api_key="sk-right"``: any other key gets 401;
* ``context=N``: ``/v1/models`` tells ``max_model_len`` (as vLLM does) and a prompt
  plus ``max_tokens`` longer than N tokens gets 400 with the counts, worded as vLLM and
  llama-cpp-python word it; ``tokens_per_char`` (default 1) is how many tokens a prompt
  character costs (a small model's tokenizer spends about two on a Chinese character);
  ``tell_context=False`` keeps the size out of ``/v1/models`` (llama-cpp-python);
* truncated JSON and echoed prompt examples are scripted replies (``Reply``);
* :func:`refused_url` is an address where nothing listens (connection refused).

Capability probes (requests whose text holds :data:`PROBE_MARK`) are answered by the
server itself, never from the script, and are kept apart (``probes``), so scripted
replies and ``chat_calls`` concern real requests only; the habits above apply to both.

Run standalone for manual tries::

    python tests/fake_openai.py --port 8765 --delay 0.5
"""

from __future__ import annotations

import hashlib
import json
import threading
import time
from collections import deque
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Callable


PROBE_MARK = "jixiao-probe"


def refused_url() -> str:
    """An http://127.0.0.1:PORT/v1 address where nothing listens (connection refused)."""
    import socket

    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    return f"http://127.0.0.1:{port}/v1"


def is_probe(body: dict) -> bool:
    return PROBE_MARK in request_text(body)


class _Server(ThreadingHTTPServer):
    request_queue_size = 256  # the default backlog (5) drops connections under concurrency
    daemon_threads = True


@dataclass
class Reply:
    content: str | None = None  # assistant text (for tools: the function arguments)
    status: int = 200
    headers: dict = field(default_factory=dict)
    delay: float = 0.0  # seconds to wait before answering
    error: str | None = None  # error message for status >= 400
    refusal: str | None = None  # OpenAI-style refusal field
    as_tool: bool | None = None  # None: answer as a tool call when the request has tools
    finish_reason: str = "stop"


def default_handler(body: dict, server: "FakeOpenAI") -> Reply:
    return Reply(content=json.dumps({"findings": []}, ensure_ascii=False))


def request_text(body: dict) -> str:
    """All message text of a chat request, joined."""
    out = []
    for m in body.get("messages", []):
        c = m.get("content")
        if isinstance(c, list):
            c = "".join(p.get("text", "") for p in c if isinstance(p, dict))
        out.append(c or "")
    return "\n".join(out)


def tagged(body: dict, tag: str) -> str:
    """The text between ``<tag>`` and ``</tag>`` in the request (last occurrence)."""
    text = request_text(body)
    i = text.rfind(f"<{tag}>\n")
    if i < 0:
        return ""
    j = text.find(f"\n</{tag}>", i)
    return text[i + len(tag) + 3: j if j >= 0 else len(text)]


class FakeOpenAI:
    """``with FakeOpenAI() as srv: ... srv.url`` → ``http://127.0.0.1:PORT/v1``."""

    def __init__(
        self,
        handler: Callable[[dict, "FakeOpenAI"], Reply] | None = None,
        *,
        port: int = 0,
        delay: float = 0.0,
        supports: tuple[str, ...] = ("json_schema", "json_object", "tools", "stream"),
        models: tuple[str, ...] = ("fake-model",),
        rejects: dict[str, int] | None = None,
        serial: bool = False,
        endless: int | None = None,
        token_delay: float = 0.0,
        api_key: str | None = None,
        context: int | None = None,
        tokens_per_char: float = 1.0,
        tell_context: bool = True,
        answer_delay: float = 0.0,
    ):
        self.handler = handler or default_handler
        self.script: deque[Reply] = deque()
        self.delay = delay
        self.supports = set(supports)
        self.models = models
        self.rejects = dict(rejects or {})
        self.serial = serial
        self.endless = endless
        self.token_delay = token_delay
        self.api_key = api_key
        self.context = context
        self.tokens_per_char = tokens_per_char
        self.tell_context = tell_context
        self.answer_delay = answer_delay
        self._serial_lock = threading.Lock()
        self.probes: list[dict] = []  # capability probe request bodies
        self.rejected: list[str] = []  # modes rejected (by ``supports`` or ``rejects``), in order
        self.unauthorized = 0  # requests refused with 401
        self.disconnects = 0  # streamed answers the client stopped reading
        self.generated: list[int] = []  # tokens generated per real answer (after any cut)
        self.requests: list[dict] = []  # every chat request body, in arrival order
        self.arrivals: list[float] = []  # time.perf_counter() of each chat request
        self.finished: list[float] = []  # … and of each answer sent
        self.headers: list[dict] = []
        self.lock = threading.Lock()
        self.in_flight = 0
        self.max_in_flight = 0
        self._httpd = _Server(("127.0.0.1", port), self._make_handler())
        self._httpd.daemon_threads = True
        self._thread: threading.Thread | None = None

    # ------------------------------------------------------------------ lifecycle
    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self._httpd.server_address[1]}/v1"

    def start(self) -> "FakeOpenAI":
        self._thread = threading.Thread(target=self._httpd.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True)
        self._thread.start()
        return self

    def stop(self) -> None:
        self._httpd.shutdown()
        self._httpd.server_close()

    def __enter__(self) -> "FakeOpenAI":
        return self.start()

    def __exit__(self, *exc) -> None:
        self.stop()

    def push(self, *replies: Reply) -> None:
        """Queue scripted replies; they are used before the handler, in order."""
        self.script.extend(replies)

    @property
    def chat_calls(self) -> int:
        return len(self.requests)

    # ------------------------------------------------------------------ answering
    def _next_reply(self, body: dict) -> Reply:
        with self.lock:
            if self.script:
                return self.script.popleft()
        return self.handler(body, self)

    def _make_handler(self):
        fake = self

        class H(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def log_message(self, *a):  # quiet
                pass

            def _json(self, status: int, obj: dict, headers: dict | None = None) -> None:
                data = json.dumps(obj, ensure_ascii=False).encode("utf-8")
                self.send_response(status)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(data)))
                for k, v in (headers or {}).items():
                    self.send_header(k, str(v))
                self.end_headers()
                try:
                    self.wfile.write(data)
                except (BrokenPipeError, ConnectionResetError):
                    pass

            def _error(self, status: int, msg: str, headers: dict | None = None, typ: str = "invalid_request_error"):
                self._json(status, {"error": {"message": msg, "type": typ, "param": None, "code": None}}, headers)

            def do_GET(self):
                if self.path.rstrip("/").endswith("/models"):
                    extra = {"max_model_len": fake.context} if fake.context and fake.tell_context else {}
                    self._json(200, {"object": "list", "data": [
                        dict({"id": m, "object": "model", "created": 0, "owned_by": "fake"}, **extra)
                        for m in fake.models]})
                else:
                    self._error(404, "not found")

            def do_POST(self):
                n = int(self.headers.get("Content-Length") or 0)
                raw = self.rfile.read(n) if n else b""
                try:
                    body = json.loads(raw or b"{}")
                except ValueError:
                    return self._error(400, "body is not JSON")
                if self.path.rstrip("/").endswith("/embeddings"):
                    return self._embeddings(body)
                if not self.path.rstrip("/").endswith("/chat/completions"):
                    return self._error(404, "not found")
                if fake.api_key is not None and self.headers.get("Authorization") != f"Bearer {fake.api_key}":
                    with fake.lock:
                        fake.unauthorized += 1
                    return self._error(401, "Incorrect API key provided.", typ="invalid_request_error")
                probe = is_probe(body)
                with fake.lock:
                    if probe:
                        fake.probes.append(body)
                    else:
                        fake.requests.append(body)
                        fake.arrivals.append(time.perf_counter())
                        fake.headers.append({k.lower(): v for k, v in self.headers.items()})
                gate = fake._serial_lock if fake.serial else None
                if gate is not None:
                    gate.acquire()
                with fake.lock:
                    fake.in_flight += 1
                    fake.max_in_flight = max(fake.max_in_flight, fake.in_flight)
                try:
                    self._chat(body, probe)
                finally:
                    with fake.lock:
                        fake.in_flight -= 1
                        if not probe:
                            fake.finished.append(time.perf_counter())
                    if gate is not None:
                        gate.release()

            def _embeddings(self, body):
                inputs = body.get("input")
                inputs = [inputs] if isinstance(inputs, str) else list(inputs or [])
                data = []
                for i, t in enumerate(inputs):
                    h = hashlib.sha256(str(t).encode("utf-8")).digest()
                    vec = [(b - 128) / 128.0 for b in h[:32]]
                    data.append({"object": "embedding", "index": i, "embedding": vec})
                self._json(200, {"object": "list", "data": data, "model": body.get("model"),
                                 "usage": {"prompt_tokens": 0, "total_tokens": 0}})

            def _chat(self, body, probe: bool = False):
                rf = (body.get("response_format") or {}).get("type")
                mode = rf or ("tools" if body.get("tools") else None)
                if mode and mode in fake.rejects:
                    with fake.lock:
                        fake.rejected.append(mode)
                    status = fake.rejects[mode]
                    return self._error(status, f"scripted {status} for {mode}", typ="server_error")
                if rf and rf not in fake.supports:
                    with fake.lock:
                        fake.rejected.append(rf)
                    return self._error(400, f"response_format {rf} is not supported by this endpoint")
                if body.get("tools") and "tools" not in fake.supports:
                    with fake.lock:
                        fake.rejected.append("tools")
                    return self._error(400, "tools are not supported by this endpoint")
                if body.get("stream") and "stream" not in fake.supports:
                    return self._error(400, "stream is not supported")
                limit = body.get("max_tokens") or body.get("max_completion_tokens")
                prompt_tokens = int(len(request_text(body)) * fake.tokens_per_char)
                if fake.context and prompt_tokens + (limit or 0) > fake.context:
                    return self._error(400, f"This model's maximum context length is {fake.context} tokens. "
                                            f"However, you requested {prompt_tokens + (limit or 0)} tokens "
                                            f"({prompt_tokens} in the messages, {limit or 0} in the completion). "
                                            "Please reduce the length of the messages or completion.")
                if probe:
                    reply = Reply(content='{"ok": true}')
                else:
                    reply = fake._next_reply(body)
                    if limit is None and fake.endless:
                        # no max_tokens: the model rambles on until the bound the test set
                        filler = (reply.content or "") + " 继续生成" * fake.endless
                        reply = Reply(content=filler[: fake.endless], finish_reason="length", delay=reply.delay,
                                      as_tool=reply.as_tool)
                    elif limit is not None and reply.status < 400 and len(reply.content or "") > int(limit):
                        reply = Reply(content=(reply.content or "")[: int(limit)], finish_reason="length",
                                      delay=reply.delay, as_tool=reply.as_tool)
                    with fake.lock:
                        fake.generated.append(len(reply.content or ""))
                wait = fake.delay + reply.delay + (0.0 if probe else fake.answer_delay) + (0.0 if body.get("stream") else fake.token_delay * len(reply.content or ""))
                if wait:
                    time.sleep(wait)
                if reply.status >= 400:
                    typ = "rate_limit_error" if reply.status == 429 else "server_error"
                    return self._error(reply.status, reply.error or f"scripted {reply.status}", reply.headers, typ)
                as_tool = reply.as_tool if reply.as_tool is not None else bool(body.get("tools"))
                tool_name = None
                if as_tool and body.get("tools"):
                    tool_name = body["tools"][0].get("function", {}).get("name", "output")
                elif as_tool:
                    as_tool = False
                model = body.get("model", "fake-model")
                if body.get("stream"):
                    return self._stream(body, reply, model, tool_name if as_tool else None)
                msg = {"role": "assistant", "content": None if as_tool else (reply.content or "")}
                if reply.refusal:
                    msg["refusal"] = reply.refusal
                    msg["content"] = None
                finish = reply.finish_reason
                if as_tool:
                    msg["tool_calls"] = [{"id": "call_1", "type": "function",
                                          "function": {"name": tool_name, "arguments": reply.content or ""}}]
                    finish = "tool_calls" if finish == "stop" else finish
                self._json(200, {
                    "id": "chatcmpl-fake", "object": "chat.completion", "created": int(time.time()),
                    "model": model,
                    "choices": [{"index": 0, "message": msg, "finish_reason": finish, "logprobs": None}],
                    "usage": {"prompt_tokens": 10, "completion_tokens": 10, "total_tokens": 20},
                }, reply.headers)

            def _stream(self, body, reply, model, tool_name):
                self.send_response(200)
                self.send_header("Content-Type", "text/event-stream")
                self.send_header("Cache-Control", "no-cache")
                self.send_header("Connection", "close")
                self.end_headers()
                self.close_connection = True
                base = {"id": "chatcmpl-fake", "object": "chat.completion.chunk", "created": int(time.time()),
                        "model": model}

                def send(delta, finish=None):
                    ch = dict(base, choices=[{"index": 0, "delta": delta, "finish_reason": finish, "logprobs": None}])
                    self.wfile.write(f"data: {json.dumps(ch, ensure_ascii=False)}\n\n".encode("utf-8"))
                    self.wfile.flush()

                text = reply.content or ""
                step = 1 if fake.token_delay else 17
                pieces = [text[i:i + step] for i in range(0, len(text), step)] or [""]
                finish = reply.finish_reason
                try:
                    send({"role": "assistant", "content": "" if not tool_name else None})
                    if tool_name:
                        send({"tool_calls": [{"index": 0, "id": "call_1", "type": "function",
                                              "function": {"name": tool_name, "arguments": ""}}]})
                        for p in pieces:
                            if fake.token_delay:
                                time.sleep(fake.token_delay)
                            send({"tool_calls": [{"index": 0, "function": {"arguments": p}}]})
                        send({}, "tool_calls" if finish == "stop" else finish)
                    else:
                        for p in pieces:
                            if fake.token_delay:
                                time.sleep(fake.token_delay)
                            send({"content": p})
                        send({}, finish)
                    if (body.get("stream_options") or {}).get("include_usage"):
                        u = dict(base, choices=[], usage={"prompt_tokens": 10, "completion_tokens": 10,
                                                          "total_tokens": 20})
                        self.wfile.write(f"data: {json.dumps(u)}\n\n".encode("utf-8"))
                    self.wfile.write(b"data: [DONE]\n\n")
                    self.wfile.flush()
                except (BrokenPipeError, ConnectionResetError):
                    with fake.lock:
                        fake.disconnects += 1

        return H


if __name__ == "__main__":  # pragma: no cover - manual use
    import argparse

    ap = argparse.ArgumentParser()
    ap.add_argument("--port", type=int, default=8765)
    ap.add_argument("--delay", type=float, default=0.0)
    a = ap.parse_args()
    srv = FakeOpenAI(port=a.port, delay=a.delay).start()
    print(srv.url, flush=True)
    try:
        while True:
            time.sleep(3600)
    except KeyboardInterrupt:
        srv.stop()
